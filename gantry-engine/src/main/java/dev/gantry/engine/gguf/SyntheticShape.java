package dev.gantry.engine.gguf;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The hyper-parameters of a random-weight Llama that {@link SyntheticModel} writes: enough to give a benchmark the
 * shapes (and so the memory traffic and arithmetic) of a real model without downloading one.
 *
 * @param name         how the command line names it ({@code llama-1b})
 * @param dim          embedding length
 * @param ffnDim       feed-forward (SwiGLU hidden) length
 * @param vocabSize    tokens, at least the 259 fixed ones of {@link SyntheticVocabulary}
 */
public record SyntheticShape(String name, int dim, int layers, int heads, int kvHeads, int ffnDim, int vocabSize,
                             int contextLength, float normEps, float ropeBase) {

    /** TinyLlama-1.1B's shapes (its config.json): 2048 x 22 layers, 32 heads over 4 KV heads, FFN 5632, 32000 tokens. */
    public static final SyntheticShape LLAMA_1B = new SyntheticShape("llama-1b", 2048, 22, 32, 4, 5632, 32000, 2048, 1e-5f, 10000f);

    /** The shapes {@link #named} knows. */
    public static final List<SyntheticShape> KNOWN = List.of(LLAMA_1B);

    public SyntheticShape {
        require(name != null && name.matches("[a-z0-9][a-z0-9.-]*"), "name must be lower-case letters, digits, '.' or '-', got '" + name + "'");
        require(dim > 0 && layers > 0 && ffnDim > 0 && contextLength > 0, "dimensions must be positive");
        require(heads > 0 && kvHeads > 0 && heads % kvHeads == 0, "heads (" + heads + ") must be a positive multiple of kv heads (" + kvHeads + ")");
        require(dim % heads == 0 && (dim / heads) % 2 == 0, "dim (" + dim + ") must split into heads of an even size");
        require(vocabSize >= SyntheticVocabulary.FIXED_TOKENS, "vocabulary needs at least " + SyntheticVocabulary.FIXED_TOKENS + " tokens, got " + vocabSize);
        require(normEps > 0 && ropeBase > 0, "norm epsilon and rope base must be positive");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("synthetic model shape: " + message);
        }
    }

    public int headDim() {
        return dim / heads;
    }

    public int kvDim() {
        return kvHeads * headDim();
    }

    /** Parameters of every tensor (embedding, output, the layers' matrices and norms). */
    public long parameterCount() {
        long perLayer = 2L * dim + (long) dim * dim * 2 + 2L * dim * kvDim() + 3L * dim * ffnDim;
        return 2L * dim * vocabSize + dim + layers * perLayer;
    }

    /** A known shape by name, or an error listing them. */
    public static SyntheticShape named(String name) {
        for (SyntheticShape s : KNOWN) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown synthetic model '" + name + "' (known: "
                + KNOWN.stream().map(SyntheticShape::name).collect(Collectors.joining(", ")) + ")");
    }
}
