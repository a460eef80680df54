package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * 5-bit quants in super-blocks of 256: eight sub-blocks of 32, each with a 6-bit scale and a 6-bit min
 * (ggml {@code block_q5_K}, 176 bytes):
 * <pre>
 *   ggml_half d;           // offset 0:  super-block scale of the sub-block scales
 *   ggml_half dmin;        // offset 2:  super-block scale of the sub-block mins
 *   uint8_t   scales[12];  // offset 4:  8 scales + 8 mins, 6 bits each, see {@link ScaleMinK4}
 *   uint8_t   qh[32];      // offset 16: fifth bits: weight 64c + l (l &lt; 32) has bit 2c of qh[l], weight 64c + 32 + l
 *                          //            bit 2c + 1
 *   uint8_t   qs[128];     // offset 48: low 4 bits, laid out as in Q4_K
 *   // weight = d * scale_s * q - dmin * min_s, q in 0..31
 * </pre>
 */
public final class Q5_K implements WeightFormat, Quantizer {

    static final int BLOCK = 256;
    static final int BYTES = 176;

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    /** As ggml {@code dequantize_row_q5_K}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        int nb = GgmlType.Q5_K.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            float d = Simd.f16(data, o);
            float min = Simd.f16(data, o + 2);
            for (int c = 0; c < 4; c++) {
                float d1 = d * ScaleMinK4.scale(data, o + 4, 2 * c);
                float m1 = min * ScaleMinK4.min(data, o + 4, 2 * c);
                float d2 = d * ScaleMinK4.scale(data, o + 4, 2 * c + 1);
                float m2 = min * ScaleMinK4.min(data, o + 4, 2 * c + 1);
                int u1 = 1 << (2 * c);
                int u2 = 2 << (2 * c);
                int y = dstOffset + b * BLOCK + 64 * c;
                for (int l = 0; l < 32; l++) {
                    int ql = Simd.u8(data, o + 48 + 32 * c + l);
                    int qh = Simd.u8(data, o + 16 + l);
                    dst[y + l] = d1 * ((ql & 0xF) + ((qh & u1) != 0 ? 16 : 0)) - m1;
                    dst[y + l + 32] = d2 * ((ql >> 4) + ((qh & u2) != 0 ? 16 : 0)) - m2;
                }
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        int nb = GgmlType.Q5_K.blockCount(n);
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
                long qs = o + 48 + 32 * (s >> 1);
                int nibble = 4 * (s & 1);
                int xs = xOffset + b * BLOCK + 32 * s;
                FloatVector sum = FloatVector.zero(Simd.F);
                FloatVector xsum = sum;
                for (int g = 0; g < 32; g += Simd.B.length()) {
                    ByteVector qb = Simd.bytes(data, qs + g);
                    ByteVector hb = Simd.bytes(data, o + 16 + g);
                    for (int p = 0; p < Simd.PARTS; p++) {
                        FloatVector xv = Simd.x(x, xs + g + p * Simd.LANES);
                        sum = weights(qb, hb, p, nibble, s).fma(xv, sum);
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
        int nb = GgmlType.Q5_K.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            ScaleMinK4.factors(data, o, scales, mins, blockOffset + 8 * b);
            for (int s = 0; s < 8; s++) {
                long qs = o + 48 + 32 * (s >> 1);
                int nibble = 4 * (s & 1);
                for (int g = 0; g < 32; g += Simd.B.length()) {
                    ByteVector qb = Simd.bytes(data, qs + g);
                    ByteVector hb = Simd.bytes(data, o + 16 + g);
                    for (int p = 0; p < Simd.PARTS; p++) {
                        int i = valuesOffset + b * BLOCK + 32 * s + g + p * Simd.LANES;
                        weights(qb, hb, p, nibble, s).intoArray(values, i);
                    }
                }
            }
        }
    }

    /**
     * Part {@code p} of a group's quants, as floats: four bits from {@code qb} at {@code nibble}, the fifth from bit
     * {@code s} of {@code hb}.
     */
    private static FloatVector weights(ByteVector qb, ByteVector hb, int p, int nibble, int s) {
        IntVector q = Simd.widen(qb, p).lanewise(VectorOperators.LSHR, nibble).and(0xF);
        IntVector fifth = Simd.widen(hb, p).lanewise(VectorOperators.LSHR, s).and(1).lanewise(VectorOperators.LSHL, 4);
        return Simd.toFloat(q.or(fifth));
    }

    /** As ggml {@code quantize_row_q5_K_ref}: the Q4_K fit with 31 levels, fifth bits split off into qh. */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int n) {
        int nb = GgmlType.Q5_K.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = dstOffset + (long) b * BYTES;
            byte[] levels = Q4_K.fitBlock(src, srcOffset + b * BLOCK, dst, o, 31);
            byte[] qh = new byte[32];
            for (int c = 0; c < 4; c++) {
                for (int j = 0; j < 32; j++) {
                    int l1 = levels[64 * c + j];
                    if (l1 > 15) {
                        l1 -= 16;
                        qh[j] |= (byte) (1 << (2 * c));
                    }
                    int l2 = levels[64 * c + j + 32];
                    if (l2 > 15) {
                        l2 -= 16;
                        qh[j] |= (byte) (2 << (2 * c));
                    }
                    dst.set(ValueLayout.JAVA_BYTE, o + 48 + 32 * c + j, (byte) (l1 | (l2 << 4)));
                }
            }
            MemorySegment.copy(qh, 0, dst, ValueLayout.JAVA_BYTE, o + 16, 32);
        }
    }
}
