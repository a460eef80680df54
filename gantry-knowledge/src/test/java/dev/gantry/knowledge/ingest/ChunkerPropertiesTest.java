package dev.gantry.knowledge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ChunkerPropertiesTest {
    private final WordCounter words = new WordCounter();

    /** A block: a kind and some sentences of some words. */
    record GeneratedBlock(boolean heading, int level, List<String> sentences) {
    }

    @Provide
    Arbitrary<List<GeneratedBlock>> documents() {
        Arbitrary<String> word = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> sentence = word.list().ofMinSize(1).ofMaxSize(40).map(w -> String.join(" ", w) + ".");
        Arbitrary<GeneratedBlock> block = Combinators.combine(
                Arbitraries.integers().between(0, 5), Arbitraries.integers().between(1, 3), sentence.list().ofMinSize(1).ofMaxSize(6))
                .as((h, level, s) -> new GeneratedBlock(h == 0, level, h == 0 ? s.subList(0, 1) : s));
        return block.list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 200)
    void chunksAreSpansOfTheTextWithinTheTargetCoveringEveryBlock(
            @ForAll("documents") List<GeneratedBlock> blocks,
            @ForAll @IntRange(min = 16, max = 80) int target,
            @ForAll @IntRange(min = 0, max = 8) int overlap) {
        ExtractedTextBuilder builder = new ExtractedTextBuilder();
        for (GeneratedBlock b : blocks) {
            if (b.heading()) {
                builder.heading(b.level(), b.sentences().getFirst());
            } else {
                builder.block(BlockKind.PARAGRAPH, String.join(" ", b.sentences()));
            }
        }
        ExtractedText doc = builder.build();
        List<Chunk> chunks = new Chunker(words, new ChunkingPolicy(target, overlap)).chunk(doc);

        int previousStart = -1;
        for (Chunk c : chunks) {
            assertThat(c.text()).isEqualTo(doc.text().substring(c.start(), c.end()));
            assertThat(c.tokens()).isLessThanOrEqualTo(target).isEqualTo(words.count(c.text()));
            assertThat(c.start()).isGreaterThan(previousStart);
            previousStart = c.start();
        }
        // every non-space character of the text is in some chunk
        boolean[] covered = new boolean[doc.text().length()];
        chunks.forEach(c -> java.util.Arrays.fill(covered, c.start(), c.end(), true));
        List<Integer> missed = new ArrayList<>();
        for (int i = 0; i < covered.length; i++) {
            if (!covered[i] && !Character.isWhitespace(doc.text().charAt(i))) {
                missed.add(i);
            }
        }
        assertThat(missed).isEmpty();
        // a chunk never spans two sections: every block it touches has its heading path
        for (Chunk c : chunks) {
            doc.blocks().stream()
                    .filter(b -> b.kind() != BlockKind.HEADING && b.start() < c.end() && b.end() > c.start())
                    .forEach(b -> assertThat(b.headingPath()).isEqualTo(c.headingPath()));
        }
    }
}
