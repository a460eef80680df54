package dev.gantry.engine.tokenizer;

import java.util.Arrays;
import java.util.Map;

/**
 * Everything a tokenizer needs from GGUF metadata, after llama.cpp's load-time adjustments. The arrays are
 * owned by this record and never modified after {@link VocabularyReader} builds it.
 *
 * @param kind            which algorithm the vocabulary is for
 * @param pre             the pre-tokenizer (byte-level BPE only, else null)
 * @param tokens          token strings by id ({@code tokenizer.ggml.tokens})
 * @param scores          SentencePiece merge scores by id (0 when absent)
 * @param types           GGUF token types by id
 * @param attributes      {@link TokenAttributes} bits by id
 * @param ids             token string to id
 * @param merges          BPE merge ranks, keyed "left right" (byte-level BPE only)
 * @param specialTokens   the ids {@link SpecialTokenSplitter} looks for in text, longest text first
 * @param maxTokenLength  the longest token, in UTF-16 units
 */
record Vocabulary(Kind kind, PreTokenizerType.Choice pre, String[] tokens, float[] scores, int[] types,
                  int[] attributes, Map<String, Integer> ids, Map<String, Integer> merges, int[] specialTokens,
                  int maxTokenLength, SpecialIds special, Options options) {

    /** The tokenizer algorithm: llama.cpp's LLAMA_VOCAB_TYPE_SPM, _BPE and _WPM. */
    enum Kind { SPM, BPE, WPM }

    /**
     * Special token ids, -1 when absent; {@code endOfGeneration} is sorted.
     */
    record SpecialIds(int bos, int eos, int eot, int eom, int unk, int sep, int pad, int[] endOfGeneration) {

        boolean isEndOfGeneration(int id) {
            return id >= 0 && Arrays.binarySearch(endOfGeneration, id) >= 0;
        }
    }

    /**
     * The vocabulary's flags, as llama.cpp's llama_vocab::impl holds them.
     *
     * @param cleanSpaces   clean_up_tokenization_spaces: detokenize drops spaces before punctuation
     * @param escapeWhitespaces  spaces are written U+2581 in the vocabulary (SentencePiece style)
     * @param ignoreMerges  a pre-tokenized word that is itself a token is not merged (Llama 3)
     */
    record Options(boolean addBos, boolean addEos, boolean addSep, boolean addSpacePrefix, boolean cleanSpaces,
                   boolean escapeWhitespaces, boolean ignoreMerges, boolean lowercase, boolean stripAccents) {
    }

    int size() {
        return tokens.length;
    }

    /** The id of {@code text}, or -1. */
    int id(String text) {
        Integer id = ids.get(text);
        return id == null ? -1 : id;
    }

    boolean has(int id, int attribute) {
        return (attributes[id] & attribute) != 0;
    }
}
