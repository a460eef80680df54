package dev.gantry.engine.kernel;

import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.WeightFormat;
import java.lang.foreign.MemorySegment;

/**
 * {@code out = x · Wᵀ} for a batch of tokens: {@code W} has shape {@code [cols, rows]} (ggml order), {@code x}
 * holds {@code tokens} rows of {@code cols} floats, {@code out} receives {@code tokens} rows of {@code rows}
 * floats. Rows of W are split statically among the pool's threads; for a batch, each band of rows meets the
 * tokens a tile at a time through {@link WeightFormat#dotTokens}, which unpacks each weight block once per tile
 * and gives every token exactly the result it would get alone. Activations are first rounded as llama.cpp's
 * kernels see them ({@link ActivationRounding}).
 */
public final class Matmul {

    /** Weight rows computed together for all tokens: 16 rows of 2048 Q8_0 weights are 34 KiB, an L2 share. */
    private static final int ROW_BAND = 16;
    /** Tokens whose activations pass over a band together: 16 x 2048 floats are 128 KiB. */
    private static final int TOKEN_TILE = 16;

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
            if (tokens == 1) {
                for (int r = start; r < end; r++) {
                    out[outOffset + r] = format.dot(data, (rowStart + r) * rowBytes, input, 0, cols);
                }
                return;
            }
            // a band of rows stays in cache while every tile of tokens passes over it
            for (int band = start; band < end; band += ROW_BAND) {
                int bandEnd = Math.min(end, band + ROW_BAND);
                for (int t = 0; t < tokens; t += TOKEN_TILE) {
                    int tile = Math.min(TOKEN_TILE, tokens - t);
                    for (int r = band; r < bandEnd; r++) {
                        format.dotTokens(data, (rowStart + r) * rowBytes, input, t * cols, cols, tile, cols,
                                out, t * outStride + outOffset + r, outStride);
                    }
                }
            }
        });
    }

    /** Copies row {@code row} of {@code w}, dequantized, into {@code dst[dstOffset..]} (embedding lookup). */
    public static void row(Tensor w, int row, float[] dst, int dstOffset) {
        WeightFormat.of(w.type()).dequantize(w.data(), row * w.rowBytes(), dst, dstOffset, w.cols());
    }
}
