package dev.gantry.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Activations quantized to 8 bits on one of ggml's grids, for the {@link Q8Products} formats, which sum integer
 * products with them as llama.cpp's CPU kernels do ({@code vec_dot_type} in ggml-cpu.c: Q8_0 for Q4_0, Q8_K for the
 * K-quants). Whatever the grid, a token's values {@code x} are about {@code quants * scales} per block of
 * {@link #BLOCK}, and quants stay within -127..127. Quants are kept as shorts, the width the kernels multiply in.
 *
 * @param quants {@code tokens} rows of {@code cols} quants
 * @param scales {@code tokens} rows of {@code cols / 32} scales, one per block of 32 (Q8_K repeats its scale of 256)
 * @param sums   for Q8_K, {@code tokens} rows of {@code cols / 32}: a block's sum of quants (an integer, exact as a
 *               float), the factor of the K-quants' mins (ggml's {@code bsums}); null for Q8_0
 */
public record Q8Activations(short[] quants, float[] scales, float[] sums, int cols, int tokens) {

    /** Values that share a scale and a sum. */
    public static final int BLOCK = 32;
    private static final float ROUNDING = 0x1.8p23f;

    /** The grids. */
    public enum Grid {
        /** {@code quantize_row_q8_0_ref}: per 32 values, {@code d = fp16(amax / 127)}, {@code q = rint(x / d)}. */
        Q8_0(32),
        /**
         * {@code quantize_row_q8_K_ref}: per 256 values, {@code iscale = -127 / max} (the value of largest magnitude,
         * signed), {@code q = min(127, rint(iscale * x))}, {@code d = 1 / iscale}, kept as a float.
         */
        Q8_K(256);

        /** Values per scale. */
        public final int block;

        Grid(int block) {
            this.block = block;
        }
    }

    /** The first {@code tokens} rows of {@code cols} values of {@code x} ({@code cols} a multiple of the grid's block). */
    public static Q8Activations of(Grid grid, float[] x, int cols, int tokens) {
        return of(grid, x, 0, cols, tokens);
    }

    /** {@code tokens} rows of {@code cols} values of {@code x}, the first at {@code offset}, each {@code cols} after it. */
    static Q8Activations of(Grid grid, float[] x, int offset, int cols, int tokens) {
        if (cols % grid.block != 0) {
            throw new IllegalArgumentException(
                    grid + " activations need a multiple of " + grid.block + " values, got " + cols);
        }
        int n = cols * tokens;
        short[] quants = new short[n];
        float[] scales = new float[n / BLOCK];
        float[] sums = grid == Grid.Q8_K ? new float[n / BLOCK] : null;
        for (int b = 0; b < n / grid.block; b++) {
            int at = b * grid.block;
            float d = grid == Grid.Q8_0 ? q8_0(x, offset + at, quants, at) : q8_K(x, offset + at, quants, at);
            for (int i = at / BLOCK; i < (at + grid.block) / BLOCK; i++) {
                scales[i] = d;
                if (sums != null) {
                    int sum = 0;
                    for (int j = i * BLOCK; j < (i + 1) * BLOCK; j++) {
                        sum += quants[j];
                    }
                    sums[i] = sum;
                }
            }
        }
        return new Q8Activations(quants, scales, sums, cols, tokens);
    }

    /** One block of 32 from {@code x[from..]} into {@code quants[to..]}; returns its scale. */
    private static float q8_0(float[] x, int from, short[] quants, int to) {
        FloatVector amax = FloatVector.zero(Simd.F);
        for (int i = 0; i < 32; i += Simd.LANES) {
            amax = amax.max(FloatVector.fromArray(Simd.F, x, from + i).abs());
        }
        float max = amax.reduceLanes(VectorOperators.MAX);
        round(x, from, 32, max != 0 ? 127.0f / max : 0.0f, quants, to);
        return Float.float16ToFloat(Float.floatToFloat16(max / 127.0f));
    }

    /** One block of 256 from {@code x[from..]} into {@code quants[to..]}; returns its scale (0 for a block of zeros). */
    private static float q8_K(float[] x, int from, short[] quants, int to) {
        FloatVector amax = FloatVector.zero(Simd.F);
        for (int i = 0; i < 256; i += Simd.LANES) {
            amax = amax.max(FloatVector.fromArray(Simd.F, x, from + i).abs());
        }
        float largest = amax.reduceLanes(VectorOperators.MAX);
        if (largest == 0) {
            return 0;
        }
        // the signed value: the first of largest magnitude, as the reference's strict comparison keeps
        float max = 0;
        for (int i = 0; i < 256; i += Simd.LANES) {
            FloatVector v = FloatVector.fromArray(Simd.F, x, from + i);
            int lane = v.abs().eq(largest).firstTrue();
            if (lane < Simd.LANES) {
                max = v.lane(lane);
                break;
            }
        }
        float iscale = -127.0f / max;
        round(x, from, 256, iscale, quants, to);
        return 1 / iscale;
    }

    /**
     * {@code quants[to + i] = min(127, rint(x[from + i] * scale))} for {@code i < n}: the products rounded to the
     * nearest integer, ties to even, by adding and subtracting 1.5 * 2^23 (exact for magnitudes below 2^22; these
     * stay within 128).
     */
    private static void round(float[] x, int from, int n, float scale, short[] quants, int to) {
        for (int i = 0; i < n; i += Simd.LANES) {
            FloatVector q = FloatVector.fromArray(Simd.F, x, from + i).mul(scale).add(ROUNDING).sub(ROUNDING).min(127f);
            ((ShortVector) q.convertShape(VectorOperators.F2S, Simd.S, 0)).intoArray(quants, to + i);
        }
    }
}
