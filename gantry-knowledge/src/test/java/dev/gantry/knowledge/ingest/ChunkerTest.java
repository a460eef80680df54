package dev.gantry.knowledge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkerTest {
    private final WordCounter words = new WordCounter();

    private static String sentences(String prefix, int count, int wordsEach) {
        return IntStream.range(0, count)
                .mapToObj(i -> prefix + i + " " + "word ".repeat(wordsEach - 2) + "end.")
                .collect(Collectors.joining(" "));
    }

    @Test
    void headingStartsANewChunkAndStaysWithTheContentUnderIt() {
        ExtractedText doc = new ExtractedTextBuilder()
                .heading(1, "Guide")
                .heading(2, "Install")
                .block(BlockKind.PARAGRAPH, "Run the installer.")
                .heading(2, "Configure")
                .block(BlockKind.PARAGRAPH, "Edit the file.")
                .build();
        List<Chunk> chunks = new Chunker(words, new ChunkingPolicy(100, 10)).chunk(doc);
        assertThat(chunks).extracting(Chunk::text)
                .containsExactly("Guide\n\nInstall\n\nRun the installer.", "Configure\n\nEdit the file.");
        assertThat(chunks).extracting(Chunk::headingPath)
                .containsExactly(List.of("Guide", "Install"), List.of("Guide", "Configure"));
    }

    @Test
    void longParagraphIsSplitAtSentencesWithinTheTargetAndOverlapsByTrailingSentences() {
        ExtractedText doc = new ExtractedTextBuilder().block(BlockKind.PARAGRAPH, sentences("S", 10, 10)).build();
        List<Chunk> chunks = new Chunker(words, new ChunkingPolicy(35, 10)).chunk(doc);
        assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isLessThanOrEqualTo(35));
        assertThat(chunks).allSatisfy(c -> assertThat(c.text()).endsWith("end."));
        // 3 sentences fit; the next chunk repeats the last sentence (10 tokens of overlap) then adds two new ones
        assertThat(chunks.get(0).text()).startsWith("S0 ").contains("S2 ").doesNotContain("S3 ");
        assertThat(chunks.get(1).text()).startsWith("S2 ").contains("S4 ").doesNotContain("S5 ");
        assertThat(chunks.getLast().text()).contains("S9 ");
    }

    @Test
    void overlapNeverCrossesAHeading() {
        ExtractedText doc = new ExtractedTextBuilder()
                .heading(1, "A").block(BlockKind.PARAGRAPH, sentences("A", 2, 10))
                .heading(1, "B").block(BlockKind.PARAGRAPH, sentences("B", 2, 10))
                .build();
        List<Chunk> chunks = new Chunker(words, new ChunkingPolicy(40, 15)).chunk(doc);
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(1).text()).startsWith("B\n\nB0 ");
    }

    @Test
    void paragraphThatDoesNotFitInAHalfFullChunkStartsTheNextOne() {
        ExtractedText doc = new ExtractedTextBuilder()
                .block(BlockKind.PARAGRAPH, sentences("P", 2, 10))
                .block(BlockKind.PARAGRAPH, sentences("Q", 2, 10))
                .build();
        List<Chunk> chunks = new Chunker(words, new ChunkingPolicy(30, 0)).chunk(doc);
        assertThat(chunks).extracting(Chunk::text).containsExactly(sentences("P", 2, 10), sentences("Q", 2, 10));
    }

    @Test
    void smallParagraphsArePackedTogether() {
        ExtractedText doc = new ExtractedTextBuilder()
                .block(BlockKind.PARAGRAPH, "One two three.")
                .block(BlockKind.LIST_ITEM, "Four five.")
                .block(BlockKind.LIST_ITEM, "Six.")
                .build();
        List<Chunk> chunks = new Chunker(words, new ChunkingPolicy(20, 5)).chunk(doc);
        assertThat(chunks).singleElement().satisfies(c -> {
            assertThat(c.text()).isEqualTo("One two three.\n\nFour five.\n\nSix.");
            assertThat(c.tokens()).isEqualTo(6);
        });
    }

    @Test
    void sentenceLongerThanTheTargetIsCutIntoWordWindowsAndAHugeWordByCharacters() {
        String longSentence = "word ".repeat(50).strip();
        String blob = "x".repeat(100);
        ExtractedText doc = new ExtractedTextBuilder()
                .block(BlockKind.PARAGRAPH, longSentence)
                .block(BlockKind.CODE, blob)
                .build();
        TokenCounter charsAreTokens = t -> t.strip().length() > 20 ? t.strip().length() / 4 : words.count(t);
        List<Chunk> chunks = new Chunker(charsAreTokens, new ChunkingPolicy(16, 0)).chunk(doc);
        assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isLessThanOrEqualTo(16));
        assertThat(chunks.stream().map(Chunk::text).collect(Collectors.joining()).replace(" ", "").replace("\n", ""))
                .isEqualTo(longSentence.replace(" ", "") + blob);
    }

    @Test
    void chunksOfPagedTextKnowTheirFirstAndLastPage() {
        ExtractedText doc = new ExtractedTextBuilder()
                .block(BlockKind.PARAGRAPH, "On page one.", 1)
                .block(BlockKind.PARAGRAPH, "Still page one.", 1)
                .block(BlockKind.PARAGRAPH, "Now page two.", 2)
                .build();
        List<Chunk> chunks = new Chunker(words, new ChunkingPolicy(100, 0)).chunk(doc);
        assertThat(chunks).singleElement().satisfies(c -> {
            assertThat(c.pageStart()).isEqualTo(1);
            assertThat(c.pageEnd()).isEqualTo(2);
        });
    }
}
