package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * 2-bit quants in super-blocks of 256: sixteen sub-blocks of 16, each with a 4-bit scale and a 4-bit min
 * (ggml {@code block_q2_K}, 84 bytes):
 * <pre>
 *   uint8_t   scales[16];  // offset 0:  sub-block k: scale in the low nibble of scales[k], min in the high
 *   uint8_t   qs[64];      // offset 16: four 2-bit quants a byte
 *   ggml_half d;           // offset 80: super-block scale of the scales
 *   ggml_half dmin;        // offset 82: super-block scale of the mins
 * </pre>
 * Sub-block k = 8h + 2j + t (h, t in 0..1, j in 0..3) holds weights 16k..16k+16, the bits 2j..2j+1 of
 * qs[32h + 16t + l]; weight = d * (scales[k] &amp; 0xF) * q - dmin * (scales[k] &gt;&gt; 4).
 */
public final class Q2_K implements WeightFormat, Quantizer {

    static final int BLOCK = 256;
    static final int BYTES = 84;

    @Override
    public GgmlType type() {
        return GgmlType.Q2_K;
    }

    /** As ggml {@code dequantize_row_q2_K}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        int nb = GgmlType.Q2_K.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            float d = Simd.f16(data, o + 80);
            float min = Simd.f16(data, o + 82);
            int y = dstOffset + b * BLOCK;
            int is = 0;
            for (int h = 0; h < 2; h++) {
                long q = o + 16 + 32 * h;
                for (int shift = 0; shift < 8; shift += 2) {
                    for (int t = 0; t < 2; t++) {
                        int sc = Simd.u8(data, o + is++);
                        float dl = d * (sc & 0xF);
                        float ml = min * (sc >> 4);
                        for (int l = 0; l < 16; l++) {
                            dst[y++] = dl * ((Simd.u8(data, q + 16 * t + l) >> shift) & 3) - ml;
                        }
                    }
                }
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        int nb = GgmlType.Q2_K.blockCount(n);
        FloatVector acc = FloatVector.zero(Simd.F);
        FloatVector accMin = acc;
        float[] scales = new float[16];
        float[] mins = new float[16];
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            blockFactors(data, o, scales, mins);
            // sub-blocks in order, k = 8h + 2j + t: nested constant trip counts, which C2 unrolls
            for (int h = 0; h < 2; h++) {
                for (int j = 0; j < 4; j++) {
                    for (int t = 0; t < 2; t++) {
                        int k = 8 * h + 2 * j + t;
                        long qs = o + 16 + 32 * h + 16 * t;
                        int xk = xOffset + b * BLOCK + 16 * k;
                        FloatVector sum = FloatVector.zero(Simd.F);
                        FloatVector xsum = sum;
                        for (int g = 0; g < 16; g += Simd.B.length()) {
                            ByteVector qb = Simd.bytes(data, qs + g);
                            for (int p = 0; p < Simd.PARTS; p++) {
                                IntVector q = Simd.widen(qb, p).lanewise(VectorOperators.LSHR, 2 * j).and(3);
                                FloatVector xv = Simd.x(x, xk + g + p * Simd.LANES);
                                sum = Simd.toFloat(q).fma(xv, sum);
                                xsum = xsum.add(xv);
                            }
                        }
                        acc = sum.fma(Simd.splat(scales[k]), acc);
                        accMin = xsum.fma(Simd.splat(mins[k]), accMin);
                    }
                }
            }
        }
        return Simd.sum(acc.sub(accMin));
    }

    /**
     * {@code d * scale_k} and {@code dmin * min_k} of the block at {@code o}: scalar, from two longs, as the vector
     * version costs {@link #dot} more of C2's inlining budget than it has at 256 bits.
     */
    private static void blockFactors(MemorySegment data, long o, float[] scales, float[] mins) {
        long low = data.get(Simd.LE_LONG, o);
        long high = data.get(Simd.LE_LONG, o + 8);
        float d = Simd.f16(data, o + 80);
        float dmin = Simd.f16(data, o + 82);
        for (int s = 0; s < 8; s++) {
            int a = (int) (low >>> (8 * s));
            int b = (int) (high >>> (8 * s));
            scales[s] = d * (a & 0xF);
            mins[s] = dmin * ((a >> 4) & 0xF);
            scales[8 + s] = d * (b & 0xF);
            mins[8 + s] = dmin * ((b >> 4) & 0xF);
        }
    }

    /**
     * As ggml {@code quantize_row_q2_K_ref}: per sub-block a min/scale fit ({@link ScaleSearch#makeQkx2Quants}, 4
     * levels, |x| weights, absolute error), scales and mins quantized to 4 bits against their maxima, quants
     * recomputed against the rounded values.
     */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int n) {
        int nb = GgmlType.Q2_K.blockCount(n);
        byte[] levels = new byte[BLOCK];
        byte[] aux = new byte[16];
        float[] weights = new float[16];
        float[] mins = new float[16];
        float[] scales = new float[16];
        float[] theMin = new float[1];
        byte[] sc = new byte[16];
        final float q4scale = 15.0f;
        for (int b = 0; b < nb; b++) {
            int x = srcOffset + b * BLOCK;
            long o = dstOffset + (long) b * BYTES;
            float maxScale = 0;
            float maxMin = 0;
            for (int j = 0; j < 16; j++) {
                for (int l = 0; l < 16; l++) {
                    weights[l] = Math.abs(src[x + 16 * j + l]);
                }
                scales[j] = ScaleSearch.makeQkx2Quants(16, 3, src, x + 16 * j, weights, levels, 16 * j, theMin, aux,
                        -0.5f, 0.1f, 15, true);
                mins[j] = theMin[0];
                if (scales[j] > maxScale) {
                    maxScale = scales[j];
                }
                if (mins[j] > maxMin) {
                    maxMin = mins[j];
                }
            }
            short dBits;
            if (maxScale > 0) {
                float iscale = q4scale / maxScale;
                for (int j = 0; j < 16; j++) {
                    sc[j] = (byte) ScaleSearch.nearestInt(iscale * scales[j]);
                }
                dBits = Float.floatToFloat16(maxScale / q4scale);
            } else {
                Arrays.fill(sc, (byte) 0);
                dBits = Float.floatToFloat16(0.0f);
            }
            short dminBits;
            if (maxMin > 0) {
                float iscale = q4scale / maxMin;
                for (int j = 0; j < 16; j++) {
                    sc[j] |= (byte) (ScaleSearch.nearestInt(iscale * mins[j]) << 4);
                }
                dminBits = Float.floatToFloat16(maxMin / q4scale);
            } else {
                dminBits = Float.floatToFloat16(0.0f);
            }
            dst.set(Simd.LE_SHORT, o + 80, dBits);
            dst.set(Simd.LE_SHORT, o + 82, dminBits);
            MemorySegment.copy(sc, 0, dst, ValueLayout.JAVA_BYTE, o, 16);
            float dAll = Float.float16ToFloat(dBits);
            float dminAll = Float.float16ToFloat(dminBits);
            for (int j = 0; j < 16; j++) {
                float d = dAll * (sc[j] & 0xF);
                if (d == 0) {
                    continue;
                }
                float dm = dminAll * ((sc[j] & 0xFF) >> 4);
                for (int ii = 0; ii < 16; ii++) {
                    int l = ScaleSearch.nearestInt((src[x + 16 * j + ii] + dm) / d);
                    levels[16 * j + ii] = (byte) Math.max(0, Math.min(3, l));
                }
            }
            for (int h = 0; h < 2; h++) {
                int j = 128 * h;
                for (int l = 0; l < 32; l++) {
                    int q = levels[j + l] | (levels[j + l + 32] << 2) | (levels[j + l + 64] << 4) | (levels[j + l + 96] << 6);
                    dst.set(ValueLayout.JAVA_BYTE, o + 16 + 32 * h + l, (byte) q);
                }
            }
        }
    }
}
