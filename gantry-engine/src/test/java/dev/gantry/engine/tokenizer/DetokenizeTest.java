package dev.gantry.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Decoding follows llama_detokenize / llama_token_to_piece. */
class DetokenizeTest {

    private static final Tokenizer STORIES = SharedVocabularies.open(SharedVocabularies.shared().resolve("models/stories260K.gguf"));

    @Test
    void sentencePieceDropsThePrefixSpaceItAdded() {
        assertThat(STORIES.decode(new int[] {403, 407, 261, 378})).isEqualTo("Once upon a time");
    }

    @Test
    void bosHidesAsAControlTokenButKeepsThePrefixSpaceLikeLlamaCpp() {
        int[] ids = {1, 403, 407, 261, 378};

        assertThat(STORIES.decode(ids)).isEqualTo(" Once upon a time");
        assertThat(STORIES.decode(ids, 0, ids.length, true, false)).isEqualTo(" Once upon a time");
        assertThat(STORIES.decode(ids, 0, ids.length, false, true)).isEqualTo("<s> Once upon a time");
    }

    @Test
    void decodingARangeStartsTheSpaceRuleAtTheRange() {
        int[] ids = {1, 403, 407, 261, 378};

        assertThat(STORIES.decode(ids, 2, 5, false, false)).isEqualTo("upon a time");
    }

    @Test
    void byteFallbackTokensJoinIntoOneCharacterAcrossTokens() {
        int[] ids = STORIES.encode("\ud83d\ude42", false, false);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int id : ids) {
            stream.writeBytes(STORIES.tokenBytes(id));
        }

        assertThat(ids).hasSize(5); // "▁" and the four UTF-8 bytes of U+1F642 as <0xF0> <0x9F> <0x99> <0x82>
        assertThat(STORIES.tokenBytes(ids[1])).containsExactly((byte) 0xF0);
        assertThat(stream.toString(StandardCharsets.UTF_8)).isEqualTo(" \ud83d\ude42");
        assertThat(STORIES.decode(ids)).isEqualTo("\ud83d\ude42");
    }

    @Test
    void tokenBytesHideControlTokensUnlessAskedForSpecial() {
        assertThat(STORIES.tokenBytes(1)).isEmpty();
        assertThat(STORIES.tokenBytes(1, true)).isEqualTo("<s>".getBytes(StandardCharsets.UTF_8));
        assertThat(STORIES.piece(403)).isEqualTo("\u2581Once");
    }

    @Test
    void gpt2CleansUpTokenizationSpacesLikeHuggingFace() {
        Tokenizer gpt2 = SharedVocabularies.open(SharedVocabularies.vocab("gpt-2"));

        assertThat(gpt2.decode(gpt2.encode("Hello , world ! It 's a ' quote '", false, false)))
                .isEqualTo("Hello, world! It's a'quote '");
    }

    @Test
    void gpt2PiecesAreDecodedFromTheByteAlphabet() {
        Tokenizer gpt2 = SharedVocabularies.open(SharedVocabularies.vocab("gpt-2"));
        int id = gpt2.encode(" world", false, false)[0];

        assertThat(gpt2.piece(id)).isEqualTo("\u0120world");
        assertThat(gpt2.tokenBytes(id)).isEqualTo(" world".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wordPieceRendersWordStartsWithASpace() {
        Tokenizer bert = SharedVocabularies.open(SharedVocabularies.shared().resolve("models/embed/all-MiniLM-L6-v2-f16.gguf"));
        int[] ids = bert.encode("Hello, World!", true, false);

        assertThat(ids).containsExactly(101, 7592, 1010, 2088, 999, 102);
        assertThat(bert.decode(ids)).isEqualTo(" hello, world!");
        assertThat(bert.decode(ids, 0, ids.length, false, true)).isEqualTo("[CLS] hello, world![SEP]");
    }
}
