package dev.gantry.engine.kvcache;

import dev.gantry.engine.tensor.GgmlType;

/**
 * How cached keys and values are stored, as llama.cpp's {@code --cache-type-k/-v}: rows in the ggml layout of
 * {@link #ggmlType()}, so the weight formats' {@code dot} and {@code dequantize} read them directly.
 */
public enum KvCacheType {
    /** IEEE binary16, 2 bytes an element: llama.cpp's default cache and what our references were computed with. */
    F16(GgmlType.F16),
    /** ggml {@code block_q8_0}: 34 bytes per 32 elements (about half of F16), rounded as ggml's reference quantizer. */
    Q8_0(GgmlType.Q8_0);

    private final GgmlType ggmlType;

    KvCacheType(GgmlType ggmlType) {
        this.ggmlType = ggmlType;
    }

    public GgmlType ggmlType() {
        return ggmlType;
    }

    /** Bytes of one row of {@code elements} elements; they must fill whole ggml blocks (32 for Q8_0). */
    public long rowBytes(int elements) {
        if (elements % ggmlType.blockSize() != 0) {
            throw new IllegalArgumentException("a " + this + " KV cache needs rows that are a multiple of "
                    + ggmlType.blockSize() + " elements, got " + elements);
        }
        return ggmlType.byteSize(elements);
    }
}
