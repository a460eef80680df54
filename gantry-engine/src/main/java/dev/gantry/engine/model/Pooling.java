package dev.gantry.engine.model;

import dev.gantry.engine.gguf.GgufException;
import dev.gantry.engine.gguf.GgufFile;
import java.util.Arrays;

/**
 * How the hidden states of a sequence become one vector: GGUF {@code <arch>.pooling_type}, in the order of
 * llama.cpp's {@code enum llama_pooling_type} (0 none, 1 mean, 2 cls, 3 last, 4 rank).
 */
public enum Pooling {
    /** One vector per token: no single sequence vector (llama-server's OpenAI endpoint refuses it too). */
    NONE,
    /** The average of every token's state (sentence-transformers' mean pooling). */
    MEAN,
    /** The state of the first token ([CLS]); bge and other CLS-pooled encoders. */
    CLS,
    /** The state of the last token; decoder embedding models (e5-mistral, Qwen3-Embedding). */
    LAST,
    /** A reranker's classification head over [CLS]: a relevance score, not an embedding. */
    RANK;

    /** Whether the pooling gives one vector per sequence that {@link #pool} computes. */
    public boolean poolsToVector() {
        return this == MEAN || this == CLS || this == LAST;
    }

    /**
     * The pooling a file declares. A file without the key gets {@link #MEAN}, Gantry's choice: llama.cpp would
     * fall back to {@code none}, which gives no sequence vector, and mean pooling is what sentence encoders use.
     */
    public static Pooling of(GgufFile file, String architecture) {
        String key = architecture + ".pooling_type";
        if (!file.metadata().has(key)) {
            return MEAN;
        }
        long v = file.metadata().integer(key);
        if (v < 0 || v >= values().length) {
            throw new GgufException(file.path(), "'" + key + "' is " + v + "; known values are 0.."
                    + (values().length - 1) + " " + Arrays.toString(values()));
        }
        return values()[(int) v];
    }

    /**
     * Pools the {@code length} rows of {@code dim} floats starting at row {@code first} of {@code states}. Mean
     * multiplies the sum by 1/n, as llama.cpp's mean matrix does.
     */
    public float[] pool(float[] states, int first, int length, int dim) {
        if (length <= 0) {
            throw new IllegalArgumentException("cannot pool an empty sequence");
        }
        float[] out = new float[dim];
        switch (this) {
            case MEAN -> {
                float inv = 1.0f / length;
                for (int j = 0; j < dim; j++) {
                    float sum = 0;
                    for (int i = 0; i < length; i++) {
                        sum += states[(first + i) * dim + j] * inv;
                    }
                    out[j] = sum;
                }
            }
            case CLS -> System.arraycopy(states, first * dim, out, 0, dim);
            case LAST -> System.arraycopy(states, (first + length - 1) * dim, out, 0, dim);
            default -> throw new UnsupportedOperationException("pooling '" + name().toLowerCase(java.util.Locale.ROOT)
                    + "' does not give one embedding per sequence");
        }
        return out;
    }
}
