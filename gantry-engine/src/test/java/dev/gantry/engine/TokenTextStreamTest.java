package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.support.SharedData;
import dev.gantry.engine.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

class TokenTextStreamTest {

    @Test
    void holdsBackPartialCharactersUntilComplete() {
        try (GgufFile f = GgufFile.open(SharedData.resolve("models/stories260K.gguf"))) {
            Tokenizer tok = Tokenizer.from(f.metadata());
            // "中" is not in the 512-token vocabulary: it encodes as three byte-fallback tokens <0xE4><0xB8><0xAD>.
            int[] ids = tok.encode("中!", false, false);
            TokenTextStream stream = new TokenTextStream(tok);
            StringBuilder seen = new StringBuilder();
            boolean heldBack = false;
            for (int id : ids) {
                String piece = stream.accept(id);
                heldBack |= piece.isEmpty();
                seen.append(piece);
            }
            seen.append(stream.flush());
            assertThat(heldBack).isTrue();
            // the space SentencePiece put in front stays: a stream never knows which token comes first
            assertThat(seen.toString()).isEqualTo(" 中!");
        }
    }

    @Test
    void completePrefixStopsBeforeAnUnfinishedSequence() {
        byte[] euro = "a€".getBytes(java.nio.charset.StandardCharsets.UTF_8); // 61 E2 82 AC
        assertThat(TokenTextStream.completePrefix(euro)).isEqualTo(4);
        assertThat(TokenTextStream.completePrefix(java.util.Arrays.copyOf(euro, 3))).isEqualTo(1);
        assertThat(TokenTextStream.completePrefix(java.util.Arrays.copyOf(euro, 2))).isEqualTo(1);
        assertThat(TokenTextStream.completePrefix(new byte[0])).isZero();
    }
}
