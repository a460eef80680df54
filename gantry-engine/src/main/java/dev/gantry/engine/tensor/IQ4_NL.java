package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Non-linear 4-bit quants, one scale per 32 weights (ggml {@code block_iq4_nl}, 18 bytes):
 * <pre>
 *   ggml_half d;       // offset 0: scale
 *   uint8_t   qs[16];  // offset 2: weight j = kvalues_iq4nl[qs[j] &amp; 0xF] * d, weight j + 16 = kvalues_iq4nl[qs[j] &gt;&gt; 4] * d
 * </pre>
 * The nibbles index {@link #KVALUES} (ggml-common.h {@code kvalues_iq4nl}), 16 levels denser near zero. The kernel
 * looks them up sixteen at a time with a byte shuffle ({@code selectFrom}, one {@code pshufb}/{@code tbl}).
 */
public final class IQ4_NL implements WeightFormat {

    static final int BLOCK = 32;
    static final int BYTES = 18;

    /** ggml-common.h {@code kvalues_iq4nl}. */
    static final byte[] KVALUES = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

    @Override
    public GgmlType type() {
        return GgmlType.IQ4_NL;
    }

    /** As ggml {@code dequantize_row_iq4_nl}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        int nb = GgmlType.IQ4_NL.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            float d = Simd.f16(data, o);
            int y = dstOffset + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int q = Simd.u8(data, o + 2 + j);
                dst[y + j] = d * KVALUES[q & 0xF];
                dst[y + j + 16] = d * KVALUES[q >> 4];
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        int nb = GgmlType.IQ4_NL.blockCount(n);
        ByteVector table = ByteVector.fromArray(Simd.B16, KVALUES, 0);
        FloatVector acc = FloatVector.zero(Simd.F);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            acc = dot32(data, o + 2, table, x, xOffset + b * BLOCK).fma(Simd.splat(Simd.f16(data, o)), acc);
        }
        return Simd.sum(acc);
    }

    /**
     * The 32 levels indexed by the nibbles of the 16 bytes at {@code qs} (low nibbles first), multiplied lane-wise
     * with {@code x[xIndex..xIndex+32)} and summed into one vector. One loop over the two nibbles, not two copies:
     * fewer vector call sites per method leave C2 the node budget to inline all of them.
     */
    static FloatVector dot32(MemorySegment data, long qs, ByteVector table, float[] x, int xIndex) {
        ByteVector q = Simd.bytes16(data, qs);
        FloatVector sum = FloatVector.zero(Simd.F);
        for (int half = 0; half < 2; half++) {
            ByteVector w = q.lanewise(VectorOperators.LSHR, 4 * half).and((byte) 0xF).selectFrom(table);
            for (int p = 0; p < Simd.PARTS16; p++) {
                sum = ((FloatVector) w.castShape(Simd.F, p)).fma(Simd.x(x, xIndex + 16 * half + p * Simd.LANES), sum);
            }
        }
        return sum;
    }
}
