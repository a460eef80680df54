package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * 5-bit quants, one scale per 32 weights (ggml {@code block_q5_0}, 22 bytes):
 * <pre>
 *   ggml_half d;       // offset 0: scale
 *   uint8_t   qh[4];   // offset 2: bit j of this little-endian uint32 is the fifth bit of weight j
 *   uint8_t   qs[16];  // offset 6: low 4 bits, weight j in the low nibble of qs[j], weight j + 16 in the high
 *   // weight j = (q_j - 16) * d, q_j in 0..31
 * </pre>
 * The kernel spreads qh over the lanes with a per-lane variable shift (bit e + lane of qh).
 */
public final class Q5_0 implements WeightFormat, Quantizer {

    static final int BLOCK = 32;
    static final int BYTES = 22;

    @Override
    public GgmlType type() {
        return GgmlType.Q5_0;
    }

    /** As ggml {@code dequantize_row_q5_0}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        int nb = GgmlType.Q5_0.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            float d = Simd.f16(data, o);
            int qh = data.get(Simd.LE_INT, o + 2);
            int y = dstOffset + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int q = Simd.u8(data, o + 6 + j);
                int h0 = ((qh >>> j) << 4) & 0x10;
                int h1 = (qh >>> (j + 12)) & 0x10;
                dst[y + j] = (((q & 0xF) | h0) - 16) * d;
                dst[y + j + 16] = (((q >> 4) | h1) - 16) * d;
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        int nb = GgmlType.Q5_0.blockCount(n);
        IntVector lane = Simd.iota();
        FloatVector acc = FloatVector.zero(Simd.F);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            int xb = xOffset + b * BLOCK;
            int qh = data.get(Simd.LE_INT, o + 2);
            FloatVector sum = FloatVector.zero(Simd.F);
            // a loop over the two nibbles rather than two copies of the body: fewer vector call sites per method
            // leave C2 the node budget to inline all of them
            for (int half = 0; half < 2; half++) {
                for (int g = 0; g < 16; g += Simd.B.length()) {
                    ByteVector q = Simd.bytes(data, o + 6 + g);
                    for (int p = 0; p < Simd.PARTS; p++) {
                        int e = 16 * half + g + p * Simd.LANES;
                        IntVector v = Simd.widen(q, p).lanewise(VectorOperators.LSHR, 4 * half).and(0xF);
                        IntVector q5 = v.or(fifthBits(qh >>> e, lane)).sub(16);
                        sum = Simd.toFloat(q5).fma(Simd.x(x, xb + e), sum);
                    }
                }
            }
            acc = sum.fma(Simd.splat(Simd.f16(data, o)), acc);
        }
        return Simd.sum(acc);
    }

    /** Lane k: bit k of {@code bits}, moved to bit 4. */
    static IntVector fifthBits(int bits, IntVector lane) {
        return IntVector.broadcast(Simd.I, bits).lanewise(VectorOperators.LSHR, lane).and(1).lanewise(VectorOperators.LSHL, 4);
    }

    /** As ggml {@code quantize_row_q5_0_ref}: d = (the value of largest magnitude) / -16, q = min(31, (int) (x / d + 16.5)). */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int n) {
        int nb = GgmlType.Q5_0.blockCount(n);
        for (int b = 0; b < nb; b++) {
            int x = srcOffset + b * BLOCK;
            long o = dstOffset + (long) b * BYTES;
            float amax = 0.0f;
            float max = 0.0f;
            for (int j = 0; j < BLOCK; j++) {
                float v = src[x + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -16;
            float id = d != 0 ? 1.0f / d : 0.0f;
            dst.set(Simd.LE_SHORT, o, Float.floatToFloat16(d));
            int qh = 0;
            for (int j = 0; j < 16; j++) {
                int q0 = Math.min(31, (byte) (int) (src[x + j] * id + 16.5f));
                int q1 = Math.min(31, (byte) (int) (src[x + 16 + j] * id + 16.5f));
                dst.set(ValueLayout.JAVA_BYTE, o + 6 + j, (byte) ((q0 & 0xF) | ((q1 & 0xF) << 4)));
                qh |= ((q0 & 0x10) >>> 4) << j;
                qh |= ((q1 & 0x10) >>> 4) << (j + 16);
            }
            dst.set(Simd.LE_INT, o + 2, qh);
        }
    }
}
