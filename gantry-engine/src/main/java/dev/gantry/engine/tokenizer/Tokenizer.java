package dev.gantry.engine.tokenizer;

import dev.gantry.engine.gguf.GgufMetadata;

/**
 * Text to token ids and back, for the vocabulary a GGUF file describes in its {@code tokenizer.ggml.*}
 * metadata. Ids are the ones llama.cpp produces for the same text and flags (llama_tokenize /
 * llama_detokenize / llama_token_to_piece). Implementations are immutable and thread-safe.
 */
public interface Tokenizer {

    /** GGUF {@code tokenizer.ggml.token_type} values. */
    int TYPE_UNDEFINED = 0;
    int TYPE_NORMAL = 1;
    int TYPE_UNKNOWN = 2;
    int TYPE_CONTROL = 3;
    int TYPE_USER_DEFINED = 4;
    int TYPE_UNUSED = 5;
    int TYPE_BYTE = 6;

    /**
     * The tokenizer for {@code tokenizer.ggml.model}: {@code llama} (SentencePiece BPE), {@code gpt2} (byte-level
     * BPE with the pre-tokenizer named by {@code tokenizer.ggml.pre}), {@code bert} (WordPiece), {@code gemma4}
     * (BPE on raw UTF-8).
     *
     * @throws TokenizerException for an unknown or unsupported model or pre-tokenizer, or inconsistent metadata
     */
    static Tokenizer from(GgufMetadata metadata) {
        Vocabulary vocabulary = VocabularyReader.read(metadata);
        return switch (vocabulary.kind()) {
            case SPM -> new SentencePieceBpe(vocabulary);
            case BPE -> new ByteLevelBpe(vocabulary);
            case WPM -> new WordPiece(vocabulary);
        };
    }

    /**
     * Encodes {@code text}. {@code addSpecial} adds the BOS/EOS (BERT: [CLS]/[SEP]) tokens that the vocabulary's
     * add flags ask for; {@code parseSpecial} lets control tokens written in the text (e.g. "&lt;|im_start|&gt;")
     * become their ids. User-defined tokens are always matched, as in llama.cpp.
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /** {@code decode(ids, 0, ids.length, false, false)}: control tokens render as nothing. */
    default String decode(int[] ids) {
        return decode(ids, 0, ids.length, false, false);
    }

    /**
     * llama.cpp's {@code llama_detokenize} over {@code ids[from, to)}: {@code removeSpecial} drops a leading BOS
     * and trailing EOS when the vocabulary adds them; {@code unparseSpecial} renders control tokens as their
     * text. With {@code add_space_prefix} (SentencePiece) the first token's leading space is removed, unless a
     * BOS was removed. Byte tokens are joined before UTF-8 decoding; invalid UTF-8 becomes U+FFFD.
     */
    String decode(int[] ids, int from, int to, boolean removeSpecial, boolean unparseSpecial);

    /**
     * The raw bytes one token contributes to decoded text (llama_token_to_piece, no lstrip, special=false):
     * possibly a fragment of a UTF-8 character, so a streaming caller concatenates bytes across tokens and
     * decodes only complete characters. Control and unknown tokens give no bytes.
     */
    default byte[] tokenBytes(int id) {
        return tokenBytes(id, false);
    }

    /** As {@link #tokenBytes(int)}; with {@code special} control and unknown tokens give their text. */
    byte[] tokenBytes(int id, boolean special);

    int vocabSize();

    /** The token's string exactly as stored in {@code tokenizer.ggml.tokens}. */
    String piece(int id);

    /** The token's {@code tokenizer.ggml.token_type} ({@link #TYPE_NORMAL} when the file has none). */
    int tokenType(int id);

    /** The id of {@code piece} in the vocabulary, or -1. */
    int id(String piece);

    /** Beginning of sequence ([CLS] for BERT), or -1 if the vocabulary has none. */
    int bosId();

    /** End of sequence, or -1. */
    int eosId();

    /** Separator ([SEP] for BERT), or -1. */
    int sepId();

    /** Whether {@code encode(.., addSpecial = true, ..)} prepends {@link #bosId()}. */
    boolean addBos();

    /** Whether {@code encode(.., addSpecial = true, ..)} appends {@link #eosId()}. */
    boolean addEos();

    /** Whether {@code encode(.., addSpecial = true, ..)} appends {@link #sepId()} (BERT). */
    boolean addSep();

    /**
     * Whether generation ends at {@code id}: EOS, EOT, EOM, the FIM pad/repo/separator tokens, and the tokens
     * llama.cpp recognises by text ("&lt;|im_end|&gt;", "&lt;|eot_id|&gt;", "&lt;end_of_turn&gt;", "&lt;|endoftext|&gt;", ...).
     */
    boolean isEndOfGeneration(int id);
}
