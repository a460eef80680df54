package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * 4-bit quants in super-blocks of 256: eight sub-blocks of 32, each with a 6-bit scale and a 6-bit min
 * (ggml {@code block_q4_K}, 144 bytes):
 * <pre>
 *   ggml_half d;           // offset 0:  super-block scale of the sub-block scales
 *   ggml_half dmin;        // offset 2:  super-block scale of the sub-block mins
 *   uint8_t   scales[12];  // offset 4:  8 scales + 8 mins, 6 bits each, see {@link ScaleMinK4}
 *   uint8_t   qs[128];     // offset 16: chunk c (64 weights) in qs[32c..32c+32): low nibbles are sub-block 2c,
 *                          //            high nibbles sub-block 2c + 1
 *   // weight = d * scale_s * q - dmin * min_s
 * </pre>
 */
public final class Q4_K implements WeightFormat, Quantizer {

    static final int BLOCK = 256;
    static final int BYTES = 144;

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    /** As ggml {@code dequantize_row_q4_K}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        int nb = GgmlType.Q4_K.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            float d = Simd.f16(data, o);
            float min = Simd.f16(data, o + 2);
            for (int c = 0; c < 4; c++) {
                float d1 = d * ScaleMinK4.scale(data, o + 4, 2 * c);
                float m1 = min * ScaleMinK4.min(data, o + 4, 2 * c);
                float d2 = d * ScaleMinK4.scale(data, o + 4, 2 * c + 1);
                float m2 = min * ScaleMinK4.min(data, o + 4, 2 * c + 1);
                int y = dstOffset + b * BLOCK + 64 * c;
                for (int l = 0; l < 32; l++) {
                    int q = Simd.u8(data, o + 16 + 32 * c + l);
                    dst[y + l] = d1 * (q & 0xF) - m1;
                    dst[y + l + 32] = d2 * (q >> 4) - m2;
                }
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        int nb = GgmlType.Q4_K.blockCount(n);
        FloatVector acc = FloatVector.zero(Simd.F);
        FloatVector accMin = acc;
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            float d = Simd.f16(data, o);
            float dmin = Simd.f16(data, o + 2);
            long scales = ScaleMinK4.unpack(data, o + 4, false);
            long mins = ScaleMinK4.unpack(data, o + 4, true);
            // one uniform loop over the eight sub-blocks s (chunk s / 2, nibble s % 2) keeps the compiled kernel small
            // enough for C2 to inline every vector call
            for (int s = 0; s < 8; s++) {
                long qs = o + 16 + 32 * (s >> 1);
                int nibble = 4 * (s & 1);
                int xs = xOffset + b * BLOCK + 32 * s;
                FloatVector sum = FloatVector.zero(Simd.F);
                FloatVector xsum = sum;
                for (int g = 0; g < 32; g += Simd.B.length()) {
                    ByteVector qb = Simd.bytes(data, qs + g);
                    for (int p = 0; p < Simd.PARTS; p++) {
                        FloatVector xv = Simd.x(x, xs + g + p * Simd.LANES);
                        sum = weights(qb, p, nibble).fma(xv, sum);
                        xsum = xsum.add(xv);
                    }
                }
                acc = sum.fma(Simd.splat(d * (int) ((scales >>> (8 * s)) & 0xFF)), acc);
                accMin = xsum.fma(Simd.splat(dmin * (int) ((mins >>> (8 * s)) & 0xFF)), accMin);
            }
        }
        return Simd.sum(acc.sub(accMin));
    }

    @Override
    public PanelLayout panelLayout() {
        return PanelLayout.SCALED_BLOCKS_OF_32_WITH_MINS;
    }

    /** The quants as floats, and each sub-block's {@code d * scale} and {@code dmin * min}: what {@link #dot} uses. */
    @Override
    public void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                       float[] mins, int blockOffset) {
        int nb = GgmlType.Q4_K.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            ScaleMinK4.factors(data, o, scales, mins, blockOffset + 8 * b);
            for (int s = 0; s < 8; s++) {
                long qs = o + 16 + 32 * (s >> 1);
                int nibble = 4 * (s & 1);
                for (int g = 0; g < 32; g += Simd.B.length()) {
                    ByteVector qb = Simd.bytes(data, qs + g);
                    for (int p = 0; p < Simd.PARTS; p++) {
                        int i = valuesOffset + b * BLOCK + 32 * s + g + p * Simd.LANES;
                        weights(qb, p, nibble).intoArray(values, i);
                    }
                }
            }
        }
    }

    /** Part {@code p} of a group's quants, as floats: the four bits of {@code qb} at {@code nibble}. */
    private static FloatVector weights(ByteVector qb, int p, int nibble) {
        return Simd.toFloat(Simd.widen(qb, p).lanewise(VectorOperators.LSHR, nibble).and(0xF));
    }

    /**
     * Two tokens at a time (each keeps four accumulators: the scaled sum, the sum of x for the mins, and their
     * totals), each with exactly {@link #dot}'s operations.
     */
    @Override
    public void dotTokens(MemorySegment data, long offset, float[] x, int xOffset, int xStride, int tokens, int n,
                          float[] out, int outOffset, int outStride) {
        TokenTiles.run(this, 2, Q4_K::dot2, data, offset, x, xOffset, xStride, tokens, n, out, outOffset, outStride);
    }

    private static void dot2(MemorySegment data, long offset, float[] x, int x0, int xStride, int n,
                             float[] out, int o0, int outStride) {
        int nb = GgmlType.Q4_K.blockCount(n);
        int x1 = x0 + xStride;
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector m0 = a0;
        FloatVector a1 = a0;
        FloatVector m1 = a0;
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            float d = Simd.f16(data, o);
            float dmin = Simd.f16(data, o + 2);
            long scales = ScaleMinK4.unpack(data, o + 4, false);
            long mins = ScaleMinK4.unpack(data, o + 4, true);
            for (int s = 0; s < 8; s++) {
                long qs = o + 16 + 32 * (s >> 1);
                int nibble = 4 * (s & 1);
                int xs = b * BLOCK + 32 * s;
                FloatVector s0 = FloatVector.zero(Simd.F);
                FloatVector xs0 = s0;
                FloatVector s1 = s0;
                FloatVector xs1 = s0;
                for (int g = 0; g < 32; g += Simd.B.length()) {
                    ByteVector qb = Simd.bytes(data, qs + g);
                    for (int p = 0; p < Simd.PARTS; p++) {
                        FloatVector w = weights(qb, p, nibble);
                        int i = xs + g + p * Simd.LANES;
                        FloatVector v0 = Simd.x(x, x0 + i);
                        FloatVector v1 = Simd.x(x, x1 + i);
                        s0 = w.fma(v0, s0);
                        xs0 = xs0.add(v0);
                        s1 = w.fma(v1, s1);
                        xs1 = xs1.add(v1);
                    }
                }
                FloatVector scale = Simd.splat(d * (int) ((scales >>> (8 * s)) & 0xFF));
                FloatVector min = Simd.splat(dmin * (int) ((mins >>> (8 * s)) & 0xFF));
                a0 = s0.fma(scale, a0);
                m0 = xs0.fma(min, m0);
                a1 = s1.fma(scale, a1);
                m1 = xs1.fma(min, m1);
            }
        }
        Simd.sum2(a0.sub(m0), a1.sub(m1), out, o0, outStride);
    }

    /**
     * As ggml {@code quantize_row_q4_K_ref}: per sub-block a weighted min/scale fit
     * ({@link ScaleSearch#makeQkx2Quants}, weights |x| + rms), the scales and mins then quantized to 6 bits against
     * their maxima, and the quants recomputed against the rounded scales.
     */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int n) {
        int nb = GgmlType.Q4_K.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = dstOffset + (long) b * BYTES;
            byte[] levels = fitBlock(src, srcOffset + b * BLOCK, dst, o, 15);
            for (int c = 0; c < 4; c++) {
                for (int l = 0; l < 32; l++) {
                    dst.set(ValueLayout.JAVA_BYTE, o + 16 + 32 * c + l,
                            (byte) (levels[64 * c + l] | (levels[64 * c + l + 32] << 4)));
                }
            }
        }
    }

    /**
     * The shared part of ggml's Q4_K ({@code nmax} 15) and Q5_K ({@code nmax} 31) reference quantizers, which differ
     * only in the quant range, the fit's search grid and how the quants are stored: writes d, dmin and the packed
     * scales of the super-block at {@code o}, and returns its 256 quant levels (0..nmax) for the caller to store.
     */
    static byte[] fitBlock(float[] src, int x, MemorySegment dst, long o, int nmax) {
        byte[] levels = new byte[BLOCK];
        byte[] aux = new byte[32];
        float[] weights = new float[32];
        float[] mins = new float[8];
        float[] scales = new float[8];
        float[] theMin = new float[1];
        float maxScale = 0;
        float maxMin = 0;
        for (int j = 0; j < 8; j++) {
            int xj = x + 32 * j;
            float sumX2 = 0;
            for (int l = 0; l < 32; l++) {
                sumX2 += src[xj + l] * src[xj + l];
            }
            float avX = (float) Math.sqrt(sumX2 / 32);
            for (int l = 0; l < 32; l++) {
                weights[l] = avX + Math.abs(src[xj + l]);
            }
            scales[j] = nmax == 15
                    ? ScaleSearch.makeQkx2Quants(32, 15, src, xj, weights, levels, 32 * j, theMin, aux, -1.0f, 0.1f, 20, false)
                    : ScaleSearch.makeQkx2Quants(32, 31, src, xj, weights, levels, 32 * j, theMin, aux, -0.5f, 0.1f, 15, false);
            mins[j] = theMin[0];
            if (scales[j] > maxScale) {
                maxScale = scales[j];
            }
            if (mins[j] > maxMin) {
                maxMin = mins[j];
            }
        }
        float invScale = maxScale > 0 ? 63.0f / maxScale : 0.0f;
        float invMin = maxMin > 0 ? 63.0f / maxMin : 0.0f;
        int[] ls = new int[8];
        int[] lm = new int[8];
        for (int j = 0; j < 8; j++) {
            ls[j] = Math.min(63, ScaleSearch.nearestInt(invScale * scales[j]) & 0xFF);
            lm[j] = Math.min(63, ScaleSearch.nearestInt(invMin * mins[j]) & 0xFF);
        }
        ScaleMinK4.pack(ls, lm, dst, o + 4);
        short dBits = Float.floatToFloat16(maxScale / 63.0f);
        short dminBits = Float.floatToFloat16(maxMin / 63.0f);
        dst.set(Simd.LE_SHORT, o, dBits);
        dst.set(Simd.LE_SHORT, o + 2, dminBits);
        float d = Float.float16ToFloat(dBits);
        float dmin = Float.float16ToFloat(dminBits);
        for (int j = 0; j < 8; j++) {
            float dj = d * ScaleMinK4.scale(dst, o + 4, j);
            if (dj == 0) {
                continue;
            }
            float dm = dmin * ScaleMinK4.min(dst, o + 4, j);
            for (int ii = 0; ii < 32; ii++) {
                int l = ScaleSearch.nearestInt((src[x + 32 * j + ii] + dm) / dj);
                levels[32 * j + ii] = (byte) Math.max(0, Math.min(nmax, l));
            }
        }
        return levels;
    }
}
