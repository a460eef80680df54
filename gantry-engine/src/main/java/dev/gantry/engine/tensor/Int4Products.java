package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;

/**
 * The integer kernels of the 4-bit {@link ShortLanes} formats: for a group of rows and every token,
 * {@code sum over blocks b of S_b * (f_b * d_x)}, with {@code S_b} the exact sum of a block's quant products (in 16
 * bits) and {@code f_b} the rows' factors stored after the block's quants ({@link Q4_0}'s scale {@code d}, or
 * {@link Q4_K}'s {@code d * scale}), one multiply-add per block in that order, whatever the kernel. Formats with more
 * terms (Q4_K's mins) add them after ({@link Q4_KInterleaved}).
 */
final class Int4Products {

    private static final int ROWS = ShortLanes.ROWS;
    private static final int LANES = Simd.LANES;
    private static final int BLOCK = Q8Activations.BLOCK;

    private Int4Products() {
    }

    /**
     * {@code out[o + t * outStride + r]} for the rows {@code r} of the group at byte {@code group}, whose blocks are
     * {@code blockBytes} apart, and every token {@code t} of {@code x}: four tokens at a time, then two, then one
     * ({@code sums}: {@link ShortLanes#SCRATCH} shorts).
     */
    static void group(MemorySegment data, long group, int blockBytes, Q8Activations x, float[] out, int o,
                      int outStride, short[] sums) {
        int n = x.cols();
        int t = 0;
        for (; t + 4 <= x.tokens(); t += 4) {
            dot4(data, group, blockBytes, n, x.quants(), t * n, x.scales(), t * (n / BLOCK), out, o + t * outStride,
                    outStride, sums);
        }
        for (; t + 2 <= x.tokens(); t += 2) {
            dot2(data, group, blockBytes, n, x.quants(), t * n, x.scales(), t * (n / BLOCK), out, o + t * outStride,
                    outStride);
        }
        if (t < x.tokens()) {
            dot(data, group, blockBytes, n, x.quants(), t * n, x.scales(), t * (n / BLOCK), out, o + t * outStride);
        }
    }

    /** One token: {@code out[o + r] = row r . x}, the block sums in two chains of shorts. */
    private static void dot(MemorySegment data, long group, int blockBytes, int n, short[] xq, int q0,
                            float[] xd, int d0, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = group + (long) b * blockBytes;
            ShortVector even = ShortVector.zero(ShortLanes.S);
            ShortVector odd = even;
            for (int g = 0; g < ShortLanes.VECTORS; g++) {
                ShortVector v = ShortLanes.load(data, block, g);
                int j = q0 + b * BLOCK + 4 * g;
                even = even.add(ShortLanes.column(v, 0).mul(xq[j]));
                odd = odd.add(ShortLanes.column(v, 1).mul(xq[j + 1]));
                even = even.add(ShortLanes.column(v, 2).mul(xq[j + 2]));
                odd = odd.add(ShortLanes.column(v, 3).mul(xq[j + 3]));
            }
            FloatVector dx = Simd.splat(xd[d0 + b]);
            IntVector sum = even.add(odd).reinterpretAsInts();
            a0 = ShortLanes.lowRows(sum).fma(factors(data, block, 0).mul(dx), a0);
            a1 = ShortLanes.highRows(sum).fma(factors(data, block, 1).mul(dx), a1);
        }
        a0.intoArray(out, o);
        a1.intoArray(out, o + LANES);
    }

    /** Two tokens, each with exactly {@link #dot}'s float operations (integer sums are exact in any order). */
    private static void dot2(MemorySegment data, long group, int blockBytes, int n, short[] xq, int q0,
                             float[] xd, int d0, float[] out, int o, int outStride) {
        int q1 = q0 + n;
        int d1 = d0 + n / BLOCK;
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = group + (long) b * blockBytes;
            ShortVector sa = ShortVector.zero(ShortLanes.S);
            ShortVector sb = sa;
            for (int g = 0; g < ShortLanes.VECTORS; g++) {
                ShortVector v = ShortLanes.load(data, block, g);
                int j = b * BLOCK + 4 * g;
                for (int k = 0; k < 4; k++) {
                    ShortVector w = ShortLanes.column(v, k);
                    sa = sa.add(w.mul(xq[q0 + j + k]));
                    sb = sb.add(w.mul(xq[q1 + j + k]));
                }
            }
            FloatVector s0 = factors(data, block, 0);
            FloatVector s1 = factors(data, block, 1);
            IntVector pa = sa.reinterpretAsInts();
            IntVector pb = sb.reinterpretAsInts();
            FloatVector da = Simd.splat(xd[d0 + b]);
            FloatVector db = Simd.splat(xd[d1 + b]);
            a0 = ShortLanes.lowRows(pa).fma(s0.mul(da), a0);
            a1 = ShortLanes.highRows(pa).fma(s1.mul(da), a1);
            b0 = ShortLanes.lowRows(pb).fma(s0.mul(db), b0);
            b1 = ShortLanes.highRows(pb).fma(s1.mul(db), b1);
        }
        a0.intoArray(out, o);
        a1.intoArray(out, o + LANES);
        b0.intoArray(out, o + outStride);
        b1.intoArray(out, o + outStride + LANES);
    }

    /**
     * Four tokens, each with exactly {@link #dot}'s float operations. Their accumulators live in {@code out} and a
     * block's sums pass through {@code sums} (four vectors of shorts), so that the per-token steps after a block are
     * one loop, not four copies: four copies exceed C2's inlining budget.
     */
    private static void dot4(MemorySegment data, long group, int blockBytes, int n, short[] xq, int q0,
                             float[] xd, int d0, float[] out, int o, int outStride, short[] sums) {
        int blocks = n / BLOCK;
        for (int t = 0; t < 4; t++) {
            Arrays.fill(out, o + t * outStride, o + t * outStride + ROWS, 0);
        }
        for (int b = 0; b < blocks; b++) {
            long block = group + (long) b * blockBytes;
            ShortVector sa = ShortVector.zero(ShortLanes.S);
            ShortVector sb = sa;
            ShortVector sc = sa;
            ShortVector se = sa;
            for (int g = 0; g < ShortLanes.VECTORS; g++) {
                ShortVector v = ShortLanes.load(data, block, g);
                int j = q0 + b * BLOCK + 4 * g;
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
            FloatVector s0 = factors(data, block, 0);
            FloatVector s1 = factors(data, block, 1);
            for (int t = 0; t < 4; t++) {
                IntVector pairs = ShortVector.fromArray(ShortLanes.S, sums, t * ROWS).reinterpretAsInts();
                FloatVector dx = Simd.splat(xd[d0 + t * blocks + b]);
                int at = o + t * outStride;
                ShortLanes.lowRows(pairs).fma(s0.mul(dx), FloatVector.fromArray(Simd.F, out, at)).intoArray(out, at);
                ShortLanes.highRows(pairs).fma(s1.mul(dx), FloatVector.fromArray(Simd.F, out, at + LANES))
                        .intoArray(out, at + LANES);
            }
        }
    }

    /** The factors {@code f} of rows {@code part * LANES ..} of a block. */
    private static FloatVector factors(MemorySegment data, long block, int part) {
        return ShortLanes.floats(data, block + ShortLanes.QUANT_BYTES + 4L * LANES * part);
    }
}
