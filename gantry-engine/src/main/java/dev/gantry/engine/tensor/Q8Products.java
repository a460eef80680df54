package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * A weight format whose kernels multiply {@link Q8Activations}: integer products of the weights' quants and the
 * activations', summed exactly within a block and then scaled, as llama.cpp's CPU kernels compute Q4_0 and K-quant
 * products ({@code ggml_vec_dot_q4_0_q8_0}, {@code ggml_vec_dot_q4_K_q8_K}). Rows are interleaved in groups that one
 * kernel computes together, so a matrix product goes through {@link #multiply} rather than a row at a time;
 * {@link #dot} gives the same bits, for callers with one row.
 */
public interface Q8Products extends WeightFormat {

    /** The grid the kernels take the activations on. */
    Q8Activations.Grid activations();

    /** Rows laid out and computed together: the row ranges a product is split into should start at multiples of it. */
    int rowGroup();

    /**
     * {@code out[outOffset + t * outStride + i] = row (rowStart + i) . token t of x}, for {@code i < rowCount} and
     * every token of {@code x}; the rows are those of a matrix whose data begins at byte 0 of {@code data}. Each
     * result is bit-identical to {@link #dot} of that row and token alone.
     */
    void multiply(MemorySegment data, int rowStart, int rowCount, Q8Activations x, float[] out, int outOffset,
                  int outStride);
}
