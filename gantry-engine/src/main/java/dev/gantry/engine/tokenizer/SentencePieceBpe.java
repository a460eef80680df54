package dev.gantry.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * SentencePiece BPE ({@code tokenizer.ggml.model = llama}), as llama.cpp's llm_tokenizer_spm does it: spaces
 * become U+2581 ("▁"), a space is prepended to text that starts the input or follows a special token
 * ({@code add_space_prefix}), then adjacent symbols (initially single code points) are merged, always the
 * pair whose merged text is the token with the highest score (leftmost on ties), until no adjacent pair forms
 * a token. A symbol that is not a token falls back to its UTF-8 bytes as "&lt;0xAB&gt;" tokens.
 *
 * <p>The merging uses a priority queue over a linked list of symbols, O(n log n) in the text length. Stale
 * queue entries are recognised the way llama.cpp does it (a side was merged away, or the pair's length
 * changed), which keeps its tie-breaking.
 */
final class SentencePieceBpe extends AbstractTokenizer {

    SentencePieceBpe(Vocabulary vocabulary) {
        super(vocabulary);
    }

    @Override
    void encode(String text, List<SpecialTokenSplitter.Fragment> fragments, boolean addSpecial, IdList out) {
        Vocabulary.Options options = vocabulary.options();
        if (addSpecial && options.addBos()) {
            out.add(vocabulary.special().bos());
        }
        boolean previousSpecial = true; // the input's start counts as "after a special token"
        for (SpecialTokenSplitter.Fragment fragment : fragments) {
            switch (fragment) {
                case SpecialTokenSplitter.Token(int id) -> {
                    out.add(id);
                    previousSpecial = true;
                }
                case SpecialTokenSplitter.Text(int start, int end) -> {
                    String piece = text.substring(start, end);
                    if (options.addSpacePrefix() && previousSpecial) {
                        piece = " " + piece;
                    }
                    tokenize(piece.replace(' ', '\u2581'), out);
                    previousSpecial = false;
                }
            }
        }
        if (addSpecial && options.addEos()) {
            out.add(vocabulary.special().eos());
        }
    }

    private void tokenize(String text, IdList out) {
        int n = text.length();
        // symbols are code points, linked by prev/next; a merged-away symbol has length 0
        int[] start = new int[n];
        int[] length = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        int count = 0;
        for (int i = 0; i < n; ) {
            int width = Character.charCount(text.codePointAt(i));
            start[count] = i;
            length[count] = width;
            prev[count] = count - 1;
            i += width;
            next[count] = i == n ? -1 : count + 1;
            count++;
        }
        // candidate merges: key = (score descending, left ascending), value = (right, merged length)
        PairHeap queue = new PairHeap();
        for (int i = 1; i < count; i++) {
            offer(queue, text, start, length, i - 1, i);
        }
        while (!queue.isEmpty()) {
            int left = (int) queue.minKey();
            int right = (int) (queue.minValue() >>> 32);
            int mergedLength = (int) queue.minValue();
            queue.removeMin();
            if (length[left] == 0 || length[right] == 0 || length[left] + length[right] != mergedLength) {
                continue; // stale: a side was merged since
            }
            length[left] += length[right];
            length[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            offer(queue, text, start, length, prev[left], left);
            offer(queue, text, start, length, left, next[left]);
        }
        for (int i = count > 0 ? 0 : -1; i != -1; i = next[i]) {
            String symbol = text.substring(start[i], start[i] + length[i]);
            int id = vocabulary.id(symbol);
            if (id >= 0) {
                out.add(id);
            } else {
                // merged symbols are always tokens, so only single code points get here
                for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
                    out.add(byteToken(b & 0xFF));
                }
            }
        }
    }

    private void offer(PairHeap queue, String text, int[] start, int[] length, int left, int right) {
        if (left == -1 || right == -1) {
            return;
        }
        int merged = length[left] + length[right];
        int id = vocabulary.id(text.substring(start[left], start[left] + merged));
        if (id >= 0) {
            long key = ((long) descending(vocabulary.scores()[id]) << 32) | left;
            queue.add(key, ((long) right << 32) | merged);
        }
    }

    /** An int that orders like {@code -score} (IEEE bits made sortable as signed ints, then negated order). */
    private static int descending(float score) {
        int bits = Float.floatToIntBits(score == 0f ? 0f : score); // -0.0 == 0.0, as the float comparison has it
        int sortable = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        return ~sortable;
    }

    /**
     * llama.cpp's byte_to_token: "&lt;0xAB&gt;", else the byte as a one-character token. Where llama.cpp would
     * abort (neither exists) the unknown token is used.
     */
    private int byteToken(int b) {
        int id = vocabulary.id(String.format("<0x%02X>", b));
        if (id < 0 && b < 0x80) {
            id = vocabulary.id(Character.toString(b));
        }
        if (id < 0) {
            id = vocabulary.special().unk();
        }
        if (id < 0) {
            throw new TokenizerException("the vocabulary has no token for byte 0x" + Integer.toHexString(b) + " and no unknown token");
        }
        return id;
    }
}
