package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * How one {@link GgmlType} stores numbers, and the two ways to read them: a scalar dequantization that is the
 * reference, and a Vector API dot product that is the fast path. Each format is one class, tested against its
 * own reference on random data.
 *
 * <p>Offsets are in bytes into {@code data}; element counts are multiples of the type's block size (any count for
 * F32, F16 and BF16). All data is little-endian, as in GGUF. Implementations are stateless and thread-safe.
 */
public interface WeightFormat {

    GgmlType type();

    /** Bytes per row of {@code n} weights: the GGUF size, unless the format is a repacked layout. */
    default long rowBytes(int n) {
        return type().byteSize(n);
    }

    /** Scalar reference: decodes {@code n} elements starting at byte {@code offset} into {@code dst[dstOffset..]}. */
    void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n);

    /** Fast path: the dot product of {@code n} weights at byte {@code offset} with {@code x[xOffset..xOffset+n)}. */
    float dot(MemorySegment data, long offset, float[] x, int xOffset, int n);

    /**
     * A matrix-vector product over {@code rows} consecutive rows of {@code n} weights, the first at byte
     * {@code offset} and each {@code rowStride} bytes after the previous: {@code out[outOffset + r] = row r . x}.
     * Formats may override this to share work between rows; the default is one {@link #dot} per row.
     */
    default void dotRows(MemorySegment data, long offset, long rowStride, int rows,
                         float[] x, int xOffset, int n, float[] out, int outOffset) {
        for (int r = 0; r < rows; r++) {
            out[outOffset + r] = dot(data, offset + r * rowStride, x, xOffset, n);
        }
    }

    /**
     * One row against several activation vectors (the tokens of a batch): for {@code t < tokens},
     * {@code out[outOffset + t * outStride] = row . x[xOffset + t * xStride ..]}. Each result is bit-identical to
     * {@link #dot} for that token alone, so a batch computes exactly what its sequences would alone; formats
     * override this to unpack each weight block once for a tile of tokens.
     */
    default void dotTokens(MemorySegment data, long offset, float[] x, int xOffset, int xStride, int tokens, int n,
                           float[] out, int outOffset, int outStride) {
        for (int t = 0; t < tokens; t++) {
            out[outOffset + t * outStride] = dot(data, offset, x, xOffset + t * xStride, n);
        }
    }

    /**
     * The chain of operations {@link #dot} runs, for a {@link WeightPanel} to repeat over unpacked rows; null when
     * the format has no panel kernel (batches then go through {@link #dotTokens}).
     */
    default PanelLayout panelLayout() {
        return null;
    }

    /**
     * Unpacks one row of {@code n} weights for a {@link WeightPanel}: the floats {@link #dot} multiplies into
     * {@code values[valuesOffset..]} and, for scaled layouts ({@link PanelLayout#block()}), each block's scale into
     * {@code scales[blockOffset..]} and its min (if the layout has them) into {@code mins[blockOffset..]}. Only for
     * formats with a {@link #panelLayout()}.
     */
    default void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                        float[] mins, int blockOffset) {
        throw new UnsupportedOperationException(type() + " has no panel kernel");
    }

    /** The format for a type, or an {@link UnsupportedOperationException} naming it. */
    static WeightFormat of(GgmlType type) {
        return WeightFormats.of(type);
    }
}
