package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link Q5_K} weights repacked at load time with their rows interleaved ({@link ShortLanes}) and multiplied by
 * activations quantized to Q8_K, in integers, as {@link Q4_KInterleaved} multiplies Q4_K: a sub-block's product is
 * {@code dx * (ds * S - dm * B)}, {@code S} the sum of {@code q * xq}, which the lanes hold as
 * {@code S' = sum((q - 16) * xq)}, so that {@code S = S' + 16 * B} exactly. llama.cpp's
 * {@code ggml_vec_dot_q5_K_q8_K} computes the same integers.
 *
 * <p>A quant less 16 (-16..15) is a signed 5-bit field, three to a short, so that a column costs the two shifts of a
 * 4-bit one (the file's split of four bits and one would cost five operations). Sixteen columns' products sum within
 * 16 bits ({@code 16 * 16 * 127 = 32512}), thirty-two do not, so each half of a sub-block has its own sum:
 * columns {@code 16h + 3i + k} ({@code i < 5}) are field {@code k} of vector {@code 5h + i}, and column
 * {@code 16h + 15} is field {@code h} of vector 10.
 *
 * <p>A group of rows is {@code n / 32} sub-blocks of {@code 30 * ROWS} bytes: the eleven vectors of quants, then the
 * rows' {@code ds = d * scale}, then their {@code dm = dmin * min}, as floats in row order: 7.5 bits a weight where the
 * file has 5.5, the price of quants two shifts away and factors that need no unpacking.
 */
public final class Q5_KInterleaved extends InterleavedFormat {

    private static final int ROWS = ShortLanes.ROWS;
    private static final int LANES = Simd.LANES;
    private static final int BLOCK = 32;
    /** Vectors of a sub-block's quants: five a half, then one with each half's last column. */
    private static final int VECTORS = 11;
    private static final int SCALES = 2 * VECTORS * ROWS;
    private static final int MINS = SCALES + 4 * ROWS;
    private static final int SUB_BYTES = MINS + 4 * ROWS;

    static final Q5_KInterleaved INSTANCE = new Q5_KInterleaved();

    private Q5_KInterleaved() {
        super(GgmlType.Q5_K, Q8Activations.Grid.Q8_K, BLOCK, SUB_BYTES);
    }

    @Override
    void packRow(MemorySegment file, long from, int n, ShortLanes.Row row, MemorySegment packed) {
        for (int sb = 0; sb < n / Q5_K.BLOCK; sb++) {
            long block = from + (long) sb * Q5_K.BYTES;
            float d = Simd.f16(file, block);
            float dmin = Simd.f16(file, block + 2);
            for (int s = 0; s < 8; s++) {
                int b = 8 * sb + s;
                row.setFactor(packed, b, SCALES, d * ScaleMinK4.scale(file, block + 4, s));
                row.setFactor(packed, b, MINS, dmin * ScaleMinK4.min(file, block + 4, s));
                int[] fields = new int[VECTORS];
                for (int c = 0; c < BLOCK; c++) {
                    int q = fileQuant(file, block, 32 * s + c) ^ 16;
                    fields[vector(c)] |= q << (5 * field(c));
                }
                for (int g = 0; g < VECTORS; g++) {
                    row.setQuants(packed, b, g, (short) fields[g]);
                }
            }
        }
    }

    /** Weight {@code w} (0..255) of the Q5_K block at {@code block}: its quant, 0..31, as {@link Q5_K} reads it. */
    private static int fileQuant(MemorySegment data, long block, int w) {
        int chunk = w / 64;
        int l = w % 32;
        boolean high = w % 64 >= 32;
        int ql = Simd.u8(data, block + 48 + 32L * chunk + l);
        int qh = Simd.u8(data, block + 16 + l);
        int low = high ? ql >> 4 : ql & 0xF;
        return low | ((qh >> (2 * chunk + (high ? 1 : 0))) & 1) << 4;
    }

    /** The vector of a sub-block that holds its column {@code c}. */
    private static int vector(int c) {
        return c % 16 == 15 ? 10 : 5 * (c / 16) + c % 16 / 3;
    }

    /** The field of {@link #vector}{@code (c)} that holds column {@code c}. */
    private static int field(int c) {
        return c % 16 == 15 ? c / 16 : c % 16 % 3;
    }

    /** Column {@code w}'s quant less 16 in the row. */
    private static int quant(MemorySegment data, ShortLanes.Row row, int w) {
        int c = w % BLOCK;
        short fields = data.get(Simd.LE_SHORT, row.quants(w / BLOCK, vector(c)));
        return (short) (fields << (11 - 5 * field(c))) >> 11;
    }

    /** Scalar reference: weight {@code j} of sub-block {@code b} is {@code ds * q - dm}, as {@link Q5_K#dequantize}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        ShortLanes.Row row = row(offset, n);
        for (int w = 0; w < n; w++) {
            int b = w / BLOCK;
            dst[dstOffset + w] = row.factor(data, b, SCALES) * (quant(data, row, w) + 16) - row.factor(data, b, MINS);
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
                sum += quant(data, row, j) * q.quants()[j];
            }
            float dx = q.scales()[b];
            float bsum = q.sums()[b];
            acc = Math.fma(sum + 16 * (int) bsum, row.factor(data, b, SCALES) * dx, acc);
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

    /**
     * One token: {@code out[o + r] = row r . x}, each half sub-block's sum in a chain of shorts; the accumulators live
     * in {@code out}, as {@link #dot4}'s, which keeps the kernel within C2's inlining budget.
     */
    private static void dot(MemorySegment data, long group, int n, short[] xq, int q0, float[] xd, float[] xb, int d0,
                            float[] out, int o) {
        Arrays.fill(out, o, o + ROWS, 0);
        for (int b = 0; b < n / BLOCK; b++) {
            long block = group + (long) b * SUB_BYTES;
            int j = q0 + b * BLOCK;
            ShortVector low = ShortVector.zero(ShortLanes.S);
            ShortVector high = low;
            for (int g = 0; g < 5; g++) {
                ShortVector vl = ShortLanes.load(data, block, g);
                ShortVector vh = ShortLanes.load(data, block, 5 + g);
                for (int k = 0; k < 3; k++) {
                    low = low.add(column(vl, k).mul(xq[j + 3 * g + k]));
                    high = high.add(column(vh, k).mul(xq[j + 16 + 3 * g + k]));
                }
            }
            ShortVector last = ShortLanes.load(data, block, 10);
            low = low.add(column(last, 0).mul(xq[j + 15]));
            high = high.add(column(last, 1).mul(xq[j + 31]));
            addBlock(data, block, low.reinterpretAsInts(), high.reinterpretAsInts(), xd[d0 + b], xb[d0 + b], out, o);
        }
    }

    /**
     * Tokens {@code t0 .. t0 + 4}, each with exactly {@link #dot}'s float operations; their accumulators live in
     * {@code out} and a sub-block's half sums pass through {@code sums}, as in {@link Int4Products}' four-token kernel.
     */
    private static void dot4(MemorySegment data, long group, int n, Q8Activations x, int t0, float[] out, int o,
                             int outStride, short[] sums) {
        int blocks = n / BLOCK;
        short[] xq = x.quants();
        for (int t = 0; t < 4; t++) {
            Arrays.fill(out, o + t * outStride, o + t * outStride + ROWS, 0);
        }
        for (int b = 0; b < blocks; b++) {
            long block = group + (long) b * SUB_BYTES;
            for (int h = 0; h < 2; h++) {
                ShortVector sa = ShortVector.zero(ShortLanes.S);
                ShortVector sb = sa;
                ShortVector sc = sa;
                ShortVector se = sa;
                int j = t0 * n + b * BLOCK + 16 * h;
                for (int g = 0; g < 6; g++) {
                    // five vectors of three columns, then this half's last column in vector 10
                    ShortVector v = ShortLanes.load(data, block, g < 5 ? 5 * h + g : 10);
                    for (int k = 0; k < (g < 5 ? 3 : 1); k++) {
                        ShortVector w = column(v, g < 5 ? k : h);
                        int c = j + 3 * g + k;
                        sa = sa.add(w.mul(xq[c]));
                        sb = sb.add(w.mul(xq[c + n]));
                        sc = sc.add(w.mul(xq[c + 2 * n]));
                        se = se.add(w.mul(xq[c + 3 * n]));
                    }
                }
                sa.intoArray(sums, 4 * h * ROWS);
                sb.intoArray(sums, (4 * h + 1) * ROWS);
                sc.intoArray(sums, (4 * h + 2) * ROWS);
                se.intoArray(sums, (4 * h + 3) * ROWS);
            }
            for (int t = 0; t < 4; t++) {
                IntVector low = ShortVector.fromArray(ShortLanes.S, sums, t * ROWS).reinterpretAsInts();
                IntVector high = ShortVector.fromArray(ShortLanes.S, sums, (4 + t) * ROWS).reinterpretAsInts();
                int d = (t0 + t) * blocks + b;
                addBlock(data, block, low, high, x.scales()[d], x.sums()[d], out, o + t * outStride);
            }
        }
    }

    /**
     * Adds a sub-block to the accumulators {@code out[o ..]} of its rows, for a token whose activations' block has
     * scale {@code dx} and sum {@code bsum}: {@code low} and {@code high} are the halves' sums (shorts, as ints), and
     * a row's step is {@code fma(S' + 16 * B, ds * dx, acc)}, then {@code fma(dm, -(B * dx), acc)}.
     */
    private static void addBlock(MemorySegment data, long block, IntVector low, IntVector high, float dx, float bsum,
                                 float[] out, int o) {
        int offset = 16 * (int) bsum;
        FloatVector scale = Simd.splat(dx);
        FloatVector min = Simd.splat(-(bsum * dx));
        for (int part = 0; part < 2; part++) {
            int at = o + part * LANES;
            IntVector sum = ShortLanes.ints(low, part).add(ShortLanes.ints(high, part)).add(offset);
            FloatVector acc = ShortLanes.toFloat(sum)
                    .fma(factors(data, block, SCALES, part).mul(scale), FloatVector.fromArray(Simd.F, out, at));
            factors(data, block, MINS, part).fma(min, acc).intoArray(out, at);
        }
    }

    /** Field {@code k} of a vector of a sub-block: a column's quant less 16, sign-extended. */
    private static ShortVector column(ShortVector v, int k) {
        return v.lanewise(VectorOperators.LSHL, 11 - 5 * k).lanewise(VectorOperators.ASHR, 11);
    }

    /** {@code ds} ({@code at} {@link #SCALES}) or {@code dm} ({@link #MINS}) of rows {@code part * LANES ..}. */
    private static FloatVector factors(MemorySegment data, long block, int at, int part) {
        return ShortLanes.floats(data, block + at + 4L * LANES * part);
    }
}
