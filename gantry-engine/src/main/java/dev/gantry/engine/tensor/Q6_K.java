package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * 6-bit quants in super-blocks of 256: sixteen sub-blocks of 16 with signed 8-bit scales
 * (ggml {@code block_q6_K}, 210 bytes):
 * <pre>
 *   uint8_t   ql[128];     // offset 0:   low 4 bits
 *   uint8_t   qh[64];      // offset 128: high 2 bits, four weights a byte
 *   int8_t    scales[16];  // offset 192: sub-block scales
 *   ggml_half d;           // offset 208: super-block scale
 * </pre>
 * Each half h (128 weights) uses ql[64h..64h+64), qh[32h..32h+32) and scales[8h..8h+8); for l &lt; 32, with
 * L = ql[64h + l], M = ql[64h + 32 + l], H = qh[32h + l] and s = 8h + l / 16:
 * <pre>
 *   weight 128h + l      = d * scales[s]     * ((L &amp; 0xF) | ((H      &amp; 3) &lt;&lt; 4) - 32)
 *   weight 128h + l + 32 = d * scales[s + 2] * ((M &amp; 0xF) | ((H &gt;&gt; 2 &amp; 3) &lt;&lt; 4) - 32)
 *   weight 128h + l + 64 = d * scales[s + 4] * ((L &gt;&gt; 4)  | ((H &gt;&gt; 4 &amp; 3) &lt;&lt; 4) - 32)
 *   weight 128h + l + 96 = d * scales[s + 6] * ((M &gt;&gt; 4)  | ((H &gt;&gt; 6 &amp; 3) &lt;&lt; 4) - 32)
 * </pre>
 */
public final class Q6_K implements WeightFormat, Quantizer {

    static final int BLOCK = 256;
    static final int BYTES = 210;

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    /** As ggml {@code dequantize_row_q6_K}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        int nb = GgmlType.Q6_K.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            float d = Simd.f16(data, o + 208);
            for (int h = 0; h < 2; h++) {
                long ql = o + 64 * h;
                long qh = o + 128 + 32 * h;
                long sc = o + 192 + 8 * h;
                int y = dstOffset + b * BLOCK + 128 * h;
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int lo = Simd.u8(data, ql + l);
                    int mid = Simd.u8(data, ql + l + 32);
                    int hb = Simd.u8(data, qh + l);
                    int q1 = ((lo & 0xF) | ((hb & 3) << 4)) - 32;
                    int q2 = ((mid & 0xF) | (((hb >> 2) & 3) << 4)) - 32;
                    int q3 = ((lo >> 4) | (((hb >> 4) & 3) << 4)) - 32;
                    int q4 = ((mid >> 4) | (((hb >> 6) & 3) << 4)) - 32;
                    dst[y + l] = d * scale(data, sc + is) * q1;
                    dst[y + l + 32] = d * scale(data, sc + is + 2) * q2;
                    dst[y + l + 64] = d * scale(data, sc + is + 4) * q3;
                    dst[y + l + 96] = d * scale(data, sc + is + 6) * q4;
                }
            }
        }
    }

    /** Two tokens at a time (four would overrun C2's inlining budget), each with exactly {@link #dot}'s operations. */
    @Override
    public void dotTokens(MemorySegment data, long offset, float[] x, int xOffset, int xStride, int tokens, int n,
                          float[] out, int outOffset, int outStride) {
        TokenTiles.run(this, 2, Q6_K::dot2, data, offset, x, xOffset, xStride, tokens, n, out, outOffset, outStride);
    }

    private static void dot2(MemorySegment data, long offset, float[] x, int x0, int xStride, int n,
                             float[] out, int o0, int outStride) {
        int nb = GgmlType.Q6_K.blockCount(n);
        int x1 = x0 + xStride;
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        float[] scales = new float[16];
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            blockScales(data, o, scales, 0);
            for (int h = 0; h < 2; h++) {
                long high = o + 128 + 32 * h;
                for (int k = 0; k < 4; k++) {
                    long low = o + 64 * h + 32 * (k & 1);
                    int nibble = 4 * (k >> 1);
                    int pair = 2 * k;
                    for (int t = 0; t < 2; t++) {
                        int xs = b * BLOCK + 128 * h + 32 * k + 16 * t;
                        FloatVector s0 = FloatVector.zero(Simd.F);
                        FloatVector s1 = s0;
                        for (int g = 0; g < 16; g += Simd.B.length()) {
                            ByteVector lb = Simd.bytes(data, low + 16 * t + g);
                            ByteVector hb = Simd.bytes(data, high + 16 * t + g);
                            for (int p = 0; p < Simd.PARTS; p++) {
                                FloatVector w = weights(lb, hb, p, nibble, pair);
                                int i = xs + g + p * Simd.LANES;
                                s0 = w.fma(Simd.x(x, x0 + i), s0);
                                s1 = w.fma(Simd.x(x, x1 + i), s1);
                            }
                        }
                        FloatVector scale = Simd.splat(scales[8 * h + 2 * k + t]);
                        a0 = s0.fma(scale, a0);
                        a1 = s1.fma(scale, a1);
                    }
                }
            }
        }
        Simd.sum2(a0, a1, out, o0, outStride);
    }

    /**
     * Part {@code p} of a group's quants minus 32, as floats: low four bits from {@code lb} at {@code nibble}, high two
     * from {@code hb} at {@code pair}.
     */
    private static FloatVector weights(ByteVector lb, ByteVector hb, int p, int nibble, int pair) {
        IntVector l = Simd.widen(lb, p).lanewise(VectorOperators.LSHR, nibble).and(0xF);
        IntVector u = Simd.widen(hb, p).lanewise(VectorOperators.LSHR, pair).and(3);
        return Simd.toFloat(l.or(u.lanewise(VectorOperators.LSHL, 4)).sub(32));
    }

    private static int scale(MemorySegment data, long at) {
        return data.get(ValueLayout.JAVA_BYTE, at);
    }

    /**
     * Sub-blocks in weight order, s = 8h + 2k + t for half h, quarter k (q1..q4 of the class comment) and 16-weight
     * slice t: nested loops of constant trip counts that C2 unrolls, so shift counts and offsets become constants.
     * The sixteen {@code d * scales[s]} are converted in one vector step per block.
     */
    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        int nb = GgmlType.Q6_K.blockCount(n);
        FloatVector acc = FloatVector.zero(Simd.F);
        float[] scales = new float[16];
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            blockScales(data, o, scales, 0);
            for (int h = 0; h < 2; h++) {
                long high = o + 128 + 32 * h;
                int xh = xOffset + b * BLOCK + 128 * h;
                for (int k = 0; k < 4; k++) {
                    long low = o + 64 * h + 32 * (k & 1);
                    int nibble = 4 * (k >> 1);
                    int pair = 2 * k;
                    for (int t = 0; t < 2; t++) {
                        int xs = xh + 32 * k + 16 * t;
                        FloatVector sum = FloatVector.zero(Simd.F);
                        for (int g = 0; g < 16; g += Simd.B.length()) {
                            ByteVector lb = Simd.bytes(data, low + 16 * t + g);
                            ByteVector hb = Simd.bytes(data, high + 16 * t + g);
                            for (int p = 0; p < Simd.PARTS; p++) {
                                sum = weights(lb, hb, p, nibble, pair).fma(Simd.x(x, xs + g + p * Simd.LANES), sum);
                            }
                        }
                        acc = sum.fma(Simd.splat(scales[8 * h + 2 * k + t]), acc);
                    }
                }
            }
        }
        return Simd.sum(acc);
    }

    /**
     * {@code scales[at + s] = d * block.scales[s]} for the block at {@code o}: exact int-to-float, one multiply. Three
     * scalar reads rather than vector code: the kernels that call it are near C2's inlining budget at 256 bits.
     */
    static void blockScales(MemorySegment data, long o, float[] scales, int at) {
        long low = data.get(Simd.LE_LONG, o + 192);
        long high = data.get(Simd.LE_LONG, o + 200);
        float d = Simd.f16(data, o + 208);
        for (int s = 0; s < 8; s++) {
            scales[at + s] = d * (byte) (low >>> (8 * s));
            scales[at + 8 + s] = d * (byte) (high >>> (8 * s));
        }
    }

    @Override
    public PanelLayout panelLayout() {
        return PanelLayout.SCALED_BLOCKS_OF_16;
    }

    /** The quants minus 32 as floats, and each sub-block's {@code d * scale}: what {@link #dot} multiplies. */
    @Override
    public void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                       float[] mins, int blockOffset) {
        int nb = GgmlType.Q6_K.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            blockScales(data, o, scales, blockOffset + 16 * b);
            // the sub-blocks as dot walks them
            for (int h = 0; h < 2; h++) {
                long high = o + 128 + 32 * h;
                for (int k = 0; k < 4; k++) {
                    long low = o + 64 * h + 32 * (k & 1);
                    for (int t = 0; t < 2; t++) {
                        int vs = valuesOffset + b * BLOCK + 128 * h + 32 * k + 16 * t;
                        for (int g = 0; g < 16; g += Simd.B.length()) {
                            ByteVector lb = Simd.bytes(data, low + 16 * t + g);
                            ByteVector hb = Simd.bytes(data, high + 16 * t + g);
                            for (int p = 0; p < Simd.PARTS; p++) {
                                weights(lb, hb, p, 4 * (k >> 1), 2 * k).intoArray(values, vs + g + p * Simd.LANES);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * As ggml {@code quantize_row_q6_K_ref}: per sub-block of 16 a symmetric fit ({@link ScaleSearch#makeQxQuants},
     * 64 levels, x^2 weights), scales quantized to int8 against the one of largest magnitude, quants recomputed
     * against the rounded scales.
     */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int n) {
        int nb = GgmlType.Q6_K.blockCount(n);
        byte[] levels = new byte[BLOCK];
        float[] scales = new float[16];
        for (int b = 0; b < nb; b++) {
            int x = srcOffset + b * BLOCK;
            long o = dstOffset + (long) b * BYTES;
            float maxScale = 0;
            float maxAbsScale = 0;
            for (int ib = 0; ib < 16; ib++) {
                float scale = ScaleSearch.makeQxQuants(16, 32, src, x + 16 * ib, levels, 16 * ib, 1, null);
                scales[ib] = scale;
                float abs = Math.abs(scale);
                if (abs > maxAbsScale) {
                    maxAbsScale = abs;
                    maxScale = scale;
                }
            }
            if (maxAbsScale < ScaleSearch.GROUP_MAX_EPS) {
                dst.asSlice(o, BYTES).fill((byte) 0);
                continue;
            }
            float iscale = -128.0f / maxScale;
            short dBits = Float.floatToFloat16(1 / iscale);
            dst.set(Simd.LE_SHORT, o + 208, dBits);
            for (int ib = 0; ib < 16; ib++) {
                dst.set(ValueLayout.JAVA_BYTE, o + 192 + ib,
                        (byte) Math.min(127, ScaleSearch.nearestInt(iscale * scales[ib])));
            }
            float dAll = Float.float16ToFloat(dBits);
            for (int j = 0; j < 16; j++) {
                float d = dAll * scale(dst, o + 192 + j);
                if (d == 0) {
                    continue;
                }
                for (int ii = 0; ii < 16; ii++) {
                    int l = ScaleSearch.nearestInt(src[x + 16 * j + ii] / d);
                    levels[16 * j + ii] = (byte) (Math.max(-32, Math.min(31, l)) + 32);
                }
            }
            for (int h = 0; h < 2; h++) {
                int j = 128 * h;
                for (int l = 0; l < 32; l++) {
                    int q1 = levels[j + l] & 0xF;
                    int q2 = levels[j + l + 32] & 0xF;
                    int q3 = levels[j + l + 64] & 0xF;
                    int q4 = levels[j + l + 96] & 0xF;
                    dst.set(ValueLayout.JAVA_BYTE, o + 64 * h + l, (byte) (q1 | (q3 << 4)));
                    dst.set(ValueLayout.JAVA_BYTE, o + 64 * h + l + 32, (byte) (q2 | (q4 << 4)));
                    int hb = (levels[j + l] >> 4) | ((levels[j + l + 32] >> 4) << 2)
                            | ((levels[j + l + 64] >> 4) << 4) | ((levels[j + l + 96] >> 4) << 6);
                    dst.set(ValueLayout.JAVA_BYTE, o + 128 + 32 * h + l, (byte) hb);
                }
            }
        }
    }
}
