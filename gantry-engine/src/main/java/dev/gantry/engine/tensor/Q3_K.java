package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * 3-bit quants in super-blocks of 256: sixteen sub-blocks of 16 with signed 6-bit scales
 * (ggml {@code block_q3_K}, 110 bytes):
 * <pre>
 *   uint8_t   hmask[32];   // offset 0:   high bits
 *   uint8_t   qs[64];      // offset 32:  low 2 bits, four quants a byte
 *   uint8_t   scales[12];  // offset 96:  sixteen 6-bit scales, see {@link #scale}
 *   ggml_half d;           // offset 108: super-block scale
 * </pre>
 * Sub-block k = 8h + 2j + t (h, t in 0..1, j in 0..3) holds weights 16k..16k+16: for l &lt; 16 the low bits are
 * bits 2j..2j+1 of qs[32h + 16t + l] and the high bit is bit 4h + j of hmask[16t + l];
 * weight = d * (scale_k - 32) * (low - (high ? 0 : 4)).
 */
public final class Q3_K implements WeightFormat, Quantizer {

    static final int BLOCK = 256;
    static final int BYTES = 110;

    @Override
    public GgmlType type() {
        return GgmlType.Q3_K;
    }

    /**
     * Scale {@code k} (0..15, unsigned 6 bits, stored biased by 32) of the 12 bytes at {@code scales}: its low nibble
     * is the low nibble of byte k for k &lt; 8, the high nibble of byte k - 8 otherwise; its high two bits are bits
     * 2(k / 4), 2(k / 4) + 1 of byte 8 + k % 4. (ggml's {@code dequantize_row_q3_K} does the same with 32-bit masks
     * {@code kmask1}, {@code kmask2}.)
     */
    static int scale(MemorySegment data, long scales, int k) {
        // branch-free: a branch on k inside the kernel's sub-block loop sends C2 into repeated deoptimization
        int low = (Simd.u8(data, scales + (k & 7)) >> (4 * (k >> 3))) & 0xF;
        int high = (Simd.u8(data, scales + 8 + (k & 3)) >> (2 * (k >> 2))) & 3;
        return low | (high << 4);
    }

    /**
     * {@code scales[k] = d * (scale_k - 32)} for all sixteen sub-blocks of the block at {@code o}, the 12 bytes read
     * as three little-endian ints and spread to sixteen bytes with ggml's masks: far fewer operations than
     * {@link #scale} sixteen times.
     */
    private static void blockScales(MemorySegment data, long o, float[] scales) {
        float d = Simd.f16(data, o + 108);
        int a0 = data.get(Simd.LE_INT, o + 96);
        int a1 = data.get(Simd.LE_INT, o + 100);
        int hi = data.get(Simd.LE_INT, o + 104);
        spread(scales, 0, d, (a0 & 0x0F0F_0F0F) | ((hi & 0x0303_0303) << 4));
        spread(scales, 4, d, (a1 & 0x0F0F_0F0F) | (((hi >>> 2) & 0x0303_0303) << 4));
        spread(scales, 8, d, ((a0 >>> 4) & 0x0F0F_0F0F) | (((hi >>> 4) & 0x0303_0303) << 4));
        spread(scales, 12, d, ((a1 >>> 4) & 0x0F0F_0F0F) | (((hi >>> 6) & 0x0303_0303) << 4));
    }

    /** The four 6-bit scales packed a byte each in {@code packed}, biased by -32 and times {@code d}. */
    private static void spread(float[] scales, int at, float d, int packed) {
        for (int i = 0; i < 4; i++) {
            scales[at + i] = d * (((packed >>> (8 * i)) & 0xFF) - 32);
        }
    }

    /** As ggml {@code dequantize_row_q3_K}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        int nb = GgmlType.Q3_K.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            float dAll = Simd.f16(data, o + 108);
            int y = dstOffset + b * BLOCK;
            int is = 0;
            int m = 1;
            for (int h = 0; h < 2; h++) {
                long q = o + 32 + 32 * h;
                for (int shift = 0; shift < 8; shift += 2) {
                    for (int t = 0; t < 2; t++) {
                        float dl = dAll * (scale(data, o + 96, is++) - 32);
                        for (int l = 0; l < 16; l++) {
                            int low = (Simd.u8(data, q + 16 * t + l) >> shift) & 3;
                            int high = (Simd.u8(data, o + 16 * t + l) & m) != 0 ? 0 : 4;
                            dst[y++] = dl * (low - high);
                        }
                    }
                    m <<= 1;
                }
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        int nb = GgmlType.Q3_K.blockCount(n);
        FloatVector acc = FloatVector.zero(Simd.F);
        float[] scales = new float[16];
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            blockScales(data, o, scales);
            // sub-block k = 8h + 2j + t: one uniform loop body keeps the compiled kernel small enough for C2 to
            // inline every vector call
            for (int h = 0; h < 2; h++) {
                for (int t = 0; t < 2; t++) {
                    long qs = o + 32 + 32 * h + 16 * t;
                    long hm = o + 16 * t;
                    for (int j = 0; j < 4; j++) {
                        int k = 8 * h + 2 * j + t;
                        int xk = xOffset + b * BLOCK + 16 * k;
                        FloatVector sum = FloatVector.zero(Simd.F);
                        for (int g = 0; g < 16; g += Simd.B.length()) {
                            ByteVector qb = Simd.bytes(data, qs + g);
                            ByteVector hb = Simd.bytes(data, hm + g);
                            for (int p = 0; p < Simd.PARTS; p++) {
                                IntVector low = Simd.widen(qb, p).lanewise(VectorOperators.LSHR, 2 * j).and(3);
                                IntVector high = Simd.widen(hb, p).lanewise(VectorOperators.LSHR, 4 * h + j).and(1);
                                IntVector q = low.or(high.lanewise(VectorOperators.LSHL, 2)).sub(4);
                                sum = Simd.toFloat(q).fma(Simd.x(x, xk + g + p * Simd.LANES), sum);
                            }
                        }
                        acc = sum.fma(Simd.splat(scales[k]), acc);
                    }
                }
            }
        }
        return Simd.sum(acc);
    }

    /**
     * As ggml {@code quantize_row_q3_K_ref}: per sub-block a symmetric fit ({@link ScaleSearch#makeQ3Quants}, 8
     * levels), scales quantized to 6 bits against the one of largest magnitude, quants recomputed against the
     * rounded scales, high bits split off into hmask.
     */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int n) {
        int nb = GgmlType.Q3_K.blockCount(n);
        byte[] levels = new byte[BLOCK];
        float[] scales = new float[16];
        byte[] sc = new byte[12];
        byte[] hmask = new byte[32];
        for (int b = 0; b < nb; b++) {
            int x = srcOffset + b * BLOCK;
            long o = dstOffset + (long) b * BYTES;
            float maxScale = 0;
            float amax = 0;
            for (int j = 0; j < 16; j++) {
                scales[j] = ScaleSearch.makeQ3Quants(16, 4, src, x + 16 * j, levels, 16 * j, true);
                float scale = Math.abs(scales[j]);
                if (scale > amax) {
                    amax = scale;
                    maxScale = scales[j];
                }
            }
            Arrays.fill(sc, (byte) 0);
            short dBits;
            if (maxScale != 0) {
                float iscale = -32.0f / maxScale;
                for (int j = 0; j < 16; j++) {
                    int l = (byte) ScaleSearch.nearestInt(iscale * scales[j]);
                    l = Math.max(-32, Math.min(31, l)) + 32;
                    if (j < 8) {
                        sc[j] = (byte) (l & 0xF);
                    } else {
                        sc[j - 8] |= (byte) ((l & 0xF) << 4);
                    }
                    l >>= 4;
                    sc[j % 4 + 8] |= (byte) (l << (2 * (j / 4)));
                }
                dBits = Float.floatToFloat16(1 / iscale);
            } else {
                dBits = Float.floatToFloat16(0.0f);
            }
            MemorySegment.copy(sc, 0, dst, ValueLayout.JAVA_BYTE, o + 96, 12);
            dst.set(Simd.LE_SHORT, o + 108, dBits);
            float dAll = Float.float16ToFloat(dBits);
            for (int j = 0; j < 16; j++) {
                float d = dAll * (scale(dst, o + 96, j) - 32);
                if (d == 0) {
                    continue;
                }
                for (int ii = 0; ii < 16; ii++) {
                    int l = ScaleSearch.nearestInt(src[x + 16 * j + ii] / d);
                    levels[16 * j + ii] = (byte) (Math.max(-4, Math.min(3, l)) + 4);
                }
            }
            Arrays.fill(hmask, (byte) 0);
            int m = 0;
            int hm = 1;
            for (int j = 0; j < BLOCK; j++) {
                if (levels[j] > 3) {
                    hmask[m] |= (byte) hm;
                    levels[j] -= 4;
                }
                if (++m == 32) {
                    m = 0;
                    hm <<= 1;
                }
            }
            MemorySegment.copy(hmask, 0, dst, ValueLayout.JAVA_BYTE, o, 32);
            for (int h = 0; h < 2; h++) {
                int j = 128 * h;
                for (int l = 0; l < 32; l++) {
                    int q = levels[j + l] | (levels[j + l + 32] << 2) | (levels[j + l + 64] << 4) | (levels[j + l + 96] << 6);
                    dst.set(ValueLayout.JAVA_BYTE, o + 32 + 32 * h + l, (byte) q);
                }
            }
        }
    }
}
