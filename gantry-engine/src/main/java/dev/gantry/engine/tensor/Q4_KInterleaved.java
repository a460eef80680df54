package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;

/**
 * {@link Q4_K} weights repacked at load time with their rows interleaved ({@link ShortLanes}) and multiplied by
 * activations quantized to Q8_K, in integers, as {@link Q4_0Interleaved} multiplies Q4_0 (see there why shorts).
 * A sub-block's weight is {@code ds * q - dm} ({@code ds = d * scale}, {@code dm = dmin * min}, both exact floats), so
 * with activations {@code dx * xq} its product is {@code dx * (ds * S - dm * B)}: {@code S} the sum of {@code q * xq},
 * which the lanes hold as {@code S' = sum((q - 8) * xq)} (within 16 bits) and which is {@code S' + 8 * B} exactly,
 * {@code B} the sum of the activation quants ({@link Q8Activations#sums}). llama.cpp's {@code ggml_vec_dot_q4_K_q8_K}
 * computes the same integers.
 *
 * <p>A group of rows is {@code n / 32} sub-blocks of {@code 24 * ROWS} bytes: the quants, then the rows' {@code ds},
 * then their {@code dm}, as floats in row order: {@code 6} bits a weight where the file has 4.5, the price of
 * factors that need no unpacking in the loop.
 */
public final class Q4_KInterleaved extends InterleavedFormat {

    private static final int ROWS = ShortLanes.ROWS;
    private static final int LANES = Simd.LANES;
    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 24 * ROWS;
    private static final int SCALES = ShortLanes.QUANT_BYTES;
    private static final int MINS = SCALES + 4 * ROWS;

    static final Q4_KInterleaved INSTANCE = new Q4_KInterleaved();

    private Q4_KInterleaved() {
        super(GgmlType.Q4_K, Q8Activations.Grid.Q8_K, BLOCK, BLOCK_BYTES);
    }

    @Override
    void packRow(MemorySegment file, long from, int n, ShortLanes.Row row, MemorySegment packed) {
        for (int sb = 0; sb < n / Q4_K.BLOCK; sb++) {
            long block = from + (long) sb * Q4_K.BYTES;
            float d = Simd.f16(file, block);
            float dmin = Simd.f16(file, block + 2);
            for (int s = 0; s < 8; s++) {
                int b = 8 * sb + s;
                row.setFactor(packed, b, SCALES, d * ScaleMinK4.scale(file, block + 4, s));
                row.setFactor(packed, b, MINS, dmin * ScaleMinK4.min(file, block + 4, s));
                // sub-block s: the low (even s) or high (odd s) nibbles of qs[32 * (s / 2) ..]
                long qs = block + 16 + 32L * (s / 2);
                for (int g = 0; g < ShortLanes.VECTORS; g++) {
                    row.setQuants(packed, b, g, ShortLanes.pack(file.get(Simd.LE_INT, qs + 4L * g) >>> (4 * (s % 2))));
                }
            }
        }
    }

    /** Scalar reference: weight {@code j} of sub-block {@code s} is {@code ds * q - dm}, as {@link Q4_K#dequantize}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        ShortLanes.Row row = row(offset, n);
        for (int w = 0; w < n; w++) {
            int b = w / BLOCK;
            dst[dstOffset + w] = row.factor(data, b, SCALES) * (row.nibble(data, w) + 8) - row.factor(data, b, MINS);
        }
    }

    /** Scalar, and bit-identical to {@link #multiply}: the kernels' operations in their order, a lane at a time. */
    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        ShortLanes.Row row = row(offset, n);
        Q8Activations q = Q8Activations.of(activations(), x, xOffset, n, 1);
        float acc = 0;
        for (int b = 0; b < n / BLOCK; b++) {
            int sum = 0;
            for (int j = b * BLOCK; j < (b + 1) * BLOCK; j++) {
                sum += row.nibble(data, j) * q.quants()[j];
            }
            float dx = q.scales()[b];
            float bsum = q.sums()[b];
            acc = Math.fma(sum + 8 * bsum, row.factor(data, b, SCALES) * dx, acc);
            acc = Math.fma(row.factor(data, b, MINS), -(bsum * dx), acc);
        }
        return acc;
    }

    /** One group of rows for every token, four tokens at a time, then one. */
    @Override
    void group(MemorySegment data, long group, Q8Activations x, float[] out, int o, int outStride, short[] sums) {
        int n = x.cols();
        int blocks = n / BLOCK;
        int t = 0;
        for (; t + 4 <= x.tokens(); t += 4) {
            dot4(data, group, n, x, t, out, o + t * outStride, outStride, sums);
        }
        for (; t < x.tokens(); t++) {
            dot(data, group, n, x.quants(), t * n, x.scales(), x.sums(), t * blocks, out, o + t * outStride);
        }
    }

    /** One token: {@code out[o + r] = row r . x}, the block sums in two chains of shorts. */
    private static void dot(MemorySegment data, long group, int n, short[] xq, int q0, float[] xd, float[] xb, int d0,
                            float[] out, int o) {
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = group + (long) b * BLOCK_BYTES;
            ShortVector even = ShortVector.zero(ShortLanes.S);
            ShortVector odd = even;
            for (int g = 0; g < ShortLanes.VECTORS; g++) {
                ShortVector v = ShortLanes.load(data, block, g);
                for (int k = 0; k < 4; k += 2) {
                    int j = q0 + b * BLOCK + 4 * g + k;
                    even = even.add(ShortLanes.column(v, k).mul(xq[j]));
                    odd = odd.add(ShortLanes.column(v, k + 1).mul(xq[j + 1]));
                }
            }
            IntVector sum = even.add(odd).reinterpretAsInts();
            float dx = xd[d0 + b];
            float bsum = xb[d0 + b];
            FloatVector offset = Simd.splat(8 * bsum);
            FloatVector scale = Simd.splat(dx);
            FloatVector min = Simd.splat(-(bsum * dx));
            a0 = ShortLanes.lowRows(sum).add(offset).fma(factors(data, block, SCALES, 0).mul(scale), a0);
            a1 = ShortLanes.highRows(sum).add(offset).fma(factors(data, block, SCALES, 1).mul(scale), a1);
            a0 = factors(data, block, MINS, 0).fma(min, a0);
            a1 = factors(data, block, MINS, 1).fma(min, a1);
        }
        a0.intoArray(out, o);
        a1.intoArray(out, o + LANES);
    }

    /**
     * Tokens {@code t0 .. t0 + 4}, each with exactly {@link #dot}'s float operations; their accumulators live in
     * {@code out} and a block's sums pass through {@code sums}, as in {@link Int4Products}' four-token kernel.
     */
    private static void dot4(MemorySegment data, long group, int n, Q8Activations x, int t0, float[] out, int o,
                             int outStride, short[] sums) {
        int blocks = n / BLOCK;
        short[] xq = x.quants();
        for (int t = 0; t < 4; t++) {
            Arrays.fill(out, o + t * outStride, o + t * outStride + ROWS, 0);
        }
        for (int b = 0; b < blocks; b++) {
            long block = group + (long) b * BLOCK_BYTES;
            ShortVector sa = ShortVector.zero(ShortLanes.S);
            ShortVector sb = sa;
            ShortVector sc = sa;
            ShortVector se = sa;
            for (int g = 0; g < ShortLanes.VECTORS; g++) {
                ShortVector v = ShortLanes.load(data, block, g);
                int j = t0 * n + b * BLOCK + 4 * g;
                for (int k = 0; k < 4; k++) {
                    ShortVector w = ShortLanes.column(v, k);
                    sa = sa.add(w.mul(xq[j + k]));
                    sb = sb.add(w.mul(xq[j + n + k]));
                    sc = sc.add(w.mul(xq[j + 2 * n + k]));
                    se = se.add(w.mul(xq[j + 3 * n + k]));
                }
            }
            sa.intoArray(sums, 0);
            sb.intoArray(sums, ROWS);
            sc.intoArray(sums, 2 * ROWS);
            se.intoArray(sums, 3 * ROWS);
            for (int t = 0; t < 4; t++) {
                IntVector sum = ShortVector.fromArray(ShortLanes.S, sums, t * ROWS).reinterpretAsInts();
                int d = (t0 + t) * blocks + b;
                float dx = x.scales()[d];
                float bsum = x.sums()[d];
                FloatVector offset = Simd.splat(8 * bsum);
                FloatVector scale = Simd.splat(dx);
                FloatVector min = Simd.splat(-(bsum * dx));
                for (int part = 0; part < 2; part++) {
                    int at = o + t * outStride + part * LANES;
                    FloatVector acc = ShortLanes.rows(sum, part).add(offset)
                            .fma(factors(data, block, SCALES, part).mul(scale), FloatVector.fromArray(Simd.F, out, at));
                    factors(data, block, MINS, part).fma(min, acc).intoArray(out, at);
                }
            }
        }
    }

    /** {@code ds} ({@code at} {@link #SCALES}) or {@code dm} ({@link #MINS}) of rows {@code part * LANES ..} of a block. */
    private static FloatVector factors(MemorySegment data, long block, int at, int part) {
        return ShortLanes.floats(data, block + at + 4L * LANES * part);
    }
}
