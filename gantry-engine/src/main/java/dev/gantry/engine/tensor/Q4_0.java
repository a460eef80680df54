package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * 4-bit quants, one scale per 32 weights (ggml {@code block_q4_0}, 18 bytes):
 * <pre>
 *   ggml_half d;       // offset 0: scale
 *   uint8_t   qs[16];  // offset 2: weight j      = ((qs[j] &amp; 0xF) - 8) * d   (j &lt; 16)
 *                      //            weight j + 16 = ((qs[j] &gt;&gt; 4)  - 8) * d
 * </pre>
 * The low nibbles hold the first half of the block and the high nibbles the second, not interleaved.
 */
public final class Q4_0 implements WeightFormat, Quantizer {

    static final int BLOCK = 32;
    static final int BYTES = 18;

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    /** As ggml {@code dequantize_row_q4_0}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        int nb = GgmlType.Q4_0.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            float d = Simd.f16(data, o);
            int y = dstOffset + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int q = Simd.u8(data, o + 2 + j);
                dst[y + j] = ((q & 0xF) - 8) * d;
                dst[y + j + 16] = ((q >> 4) - 8) * d;
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        int nb = GgmlType.Q4_0.blockCount(n);
        FloatVector acc = FloatVector.zero(Simd.F);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            int xb = xOffset + b * BLOCK;
            FloatVector sum = FloatVector.zero(Simd.F);
            // a loop over the two nibbles rather than two copies of the body: fewer vector call sites per method
            // leave C2 the node budget to inline all of them
            for (int half = 0; half < 2; half++) {
                for (int g = 0; g < 16; g += Simd.B.length()) {
                    ByteVector q = Simd.bytes(data, o + 2 + g);
                    for (int p = 0; p < Simd.PARTS; p++) {
                        IntVector v = Simd.widen(q, p).lanewise(VectorOperators.LSHR, 4 * half).and(0xF).sub(8);
                        sum = Simd.toFloat(v).fma(Simd.x(x, xb + 16 * half + g + p * Simd.LANES), sum);
                    }
                }
            }
            acc = sum.fma(Simd.splat(Simd.f16(data, o)), acc);
        }
        return Simd.sum(acc);
    }

    @Override
    public PanelLayout panelLayout() {
        return PanelLayout.SCALED_BLOCKS_OF_32;
    }

    /** The quants minus 8 as floats and each block's {@code d}: what {@link #dot} multiplies. */
    @Override
    public void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                       float[] mins, int blockOffset) {
        int nb = GgmlType.Q4_0.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            for (int half = 0; half < 2; half++) {
                for (int g = 0; g < 16; g += Simd.B.length()) {
                    ByteVector q = Simd.bytes(data, o + 2 + g);
                    for (int p = 0; p < Simd.PARTS; p++) {
                        IntVector v = Simd.widen(q, p).lanewise(VectorOperators.LSHR, 4 * half).and(0xF).sub(8);
                        Simd.toFloat(v).intoArray(values, valuesOffset + b * BLOCK + 16 * half + g + p * Simd.LANES);
                    }
                }
            }
            scales[blockOffset + b] = Simd.f16(data, o);
        }
    }

    /** Four tokens at a time, each with exactly {@link #dot}'s operations. */
    @Override
    public void dotTokens(MemorySegment data, long offset, float[] x, int xOffset, int xStride, int tokens, int n,
                          float[] out, int outOffset, int outStride) {
        TokenTiles.run(this, 4, Q4_0::dot4, data, offset, x, xOffset, xStride, tokens, n, out, outOffset, outStride);
    }

    private static void dot4(MemorySegment data, long offset, float[] x, int x0, int xStride, int n,
                             float[] out, int o0, int outStride) {
        int nb = GgmlType.Q4_0.blockCount(n);
        int x1 = x0 + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            FloatVector s0 = FloatVector.zero(Simd.F);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int half = 0; half < 2; half++) {
                for (int g = 0; g < 16; g += Simd.B.length()) {
                    ByteVector q = Simd.bytes(data, o + 2 + g);
                    for (int p = 0; p < Simd.PARTS; p++) {
                        IntVector v = Simd.widen(q, p).lanewise(VectorOperators.LSHR, 4 * half).and(0xF).sub(8);
                        FloatVector w = Simd.toFloat(v);
                        int i = b * BLOCK + 16 * half + g + p * Simd.LANES;
                        s0 = w.fma(Simd.x(x, x0 + i), s0);
                        s1 = w.fma(Simd.x(x, x1 + i), s1);
                        s2 = w.fma(Simd.x(x, x2 + i), s2);
                        s3 = w.fma(Simd.x(x, x3 + i), s3);
                    }
                }
            }
            FloatVector d = Simd.splat(Simd.f16(data, o));
            a0 = s0.fma(d, a0);
            a1 = s1.fma(d, a1);
            a2 = s2.fma(d, a2);
            a3 = s3.fma(d, a3);
        }
        Simd.sum4(a0, a1, a2, a3, out, o0, outStride);
    }

    /**
     * As ggml {@code quantize_row_q4_0_ref}: d = (the value of largest magnitude) / -8, so that value maps to
     * quant 0 exactly, and q = min(15, (int) (x / d + 8.5)).
     */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int n) {
        int nb = GgmlType.Q4_0.blockCount(n);
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
            float d = max / -8;
            float id = d != 0 ? 1.0f / d : 0.0f;
            dst.set(Simd.LE_SHORT, o, Float.floatToFloat16(d));
            for (int j = 0; j < 16; j++) {
                int q0 = Math.min(15, (byte) (int) (src[x + j] * id + 8.5f));
                int q1 = Math.min(15, (byte) (int) (src[x + 16 + j] * id + 8.5f));
                dst.set(ValueLayout.JAVA_BYTE, o + 2 + j, (byte) (q0 | (q1 << 4)));
            }
        }
    }
}
