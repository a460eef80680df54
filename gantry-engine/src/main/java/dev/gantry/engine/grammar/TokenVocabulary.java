package dev.gantry.engine.grammar;

import dev.gantry.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.BitSet;

/**
 * A model's vocabulary as grammar masks need it: the decoded bytes of every token laid out as a trie in
 * depth-first order, so a mask walks shared prefixes once ({@link GrammarMatcher#mask()}), and the
 * end-of-generation tokens, which a grammar allows only where it can end. Tokens without bytes (control and
 * unknown tokens) are in no mask. Built once per model; immutable and thread-safe.
 *
 * <p>Layout: node {@code i} (node 0 is the root) consumes byte {@code label[i]} at depth {@code depth[i]}; its
 * subtree is {@code [i, end[i])}; the tokens whose bytes end exactly there are
 * {@code tokens[tokenFrom[i] .. tokenFrom[i + 1])}.
 */
public final class TokenVocabulary {

    private static final byte[] NONE = new byte[0];

    private final int size;
    private final byte[][] bytes;
    private final byte[] label;
    private final int[] depth;
    private final int[] end;
    private final int[] tokenFrom;
    private final int[] tokens;
    private final int maxDepth;
    private final BitSet endOfGeneration;

    private TokenVocabulary(int size, byte[][] bytes, byte[] label, int[] depth, int[] end, int[] tokenFrom, int[] tokens, int maxDepth,
                            BitSet endOfGeneration) {
        this.size = size;
        this.bytes = bytes;
        this.label = label;
        this.depth = depth;
        this.end = end;
        this.tokenFrom = tokenFrom;
        this.tokens = tokens;
        this.maxDepth = maxDepth;
        this.endOfGeneration = endOfGeneration;
    }

    /** The trie of {@code tokenizer.tokenBytes(id)} (llama_token_to_piece without special text) over all ids. */
    public static TokenVocabulary of(Tokenizer tokenizer) {
        int n = tokenizer.vocabSize();
        byte[][] bytes = new byte[n][];
        BitSet eog = new BitSet(n);
        Integer[] order = new Integer[n];
        int count = 0;
        int totalBytes = 0;
        for (int id = 0; id < n; id++) {
            if (tokenizer.isEndOfGeneration(id)) {
                eog.set(id);
                continue;
            }
            byte[] b = tokenizer.tokenBytes(id);
            if (b.length == 0) {
                continue;
            }
            bytes[id] = b;
            order[count++] = id;
            totalBytes += b.length;
        }
        Integer[] sorted = Arrays.copyOf(order, count);
        Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(bytes[a], bytes[b]));
        return build(n, bytes, sorted, totalBytes, eog);
    }

    /** Builds the depth-first arrays from byte strings in unsigned lexicographic order: new nodes come in preorder. */
    private static TokenVocabulary build(int n, byte[][] bytes, Integer[] sorted, int totalBytes, BitSet eog) {
        int cap = totalBytes + 1;
        byte[] label = new byte[cap];
        int[] depth = new int[cap];
        int[] end = new int[cap];
        int[] tokenFrom = new int[cap + 1];
        int[] tokens = new int[sorted.length];
        int maxLength = 0;
        for (Integer id : sorted) {
            maxLength = Math.max(maxLength, bytes[id].length);
        }
        int[] path = new int[maxLength + 1];
        int nodes = 1;
        int pathLength = 0;
        byte[] previous = new byte[0];
        int t = 0;
        for (Integer id : sorted) {
            byte[] b = bytes[id];
            int common = 0;
            while (common < previous.length && common < b.length && previous[common] == b[common]) {
                common++;
            }
            for (int d = pathLength; d > common; d--) {
                end[path[d]] = nodes;
            }
            for (int d = common + 1; d <= b.length; d++) {
                tokenFrom[nodes] = t;
                label[nodes] = b[d - 1];
                depth[nodes] = d;
                path[d] = nodes++;
            }
            pathLength = b.length;
            tokens[t++] = id;
            previous = b;
        }
        for (int d = pathLength; d > 0; d--) {
            end[path[d]] = nodes;
        }
        end[0] = nodes;
        tokenFrom[nodes] = t;
        return new TokenVocabulary(n, bytes, Arrays.copyOf(label, nodes), Arrays.copyOf(depth, nodes), Arrays.copyOf(end, nodes),
                Arrays.copyOf(tokenFrom, nodes + 1), tokens, maxLength, eog);
    }

    public int size() {
        return size;
    }

    public boolean isEndOfGeneration(int token) {
        return endOfGeneration.get(token);
    }

    /** The token's bytes as the trie holds them (empty for tokens in no mask); not copied, do not modify. */
    byte[] bytes(int token) {
        byte[] b = bytes[token];
        return b == null ? NONE : b;
    }

    int nodes() {
        return label.length;
    }

    int label(int node) {
        return label[node] & 0xFF;
    }

    int depth(int node) {
        return depth[node];
    }

    int subtreeEnd(int node) {
        return end[node];
    }

    int maxDepth() {
        return maxDepth;
    }

    /** Sets the bits of the tokens that end at {@code node}. */
    void addTokens(int node, BitSet into) {
        for (int i = tokenFrom[node]; i < tokenFrom[node + 1]; i++) {
            into.set(tokens[i]);
        }
    }

    BitSet endOfGeneration() {
        return endOfGeneration;
    }
}
