package dev.gantry.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metadata that cannot make a tokenizer fails with a message naming the key and the value. */
class TokenizerMetadataErrorsTest {

    @TempDir
    Path dir;

    private static GgufVocabularyWriter vocab(String model) {
        return new GgufVocabularyWriter()
                .put("tokenizer.ggml.model", model)
                .put("tokenizer.ggml.tokens", new String[] {"a", "b", "ab"})
                .put("tokenizer.ggml.merges", new String[] {"a b"});
    }

    @Test
    void unknownTokenizerModelIsNamedInTheError() {
        assertThatThrownBy(() -> vocab("sentencepiece-unigram-2").tokenizer(dir))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("unknown tokenizer model 'sentencepiece-unigram-2'")
                .hasMessageContaining("tokenizer.ggml.model");
    }

    @Test
    void llamaCppModelsWithoutAnImplementationAreReportedAsUnsupported() {
        assertThatThrownBy(() -> vocab("t5").tokenizer(dir))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("'t5'")
                .hasMessageContaining("not supported");
    }

    @Test
    void unknownPreTokenizerIsNamedInTheError() {
        assertThatThrownBy(() -> vocab("gpt2").put("tokenizer.ggml.pre", "no-such-pre").tokenizer(dir))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("unknown pre-tokenizer type 'no-such-pre'")
                .hasMessageContaining("tokenizer.ggml.pre");
    }

    @Test
    void missingModelKeyIsReported() {
        assertThatThrownBy(() -> new GgufVocabularyWriter().put("tokenizer.ggml.tokens", new String[] {"a"}).tokenizer(dir))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("tokenizer.ggml.model");
    }

    @Test
    void byteLevelBpeWithoutMergesIsReported() {
        assertThatThrownBy(() -> new GgufVocabularyWriter().put("tokenizer.ggml.model", "gpt2")
                .put("tokenizer.ggml.pre", "gpt-2").put("tokenizer.ggml.tokens", new String[] {"a"}).tokenizer(dir))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("tokenizer.ggml.merges");
    }

    @Test
    void addBosWithoutBosIdIsReported() {
        assertThatThrownBy(() -> vocab("llama").put("tokenizer.ggml.add_bos_token", true).tokenizer(dir))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("tokenizer.ggml.add_bos_token is true, but tokenizer.ggml.bos_token_id is not set");
    }

    @Test
    void duplicateTokensAreReported() {
        assertThatThrownBy(() -> new GgufVocabularyWriter().put("tokenizer.ggml.model", "llama")
                .put("tokenizer.ggml.tokens", new String[] {"a", "b", "a"}).tokenizer(dir))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("duplicate token")
                .hasMessageContaining("ids 0 and 2");
    }

    @Test
    void shortScoreArrayIsReported() {
        assertThatThrownBy(() -> vocab("llama").put("tokenizer.ggml.scores", new float[] {0f}).tokenizer(dir))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("tokenizer.ggml.scores has 1 entries for 3 tokens");
    }
}
