package dev.gantry.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Byte-level BPE ({@code tokenizer.ggml.model = gpt2}, also {@code gemma4}), as llama.cpp's llm_tokenizer_bpe
 * does it: the {@link PreTokenizer} named by {@code tokenizer.ggml.pre} splits the text into words (written in
 * GPT-2's byte alphabet), and inside each word adjacent symbols are merged by {@code tokenizer.ggml.merges}
 * rank, lowest rank first (leftmost on ties). With {@code ignore_merges} (Llama 3) a word that is a token is
 * taken whole. A final symbol that is not a token is emitted byte by byte; as in llama.cpp, bytes without a
 * token of their own are dropped. SPM-style BPE (Gemma 4) skips the byte alphabet, writes spaces as U+2581
 * and falls back to "&lt;0xAB&gt;" tokens.
 */
final class ByteLevelBpe extends AbstractTokenizer {

    private final PreTokenizer preTokenizer;

    ByteLevelBpe(Vocabulary vocabulary) {
        super(vocabulary);
        this.preTokenizer = new PreTokenizer(vocabulary.pre().type());
    }

    @Override
    void encode(String text, List<SpecialTokenSplitter.Fragment> fragments, boolean addSpecial, IdList out) {
        Vocabulary.Options options = vocabulary.options();
        if (addSpecial && options.addBos()) {
            out.add(vocabulary.special().bos());
        }
        for (SpecialTokenSplitter.Fragment fragment : fragments) {
            switch (fragment) {
                case SpecialTokenSplitter.Token(int id) -> out.add(id);
                case SpecialTokenSplitter.Text(int start, int end) -> {
                    String piece = text.substring(start, end);
                    if (options.escapeWhitespaces()) {
                        piece = piece.replace(' ', '\u2581');
                    }
                    for (String word : preTokenizer.split(piece)) {
                        tokenizeWord(word, out);
                    }
                }
            }
        }
        if (addSpecial && options.addEos()) {
            out.add(vocabulary.special().eos());
        }
    }

    /** A candidate merge; {@code text} is what the two symbols spelled when it was queued. */
    private record Bigram(int left, int right, String text, int rank) {
    }

    private void tokenizeWord(String word, IdList out) {
        if (word.isEmpty()) {
            return;
        }
        if ((vocabulary.options().ignoreMerges() || isNewlines(word)) && vocabulary.id(word) >= 0) {
            out.add(vocabulary.id(word));
            return;
        }
        int n = word.length();
        int[] start = new int[n];
        int[] length = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        int count = 0;
        for (int i = 0; i < n; ) {
            int width = Character.charCount(word.codePointAt(i)); // 1 in the byte alphabet
            start[count] = i;
            length[count] = width;
            prev[count] = count - 1;
            i += width;
            next[count] = i == n ? -1 : count + 1;
            count++;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> a.rank != b.rank
                ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
        for (int i = 1; i < count; i++) {
            offer(queue, word, start, length, i - 1, i);
        }
        while (!queue.isEmpty()) {
            Bigram bigram = queue.poll();
            int left = bigram.left;
            int right = bigram.right;
            if (length[left] == 0 || length[right] == 0) {
                continue;
            }
            if (!bigram.text.equals(word.substring(start[left], start[left] + length[left] + length[right]))) {
                continue; // outdated
            }
            length[left] += length[right];
            length[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            offer(queue, word, start, length, prev[left], left);
            offer(queue, word, start, length, left, next[left]);
        }
        for (int i = 0; i != -1; i = next[i]) {
            String symbol = word.substring(start[i], start[i] + length[i]);
            int id = vocabulary.id(symbol);
            if (id >= 0) {
                out.add(id);
            } else {
                fallback(symbol, out);
            }
        }
    }

    /**
     * llama.cpp looks up each byte of the symbol's UTF-8 on its own: in the byte alphabet only ASCII bytes can
     * be tokens, so the others vanish; without the alphabet the byte tokens are "&lt;0xAB&gt;".
     */
    private void fallback(String symbol, IdList out) {
        for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
            int id = preTokenizer.type().byteEncode()
                    ? (b >= 0 ? vocabulary.id(Character.toString(b)) : -1)
                    : vocabulary.id(String.format("<0x%02X>", b & 0xFF));
            if (id >= 0) {
                out.add(id);
            }
        }
    }

    /** Gemma 4 takes a run of newlines whole when it is a token (ggml-org/llama.cpp#21343). */
    private boolean isNewlines(String word) {
        if (preTokenizer.type() != PreTokenizerType.GEMMA4) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (word.charAt(i) != '\n') {
                return false;
            }
        }
        return true;
    }

    private void offer(PriorityQueue<Bigram> queue, String word, int[] start, int[] length, int left, int right) {
        if (left == -1 || right == -1) {
            return;
        }
        String leftText = word.substring(start[left], start[left] + length[left]);
        String rightText = word.substring(start[right], start[right] + length[right]);
        Integer rank = vocabulary.merges().get(leftText + " " + rightText);
        if (rank != null) {
            queue.add(new Bigram(left, right, leftText + rightText, rank));
        }
    }
}
