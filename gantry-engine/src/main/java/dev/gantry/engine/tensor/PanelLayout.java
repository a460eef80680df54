package dev.gantry.engine.tensor;

/**
 * How a format's {@link WeightFormat#dot} adds up a row, which is what a {@link WeightPanel} must repeat to give
 * every token of a batch exactly the number it gets alone. The panel holds the row's weights as floats (and, for
 * scaled blocks, one float scale per block); the layout says which chain of fused multiply-adds {@code dot} runs
 * over them.
 */
public enum PanelLayout {

    /**
     * Blocks of 32 weights, each summed from zero ({@code s = fma(w, x, s)} over the block's vectors in order) and
     * then scaled into one accumulator ({@code acc = fma(s, scale, acc)}): Q8_0 and Q4_0, whose panel values are the
     * integer quants and whose scales are the blocks' {@code d}.
     */
    SCALED_BLOCKS_OF_32(32, false),

    /**
     * {@link #SCALED_BLOCKS_OF_32}, less a second chain for the blocks' mins: each block's activations summed from
     * zero ({@code xs = xs + x} over its vectors), then {@code accMin = fma(xs, min, accMin)}, and the row's result is
     * the lane sum of {@code acc - accMin}: Q4_K and Q5_K, whose panel values are the unsigned quants and whose scales
     * and mins are {@code d * scale} and {@code dmin * min} of each sub-block.
     */
    SCALED_BLOCKS_OF_32_WITH_MINS(32, true),

    /**
     * {@link #SCALED_BLOCKS_OF_32} with a scale per 16 weights: Q6_K, whose panel values are the quants minus 32
     * and whose scales are {@code d * scale} of each sub-block.
     */
    SCALED_BLOCKS_OF_16(16, false),

    /**
     * One accumulator of {@link Simd#WIDE} lanes over the row, then the elements past the last whole 16 one by one:
     * F16.
     */
    ONE_ACCUMULATOR(0, false),

    /**
     * Four accumulators taking the row's vectors in turn, added as {@code (a0 + a1) + (a2 + a3)}, then the elements
     * past the last whole group of four vectors one by one: F32 and BF16.
     */
    FOUR_ACCUMULATORS(0, false);

    private final int block;
    private final boolean mins;

    PanelLayout(int block, boolean mins) {
        this.block = block;
        this.mins = mins;
    }

    /** Weights per scale (and min), or 0 for the unscaled element formats. */
    public int block() {
        return block;
    }

    /** Whether blocks have a min, subtracted through a second accumulator. */
    public boolean mins() {
        return mins;
    }
}
