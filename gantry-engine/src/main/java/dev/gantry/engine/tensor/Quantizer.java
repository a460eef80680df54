package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Encodes floats into a {@link GgmlType}'s exact byte layout with ggml's reference rounding
 * ({@code quantize_row_*_ref} in ggml-quants.c, i.e. what {@code llama-quantize} writes when no importance matrix
 * is given), so files we write load in llama.cpp and files it wrote can be reproduced. Implemented by the
 * {@link WeightFormat} classes that can encode.
 */
public interface Quantizer {

    GgmlType type();

    /** Encodes {@code src[srcOffset..srcOffset+n)} into {@code type().byteSize(n)} bytes at {@code dst[dstOffset..]}. */
    void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int n);

    /** The quantizer for a type, or an {@link UnsupportedOperationException} naming it. */
    static Quantizer of(GgmlType type) {
        if (WeightFormat.of(type) instanceof Quantizer q) {
            return q;
        }
        throw new UnsupportedOperationException("no quantizer for weight type " + type);
    }
}
