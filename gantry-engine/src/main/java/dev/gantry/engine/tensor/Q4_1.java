package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * 4-bit quants with a scale and a minimum per 32 weights (ggml {@code block_q4_1}, 20 bytes):
 * <pre>
 *   ggml_half d;       // offset 0: scale
 *   ggml_half m;       // offset 2: minimum
 *   uint8_t   qs[16];  // offset 4: weight j = (qs[j] &amp; 0xF) * d + m, weight j + 16 = (qs[j] &gt;&gt; 4) * d + m
 * </pre>
 * The kernel uses sum(w x) = d sum(q x) + m sum(x) per block.
 */
public final class Q4_1 implements WeightFormat, Quantizer {

    static final int BLOCK = 32;
    static final int BYTES = 20;

    @Override
    public GgmlType type() {
        return GgmlType.Q4_1;
    }

    /** As ggml {@code dequantize_row_q4_1}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        int nb = GgmlType.Q4_1.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            float d = Simd.f16(data, o);
            float m = Simd.f16(data, o + 2);
            int y = dstOffset + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int q = Simd.u8(data, o + 4 + j);
                dst[y + j] = (q & 0xF) * d + m;
                dst[y + j + 16] = (q >> 4) * d + m;
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        int nb = GgmlType.Q4_1.blockCount(n);
        FloatVector acc = FloatVector.zero(Simd.F);
        FloatVector accMin = acc;
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            int xb = xOffset + b * BLOCK;
            FloatVector qx = FloatVector.zero(Simd.F);
            FloatVector xs = qx;
            for (int half = 0; half < 2; half++) {
                for (int g = 0; g < 16; g += Simd.B.length()) {
                    ByteVector q = Simd.bytes(data, o + 4 + g);
                    for (int p = 0; p < Simd.PARTS; p++) {
                        IntVector v = Simd.widen(q, p).lanewise(VectorOperators.LSHR, 4 * half).and(0xF);
                        FloatVector xv = Simd.x(x, xb + 16 * half + g + p * Simd.LANES);
                        qx = Simd.toFloat(v).fma(xv, qx);
                        xs = xs.add(xv);
                    }
                }
            }
            acc = qx.fma(Simd.splat(Simd.f16(data, o)), acc);
            accMin = xs.fma(Simd.splat(Simd.f16(data, o + 2)), accMin);
        }
        return Simd.sum(acc.add(accMin));
    }

    /** As ggml {@code quantize_row_q4_1_ref}: d = (max - min) / 15, m = min, q = min(15, (int) ((x - min) / d + 0.5)). */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int n) {
        int nb = GgmlType.Q4_1.blockCount(n);
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
            float d = (max - min) / 15;
            float id = d != 0 ? 1.0f / d : 0.0f;
            dst.set(Simd.LE_SHORT, o, Float.floatToFloat16(d));
            dst.set(Simd.LE_SHORT, o + 2, Float.floatToFloat16(min));
            for (int j = 0; j < 16; j++) {
                int q0 = Math.min(15, (byte) (int) ((src[x + j] - min) * id + 0.5f));
                int q1 = Math.min(15, (byte) (int) ((src[x + 16 + j] - min) * id + 0.5f));
                dst.set(ValueLayout.JAVA_BYTE, o + 4 + j, (byte) (q0 | (q1 << 4)));
            }
        }
    }
}
