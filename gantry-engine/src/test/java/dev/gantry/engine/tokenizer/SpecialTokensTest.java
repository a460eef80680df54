package dev.gantry.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Special tokens: matching in text, add flags, ids and end of generation, all from metadata. */
class SpecialTokensTest {

    private static final Tokenizer PHI3 = SharedVocabularies.open(SharedVocabularies.vocab("phi-3"));

    @Test
    void controlTokensInTextAreParsedOnlyWhenAsked() {
        String prompt = "<|user|>\nHello<|end|>";

        // Phi-3's special tokens swallow the whitespace after them (llama.cpp sets rstrip by model name)
        assertThat(PHI3.encode(prompt, true, true)).containsExactly(1, 32010, PHI3.id("\u2581Hello"), 32007);
        assertThat(PHI3.encode(prompt, true, false)).hasSizeGreaterThan(4).doesNotContain(32010, 32007);
    }

    @Test
    void addSpecialFollowsTheVocabularyFlags() {
        assertThat(PHI3.addBos()).isTrue();
        assertThat(PHI3.addEos()).isFalse();
        assertThat(PHI3.encode("Hello", true, false)).containsExactly(1, PHI3.id("\u2581Hello"));
        assertThat(PHI3.encode("Hello", false, false)).containsExactly(PHI3.id("\u2581Hello"));
    }

    @Test
    void endOfGenerationCoversEosAndTurnEndsRecognisedByText() {
        assertThat(PHI3.eosId()).isEqualTo(32000);
        assertThat(PHI3.isEndOfGeneration(32000)).isTrue(); // <|endoftext|>, eos
        assertThat(PHI3.isEndOfGeneration(32007)).isTrue(); // <|end|>, by text
        assertThat(PHI3.isEndOfGeneration(32010)).isFalse(); // <|user|>
        assertThat(PHI3.isEndOfGeneration(1)).isFalse();
    }

    @Test
    void userDefinedTokensAreMatchedEvenWithoutParseSpecial() {
        Tokenizer deepseek = SharedVocabularies.open(SharedVocabularies.vocab("deepseek-coder"));

        assertThat(deepseek.tokenType(32000)).isEqualTo(Tokenizer.TYPE_USER_DEFINED);
        assertThat(deepseek.encode("a\u00f5b", false, false)).containsExactly(deepseek.id("a"), 32000, deepseek.id("b"));
    }

    @Test
    void byteLevelBpeParsesItsEndOfTextToken() {
        Tokenizer gpt2 = SharedVocabularies.open(SharedVocabularies.vocab("gpt-2"));

        assertThat(gpt2.encode("a<|endoftext|>b", false, true)).containsExactly(64, 50256, 65);
        assertThat(gpt2.encode("a<|endoftext|>b", false, false)).hasSizeGreaterThan(3);
        assertThat(gpt2.isEndOfGeneration(50256)).isTrue();
        assertThat(gpt2.addBos()).isFalse();
    }

    @Test
    void wordPieceAddsClsAndSepFromMetadata() {
        Tokenizer bert = SharedVocabularies.open(SharedVocabularies.vocab("bert-bge"));

        assertThat(bert.bosId()).isEqualTo(101); // from tokenizer.ggml.cls_token_id: this file has no bos_token_id
        assertThat(bert.sepId()).isEqualTo(102);
        assertThat(bert.eosId()).isEqualTo(-1);
        assertThat(bert.encode("hello", true, false)).containsExactly(101, 7592, 102);
    }

    @Test
    void outOfRangeIdsInMetadataMeanNoToken() {
        Tokenizer stories = SharedVocabularies.open(SharedVocabularies.shared().resolve("models/stories260K.gguf"));

        assertThat(stories.sepId()).isEqualTo(-1); // stored as 0xFFFFFFFF
        assertThat(stories.bosId()).isEqualTo(1);
        assertThat(stories.isEndOfGeneration(2)).isTrue();
    }
}
