package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link Q6_K} weights repacked at load time with their rows interleaved ({@link ShortLanes}) and multiplied by
 * activations quantized to Q8_K, in integers, as {@link Q4_0Interleaved} multiplies Q4_0. A quant less 32 (-32..31)
 * is a signed byte, two columns a short, so a column costs one or two shifts where the file's split of four and two
 * bits would cost six operations; eight columns' products sum within 16 bits ({@code 8 * 32 * 127 = 32512}), and
 * each half sub-block's sum then adds as a float times {@code d * scale * d_x}. llama.cpp's
 * {@code ggml_vec_dot_q6_K_q8_K} computes the same integer products.
 *
 * <p>A group of rows is {@code n / 16} sub-blocks of {@code 20 * ROWS} bytes: eight vectors of shorts, vector
 * {@code g} holding columns {@code 2g} (low byte) and {@code 2g + 1} (high byte), then the rows' {@code d * scale}
 * as floats in row order: 10 bits a weight where the file has 6.56, the price of quants a shift away.
 */
public final class Q6_KInterleaved extends InterleavedFormat {

    private static final int ROWS = ShortLanes.ROWS;
    private static final int LANES = Simd.LANES;
    private static final int SUB_BLOCK = 16;
    private static final int SUB_BYTES = 20 * ROWS;
    private static final int SCALES = 16 * ROWS;

    static final Q6_KInterleaved INSTANCE = new Q6_KInterleaved();

    private Q6_KInterleaved() {
        super(GgmlType.Q6_K, Q8Activations.Grid.Q8_K, SUB_BLOCK, SUB_BYTES);
    }

    @Override
    void packRow(MemorySegment file, long from, int n, ShortLanes.Row row, MemorySegment packed) {
        for (int sb = 0; sb < n / Q6_K.BLOCK; sb++) {
            long block = from + (long) sb * Q6_K.BYTES;
            float d = Simd.f16(file, block + 208);
            for (int s = 0; s < Q6_K.BLOCK / SUB_BLOCK; s++) {
                int b = 16 * sb + s;
                row.setFactor(packed, b, SCALES, d * file.get(ValueLayout.JAVA_BYTE, block + 192 + s));
                for (int g = 0; g < 8; g++) {
                    int w = SUB_BLOCK * s + 2 * g;
                    int pair = (fileQuant(file, block, w) & 0xFF) | fileQuant(file, block, w + 1) << 8;
                    row.setQuants(packed, b, g, (short) pair);
                }
            }
        }
    }

    /** Weight {@code w} (0..255) of the Q6_K block at {@code block}: its quant less 32, as {@link Q6_K} reads it. */
    private static int fileQuant(MemorySegment data, long block, int w) {
        int h = w / 128;
        int l = w % 32;
        int quarter = w % 128 / 32;
        int low = Simd.u8(data, block + 64 * h + l + 32 * (quarter % 2));
        int high = Simd.u8(data, block + 128 + 32 * h + l);
        int nibble = quarter < 2 ? low & 0xF : low >> 4;
        return (nibble | ((high >> (2 * quarter)) & 3) << 4) - 32;
    }

    /** Scalar reference: a weight of sub-block {@code s} is {@code (d * scale) * (q - 32)}, as {@link Q6_K#dequantize}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        ShortLanes.Row row = row(offset, n);
        for (int w = 0; w < n; w++) {
            dst[dstOffset + w] = row.factor(data, w / SUB_BLOCK, SCALES) * quant(data, row, w);
        }
    }

    /** Scalar, and bit-identical to {@link #multiply}: per half sub-block the exact integer sum, then a multiply-add. */
    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        ShortLanes.Row row = row(offset, n);
        Q8Activations q = Q8Activations.of(activations(), x, xOffset, n, 1);
        float acc = 0;
        for (int h = 0; h < 2 * n / SUB_BLOCK; h++) {
            int sum = 0;
            for (int j = h * SUB_BLOCK / 2; j < (h + 1) * SUB_BLOCK / 2; j++) {
                sum += quant(data, row, j) * q.quants()[j];
            }
            acc = Math.fma(sum, row.factor(data, h / 2, SCALES) * q.scales()[h / 4], acc);
        }
        return acc;
    }

    /** Column {@code w}'s quant less 32 in the row. */
    private static int quant(MemorySegment data, ShortLanes.Row row, int w) {
        short pair = row.pair(data, w);
        return w % 2 == 0 ? (byte) pair : pair >> 8;
    }

    /** One group of rows for every token, four tokens at a time, then one. */
    @Override
    void group(MemorySegment data, long group, Q8Activations x, float[] out, int o, int outStride, short[] sums) {
        int n = x.cols();
        int t = 0;
        for (; t + 4 <= x.tokens(); t += 4) {
            dot4(data, group, n, x, t, out, o + t * outStride, outStride, sums);
        }
        for (; t < x.tokens(); t++) {
            dot(data, group, n, x.quants(), t * n, x.scales(), t * (n / Q8Activations.BLOCK), out, o + t * outStride);
        }
    }

    /** One token: {@code out[o + r] = row r . x}, a half sub-block's products summed in shorts. */
    private static void dot(MemorySegment data, long group, int n, short[] xq, int q0, float[] xd, int d0,
                            float[] out, int o) {
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        for (int h = 0; h < 2 * n / SUB_BLOCK; h++) {
            long block = group + (long) (h / 2) * SUB_BYTES;
            ShortVector even = ShortVector.zero(ShortLanes.S);
            ShortVector odd = even;
            for (int g = 4 * (h % 2); g < 4 * (h % 2) + 4; g++) {
                ShortVector v = ShortLanes.load(data, block, g);
                int j = q0 + SUB_BLOCK * (h / 2) + 2 * g;
                even = even.add(column(v, 0).mul(xq[j]));
                odd = odd.add(column(v, 1).mul(xq[j + 1]));
            }
            IntVector sum = even.add(odd).reinterpretAsInts();
            FloatVector dx = Simd.splat(xd[d0 + h / 4]);
            a0 = ShortLanes.lowRows(sum).fma(scales(data, block, 0).mul(dx), a0);
            a1 = ShortLanes.highRows(sum).fma(scales(data, block, 1).mul(dx), a1);
        }
        a0.intoArray(out, o);
        a1.intoArray(out, o + LANES);
    }

    /**
     * Tokens {@code t0 .. t0 + 4}, each with exactly {@link #dot}'s float operations; a half sub-block's sums pass
     * through {@code sums} and the accumulators live in {@code out}, so that the per-token steps are one loop, as in
     * {@link Int4Products}' four-token kernel.
     */
    private static void dot4(MemorySegment data, long group, int n, Q8Activations x, int t0, float[] out, int o,
                             int outStride, short[] sums) {
        short[] xq = x.quants();
        int blocks = n / Q8Activations.BLOCK;
        for (int t = 0; t < 4; t++) {
            Arrays.fill(out, o + t * outStride, o + t * outStride + ROWS, 0);
        }
        for (int h = 0; h < 2 * n / SUB_BLOCK; h++) {
            long block = group + (long) (h / 2) * SUB_BYTES;
            ShortVector sa = ShortVector.zero(ShortLanes.S);
            ShortVector sb = sa;
            ShortVector sc = sa;
            ShortVector se = sa;
            for (int g = 4 * (h % 2); g < 4 * (h % 2) + 4; g++) {
                ShortVector v = ShortLanes.load(data, block, g);
                for (int k = 0; k < 2; k++) {
                    ShortVector w = column(v, k);
                    int j = t0 * n + SUB_BLOCK * (h / 2) + 2 * g + k;
                    sa = sa.add(w.mul(xq[j]));
                    sb = sb.add(w.mul(xq[j + n]));
                    sc = sc.add(w.mul(xq[j + 2 * n]));
                    se = se.add(w.mul(xq[j + 3 * n]));
                }
            }
            sa.intoArray(sums, 0);
            sb.intoArray(sums, ROWS);
            sc.intoArray(sums, 2 * ROWS);
            se.intoArray(sums, 3 * ROWS);
            FloatVector s0 = scales(data, block, 0);
            FloatVector s1 = scales(data, block, 1);
            for (int t = 0; t < 4; t++) {
                IntVector sum = ShortVector.fromArray(ShortLanes.S, sums, t * ROWS).reinterpretAsInts();
                FloatVector dx = Simd.splat(x.scales()[(t0 + t) * blocks + h / 4]);
                int at = o + t * outStride;
                ShortLanes.lowRows(sum).fma(s0.mul(dx), FloatVector.fromArray(Simd.F, out, at)).intoArray(out, at);
                ShortLanes.highRows(sum).fma(s1.mul(dx), FloatVector.fromArray(Simd.F, out, at + LANES))
                        .intoArray(out, at + LANES);
            }
        }
    }

    /** Column {@code 2g + k} of vector {@code g}: its byte {@code k}, sign-extended. */
    private static ShortVector column(ShortVector v, int k) {
        return v.lanewise(VectorOperators.LSHL, 8 - 8 * k).lanewise(VectorOperators.ASHR, 8);
    }

    /** The {@code d * scale} of rows {@code part * LANES ..} of a sub-block. */
    private static FloatVector scales(MemorySegment data, long block, int part) {
        return ShortLanes.floats(data, block + SCALES + 4L * LANES * part);
    }
}
