package dev.gantry.engine.gguf;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A made-up SentencePiece vocabulary in llama's layout ({@code tokenizer.ggml.model = llama}): {@code <unk>},
 * {@code <s>}, {@code </s>}, the 256 byte-fallback tokens {@code <0x00>}..{@code <0xFF>}, then ordinary pieces. The
 * pieces are every lower-case word of one, two, three ... letters (plus digits and punctuation as single pieces),
 * each bare and with the word-start marker {@code ▁}, shorter first; so every piece of length n + 1 is a merge of
 * two pieces already there, as BPE needs, and any text tokenizes (through byte fallback when nothing else fits).
 * Scores fall with the index as in a trained model, so shorter merges never outrank longer ones.
 *
 * @param types GGUF {@code tokenizer.ggml.token_type}: 1 normal, 2 unknown, 3 control, 6 byte
 */
public record SyntheticVocabulary(String[] tokens, float[] scores, int[] types) {

    /** {@code <unk>}, {@code <s>}, {@code </s>} and the 256 byte tokens. */
    public static final int FIXED_TOKENS = 3 + 256;
    public static final int UNK = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    private static final String WORD_START = "\u2581";
    private static final String SINGLES = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?;:'\"-()";
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

    public static SyntheticVocabulary of(int size) {
        if (size < FIXED_TOKENS) {
            throw new IllegalArgumentException("a llama vocabulary needs at least " + FIXED_TOKENS + " tokens, got " + size);
        }
        String[] tokens = new String[size];
        float[] scores = new float[size];
        int[] types = new int[size];
        tokens[UNK] = "<unk>";
        tokens[BOS] = "<s>";
        tokens[EOS] = "</s>";
        types[UNK] = 2;
        types[BOS] = 3;
        types[EOS] = 3;
        for (int b = 0; b < 256; b++) {
            tokens[3 + b] = String.format("<0x%02X>", b);
            types[3 + b] = 6;
        }
        Set<String> pieces = new LinkedHashSet<>();
        pieces.add(WORD_START);
        for (int i = 0; i < SINGLES.length(); i++) {
            pieces.add(SINGLES.substring(i, i + 1));
            pieces.add(WORD_START + SINGLES.charAt(i));
        }
        for (int length = 2; pieces.size() < size - FIXED_TOKENS; length++) {
            addWords(pieces, new StringBuilder(), length, size - FIXED_TOKENS);
        }
        int id = FIXED_TOKENS;
        for (String piece : pieces) {
            if (id == size) {
                break;
            }
            tokens[id] = piece;
            scores[id] = -(id - FIXED_TOKENS);
            types[id] = 1;
            id++;
        }
        return new SyntheticVocabulary(tokens, scores, types);
    }

    /** Adds every word of {@code length} letters with prefix {@code word}, bare and word-initial, until {@code limit}. */
    private static void addWords(Set<String> pieces, StringBuilder word, int length, int limit) {
        if (pieces.size() >= limit) {
            return;
        }
        if (word.length() == length) {
            pieces.add(word.toString());
            pieces.add(WORD_START + word);
            return;
        }
        for (int i = 0; i < LETTERS.length() && pieces.size() < limit; i++) {
            word.append(LETTERS.charAt(i));
            addWords(pieces, word, length, limit);
            word.setLength(word.length() - 1);
        }
    }

    public int size() {
        return tokens.length;
    }
}
