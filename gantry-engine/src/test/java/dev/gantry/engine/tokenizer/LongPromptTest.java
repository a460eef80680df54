package dev.gantry.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A megabyte of text encodes in seconds: merging is O(n log n) (priority queues over linked symbols), so a
 * quadratic regression would take hours here.
 */
class LongPromptTest {

    private static final String[] WORDS = {"Once", "upon", "a", "time,", "there", "was", "little", "girl", "named",
            "Lily.", "She", "liked", "to", "play", "outside", "in", "the", "sun", "\u00e9t\u00e9", "42", "\n"};

    private static String text(int chars) {
        Random random = new Random(7);
        StringBuilder sb = new StringBuilder(chars + 16);
        while (sb.length() < chars) {
            sb.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return sb.toString();
    }

    private static void encodesQuicklyAndRoundTrips(Tokenizer tokenizer, String text) {
        long start = System.nanoTime();
        int[] ids = tokenizer.encode(text, false, false);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(30));
        assertThat(ids.length).isGreaterThan(text.length() / 10);
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
    }

    @Test
    void sentencePieceEncodesAMegabyteAsOneFragment() {
        encodesQuicklyAndRoundTrips(SharedVocabularies.open(SharedVocabularies.shared().resolve("models/stories260K.gguf")),
                text(1_000_000));
    }

    @Test
    void byteLevelBpeEncodesAMegabyte() {
        encodesQuicklyAndRoundTrips(SharedVocabularies.open(SharedVocabularies.vocab("deepseek-coder")), text(1_000_000));
    }

    @Test
    void wordPieceEncodesAMegabyte() {
        Tokenizer bert = SharedVocabularies.open(SharedVocabularies.vocab("bert-bge"));
        long start = System.nanoTime();
        int[] ids = bert.encode(text(1_000_000), true, false);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(ids.length).isGreaterThan(100_000);
    }
}
