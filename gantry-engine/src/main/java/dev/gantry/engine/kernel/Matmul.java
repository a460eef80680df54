package dev.gantry.engine.kernel;

import dev.gantry.engine.tensor.Q8Activations;
import dev.gantry.engine.tensor.Q8Products;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.WeightFormat;
import dev.gantry.engine.tensor.WeightPanel;
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
    /**
     * From this many tokens on, a band of rows is unpacked to floats once ({@link WeightPanel}) rather than once per
     * tile of tokens. Measured on the 1.1B Q4_0 model (batched decode through {@code gantry bench serve}): with 4 and
     * 8 tokens the tile kernels are 1.2-1.4x faster, at 16 the two are even, and a 128-token prompt is 1.2x (Q4_0) to
     * 3.7x (F16) faster in panels.
     */
    private static final int PANEL_MIN_TOKENS = 16;
    /**
     * Rows of a panel: each pass of the tokens' activations over a band (they stream from L3 for long prompts) serves
     * this many rows; 16 rows of 5632 floats (TinyLlama's FFN) are 352 KiB, within a core's L2. Measured against 8 and
     * 32 on the 1.1B synthetic models (pp128, BENCHMARKS.md).
     */
    private static final int PANEL_ROWS = 16;
    /** One panel per compute thread, reused: the pool's threads live as long as the engine. */
    private static final ThreadLocal<WeightPanel> PANELS = ThreadLocal.withInitial(WeightPanel::new);

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
        apply(pool, x, tokens, new Slice(w, rowStart, rowCount, out, outOffset, outStride));
    }

    /**
     * Rows {@code [rowStart, rowStart + rowCount)} of {@code w}, written at column {@code outOffset} of output rows
     * {@code outStride} wide.
     */
    public record Slice(Tensor w, int rowStart, int rowCount, float[] out, int outOffset, int outStride) {

        /** All of {@code w}'s rows into {@code out}. */
        public static Slice of(Tensor w, float[] out) {
            return new Slice(w, 0, w.rows(), out, 0, w.rows());
        }
    }

    /**
     * Several products of the same activations in one dispatch of the pool, their rows split among the threads as
     * one range: q, k and v (or gate and up) cost one barrier instead of three. All slices read {@code cols} =
     * the first slice's columns.
     */
    public static void apply(ComputePool pool, float[] x, int tokens, Slice... slices) {
        int cols = slices[0].w().cols();
        Input[] inputs = new Input[slices.length];
        int[] firstRow = new int[slices.length + 1];
        int group = slices[0].w().format() instanceof Q8Products q8 ? q8.rowGroup() : 1;
        for (int i = 0; i < slices.length; i++) {
            Slice sl = slices[i];
            if (sl.w().cols() != cols) {
                throw new IllegalArgumentException("fused products need one input width, got " + cols + " and " + sl.w().cols());
            }
            boolean shared = i > 0 && Input.sameFor(sl.w(), slices[i - 1].w());
            inputs[i] = shared ? inputs[i - 1] : Input.of(sl.w(), x, tokens, cols);
            firstRow[i + 1] = firstRow[i] + sl.rowCount();
            if (!(sl.w().format() instanceof Q8Products q8) || q8.rowGroup() != group || sl.rowStart() % group != 0) {
                group = 1;
            }
        }
        int rows = firstRow[slices.length];
        // rows interleaved in groups are handed out in whole groups, so that no group is computed twice
        int unit = rows % group == 0 ? group : 1;
        pool.run(rows / unit, (long) rows * cols * tokens, (s, e) -> {
            int start = s * unit;
            int end = e * unit;
            for (int i = 0; i < slices.length; i++) {
                int from = Math.max(start, firstRow[i]) - firstRow[i];
                int to = Math.min(end, firstRow[i + 1]) - firstRow[i];
                if (from < to) {
                    rows(slices[i], from, to, inputs[i], cols, tokens);
                }
            }
        });
    }

    /**
     * A product's activations as its weights' kernels read them: floats rounded to the weights' activation grid,
     * or quantized for {@link Q8Products}.
     */
    private record Input(float[] floats, Q8Activations quantized) {

        /** Whether {@code a}'s kernels read the same input as {@code b}'s (Q4_K and Q6_K: both Q8_K quants). */
        static boolean sameFor(Tensor a, Tensor b) {
            if (a.format() instanceof Q8Products qa) {
                return b.format() instanceof Q8Products qb && qa.activations() == qb.activations();
            }
            return !(b.format() instanceof Q8Products) && a.type() == b.type();
        }

        static Input of(Tensor w, float[] x, int tokens, int cols) {
            return w.format() instanceof Q8Products q8
                    ? new Input(null, Q8Activations.of(q8.activations(), x, cols, tokens))
                    : new Input(ActivationRounding.forWeights(w.type(), x, tokens * cols), null);
        }
    }

    /** Rows {@code [from, to)} of a slice (relative to its first row) for every token. */
    private static void rows(Slice sl, int from, int to, Input in, int cols, int tokens) {
        Tensor w = sl.w();
        long rowBytes = w.rowBytes();
        WeightFormat format = w.format();
        MemorySegment data = w.data();
        float[] out = sl.out();
        int base = sl.rowStart();
        if (format instanceof Q8Products q8) {
            q8.multiply(data, base + from, to - from, in.quantized(), out, sl.outOffset() + from, sl.outStride());
            return;
        }
        float[] input = in.floats();
        if (tokens == 1) {
            format.dotRows(data, (base + from) * rowBytes, rowBytes, to - from, input, 0, cols, out, sl.outOffset() + from);
            return;
        }
        if (tokens >= PANEL_MIN_TOKENS && WeightPanel.supports(format)) {
            WeightPanel panel = PANELS.get();
            for (int r = from; r < to; r += PANEL_ROWS) {
                int bandRows = Math.min(PANEL_ROWS, to - r);
                panel.load(format, data, (base + r) * rowBytes, rowBytes, bandRows, cols);
                panel.multiply(input, 0, cols, tokens, out, sl.outOffset() + r, sl.outStride());
            }
            return;
        }
        // a band of rows stays in cache while every tile of tokens passes over it
        for (int band = from; band < to; band += ROW_BAND) {
            int bandEnd = Math.min(to, band + ROW_BAND);
            for (int t = 0; t < tokens; t += TOKEN_TILE) {
                int tile = Math.min(TOKEN_TILE, tokens - t);
                for (int r = band; r < bandEnd; r++) {
                    format.dotTokens(data, (base + r) * rowBytes, input, t * cols, cols, tile, cols,
                            out, t * sl.outStride() + sl.outOffset() + r, sl.outStride());
                }
            }
        }
    }

    /** Copies row {@code row} of {@code w}, dequantized, into {@code dst[dstOffset..]} (embedding lookup). */
    public static void row(Tensor w, int row, float[] dst, int dstOffset) {
        w.format().dequantize(w.data(), row * w.rowBytes(), dst, dstOffset, w.cols());
    }
}
