package dev.gantry.engine.kernel;

import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.WeightFormat;
import java.lang.foreign.MemorySegment;

/**
 * {@code out = x · Wᵀ} for a batch of tokens: {@code W} has shape {@code [cols, rows]} (ggml order), {@code x}
 * holds {@code tokens} rows of {@code cols} floats, {@code out} receives {@code tokens} rows of {@code rows}
 * floats. Rows of W are split statically among the pool's threads; each weight row is read once and serves every
 * token of the batch while it is hot in cache. Activations are first rounded as llama.cpp's kernels see them
 * ({@link ActivationRounding}).
 */
public final class Matmul {

    private Matmul() {
    }

    public static void apply(ComputePool pool, Tensor w, float[] x, int tokens, float[] out) {
        apply(pool, w, 0, w.rows(), x, tokens, out, 0, w.rows());
    }

    /**
     * Computes weight rows {@code [rowStart, rowStart + rowCount)} only, writing them at column {@code outOffset}
     * of output rows of width {@code outStride}: lets a fused weight (qkv, gate+up) fill separate buffers.
     */
    public static void apply(ComputePool pool, Tensor w, int rowStart, int rowCount, float[] x, int tokens,
                             float[] out, int outOffset, int outStride) {
        int cols = w.cols();
        long rowBytes = w.rowBytes();
        WeightFormat format = WeightFormat.of(w.type());
        MemorySegment data = w.data();
        float[] input = ActivationRounding.forWeights(w.type(), x, tokens * cols);
        pool.run(rowCount, (long) rowCount * cols * tokens, (start, end) -> {
            for (int r = start; r < end; r++) {
                long offset = (rowStart + r) * rowBytes;
                for (int t = 0; t < tokens; t++) {
                    out[t * outStride + outOffset + r] = format.dot(data, offset, input, t * cols, cols);
                }
            }
        });
    }

    /** Copies row {@code row} of {@code w}, dequantized, into {@code dst[dstOffset..]} (embedding lookup). */
    public static void row(Tensor w, int row, float[] dst, int dstOffset) {
        WeightFormat.of(w.type()).dequantize(w.data(), row * w.rowBytes(), dst, dstOffset, w.cols());
    }
}
