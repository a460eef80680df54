package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * 5-bit quants with a scale and a minimum per 32 weights (ggml {@code block_q5_1}, 24 bytes):
 * <pre>
 *   ggml_half d;       // offset 0: scale
 *   ggml_half m;       // offset 2: minimum
 *   uint8_t   qh[4];   // offset 4: bit j of this little-endian uint32 is the fifth bit of weight j
 *   uint8_t   qs[16];  // offset 8: low 4 bits, weight j in the low nibble of qs[j], weight j + 16 in the high
 *   // weight j = q_j * d + m, q_j in 0..31
 * </pre>
 */
public final class Q5_1 implements WeightFormat, Quantizer {

    static final int BLOCK = 32;
    static final int BYTES = 24;

    @Override
    public GgmlType type() {
        return GgmlType.Q5_1;
    }

    /** As ggml {@code dequantize_row_q5_1}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        int nb = GgmlType.Q5_1.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            float d = Simd.f16(data, o);
            float m = Simd.f16(data, o + 2);
            int qh = data.get(Simd.LE_INT, o + 4);
            int y = dstOffset + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int q = Simd.u8(data, o + 8 + j);
                int h0 = ((qh >>> j) << 4) & 0x10;
                int h1 = (qh >>> (j + 12)) & 0x10;
                dst[y + j] = ((q & 0xF) | h0) * d + m;
                dst[y + j + 16] = ((q >> 4) | h1) * d + m;
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        int nb = GgmlType.Q5_1.blockCount(n);
        IntVector lane = Simd.iota();
        FloatVector acc = FloatVector.zero(Simd.F);
        FloatVector accMin = acc;
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            int xb = xOffset + b * BLOCK;
            int qh = data.get(Simd.LE_INT, o + 4);
            FloatVector qx = FloatVector.zero(Simd.F);
            FloatVector xs = qx;
            for (int half = 0; half < 2; half++) {
                for (int g = 0; g < 16; g += Simd.B.length()) {
                    ByteVector q = Simd.bytes(data, o + 8 + g);
                    for (int p = 0; p < Simd.PARTS; p++) {
                        int e = 16 * half + g + p * Simd.LANES;
                        IntVector v = Simd.widen(q, p).lanewise(VectorOperators.LSHR, 4 * half).and(0xF);
                        FloatVector xv = Simd.x(x, xb + e);
                        qx = Simd.toFloat(v.or(Q5_0.fifthBits(qh >>> e, lane))).fma(xv, qx);
                        xs = xs.add(xv);
                    }
                }
            }
            acc = qx.fma(Simd.splat(Simd.f16(data, o)), acc);
            accMin = xs.fma(Simd.splat(Simd.f16(data, o + 2)), accMin);
        }
        return Simd.sum(acc.add(accMin));
    }

    /** As ggml {@code quantize_row_q5_1_ref}: d = (max - min) / 31, m = min, q = (int) ((x - min) / d + 0.5). */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int n) {
        int nb = GgmlType.Q5_1.blockCount(n);
        for (int b = 0; b < nb; b++) {
            int x = srcOffset + b * BLOCK;
            long o = dstOffset + (long) b * BYTES;
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int j = 0; j < BLOCK; j++) {
                float v = src[x + j];
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
            float d = (max - min) / 31;
            float id = d != 0 ? 1.0f / d : 0.0f;
            dst.set(Simd.LE_SHORT, o, Float.floatToFloat16(d));
            dst.set(Simd.LE_SHORT, o + 2, Float.floatToFloat16(min));
            int qh = 0;
            for (int j = 0; j < 16; j++) {
                int q0 = ((int) ((src[x + j] - min) * id + 0.5f)) & 0xFF;
                int q1 = ((int) ((src[x + 16 + j] - min) * id + 0.5f)) & 0xFF;
                dst.set(ValueLayout.JAVA_BYTE, o + 8 + j, (byte) ((q0 & 0xF) | ((q1 & 0xF) << 4)));
                qh |= ((q0 & 0x10) >>> 4) << j;
                qh |= ((q1 & 0x10) >>> 4) << (j + 16);
            }
            dst.set(Simd.LE_INT, o + 4, qh);
        }
    }
}
