package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * How a format's {@link WeightFormat#dotTokens} walks the tokens: in tiles as wide as its tile kernel (which
 * unpacks each weight block once for the whole tile), the remainder one {@link WeightFormat#dot} at a time. The
 * tile width is what fits the vector registers: one accumulator per token and partial sum, plus the weights.
 */
final class TokenTiles {

    /** A kernel for {@code width} tokens, {@code xStride} floats apart in {@code x}, {@code outStride} in {@code out}. */
    @FunctionalInterface
    interface Kernel {
        void dot(MemorySegment data, long offset, float[] x, int x0, int xStride, int n, float[] out, int o0,
                 int outStride);
    }

    private TokenTiles() {
    }

    static void run(WeightFormat format, int width, Kernel kernel, MemorySegment data, long offset, float[] x,
                    int xOffset, int xStride, int tokens, int n, float[] out, int outOffset, int outStride) {
        int t = 0;
        for (; t + width <= tokens; t += width) {
            kernel.dot(data, offset, x, xOffset + t * xStride, xStride, n, out, outOffset + t * outStride, outStride);
        }
        for (; t < tokens; t++) {
            out[outOffset + t * outStride] = format.dot(data, offset, x, xOffset + t * xStride, n);
        }
    }
}
