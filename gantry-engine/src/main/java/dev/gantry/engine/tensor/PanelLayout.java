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
    SCALED_BLOCKS_OF_32,

    /** One accumulator over the row's vectors, then the elements past the last whole vector one by one: F16. */
    ONE_ACCUMULATOR,

    /**
     * Four accumulators taking the row's vectors in turn, added as {@code (a0 + a1) + (a2 + a3)}, then the elements
     * past the last whole group of four vectors one by one: F32 and BF16.
     */
    FOUR_ACCUMULATORS
}
