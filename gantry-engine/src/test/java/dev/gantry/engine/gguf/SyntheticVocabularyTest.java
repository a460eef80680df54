package dev.gantry.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The synthetic vocabulary has llama's fixed tokens, distinct pieces, and every longer piece is a merge of two. */
class SyntheticVocabularyTest {

    @Test
    void hasLlamasLayoutAndMergeablePieces() {
        SyntheticVocabulary v = SyntheticVocabulary.of(32000);
        assertThat(v.size()).isEqualTo(32000);
        assertThat(v.tokens()[0]).isEqualTo("<unk>");
        assertThat(v.tokens()[1]).isEqualTo("<s>");
        assertThat(v.tokens()[2]).isEqualTo("</s>");
        assertThat(v.tokens()[3]).isEqualTo("<0x00>");
        assertThat(v.tokens()[3 + 0x0A]).isEqualTo("<0x0A>");
        assertThat(v.tokens()[258]).isEqualTo("<0xFF>");
        assertThat(v.types()[0]).isEqualTo(2);
        assertThat(v.types()[1]).isEqualTo(3);
        assertThat(v.types()[100]).isEqualTo(6);
        // Plain loops collecting problems: 32000 AssertJ set assertions take minutes.
        Set<String> seen = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!seen.add(v.tokens()[i])) {
                problems.add("duplicate " + v.tokens()[i]);
            }
        }
        for (int i = SyntheticVocabulary.FIXED_TOKENS; i < v.size(); i++) {
            String piece = v.tokens()[i];
            if (v.types()[i] != 1) {
                problems.add(piece + " is not a normal token");
            }
            if (i > SyntheticVocabulary.FIXED_TOKENS && !(v.scores()[i] < v.scores()[i - 1])) {
                problems.add(piece + " does not score below the piece before it");
            }
            if (piece.codePointCount(0, piece.length()) > 1) {
                int last = piece.offsetByCodePoints(piece.length(), -1);
                if (!seen.contains(piece.substring(0, last)) || !seen.contains(piece.substring(last))) {
                    problems.add(piece + " is not a merge of two pieces");
                }
            }
        }
        assertThat(problems).isEmpty();
    }
}
