package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

/**
 * 8-bit quants, one scale per 32 weights (ggml {@code block_q8_0}, 34 bytes):
 * <pre>
 *   ggml_half d;       // offset 0: scale
 *   int8_t    qs[32];  // offset 2: weight j = qs[j] * d
 * </pre>
 */
public final class Q8_0 implements WeightFormat, Quantizer {

    static final int BLOCK = 32;
    static final int BYTES = 34;

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    /** As ggml {@code dequantize_row_q8_0}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        int nb = GgmlType.Q8_0.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            float d = Simd.f16(data, o);
            int y = dstOffset + b * BLOCK;
            for (int j = 0; j < BLOCK; j++) {
                dst[y + j] = data.get(ValueLayout.JAVA_BYTE, o + 2 + j) * d;
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        int nb = GgmlType.Q8_0.blockCount(n);
        FloatVector acc = FloatVector.zero(Simd.F);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            int xb = xOffset + b * BLOCK;
            FloatVector sum = FloatVector.zero(Simd.F);
            for (int g = 0; g < BLOCK; g += Simd.B.length()) {
                ByteVector q = Simd.bytes(data, o + 2 + g);
                for (int p = 0; p < Simd.PARTS; p++) {
                    FloatVector w = (FloatVector) q.castShape(Simd.F, p);
                    sum = w.fma(Simd.x(x, xb + g + p * Simd.LANES), sum);
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

    /** The quants as floats and each block's {@code d}: what {@link #dot} multiplies. */
    @Override
    public void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                       float[] mins, int blockOffset) {
        int nb = GgmlType.Q8_0.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            for (int g = 0; g < BLOCK; g += Simd.B.length()) {
                ByteVector q = Simd.bytes(data, o + 2 + g);
                for (int p = 0; p < Simd.PARTS; p++) {
                    ((FloatVector) q.castShape(Simd.F, p)).intoArray(values, valuesOffset + b * BLOCK + g + p * Simd.LANES);
                }
            }
            scales[blockOffset + b] = Simd.f16(data, o);
        }
    }

    /** Four tokens at a time, each with exactly {@link #dot}'s operations. */
    @Override
    public void dotTokens(MemorySegment data, long offset, float[] x, int xOffset, int xStride, int tokens, int n,
                          float[] out, int outOffset, int outStride) {
        TokenTiles.run(this, 4, Q8_0::dot4, data, offset, x, xOffset, xStride, tokens, n, out, outOffset, outStride);
    }

    private static void dot4(MemorySegment data, long offset, float[] x, int x0, int xStride, int n,
                             float[] out, int o0, int outStride) {
        int nb = GgmlType.Q8_0.blockCount(n);
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
            for (int g = 0; g < BLOCK; g += Simd.B.length()) {
                ByteVector q = Simd.bytes(data, o + 2 + g);
                for (int p = 0; p < Simd.PARTS; p++) {
                    FloatVector w = (FloatVector) q.castShape(Simd.F, p);
                    int i = b * BLOCK + g + p * Simd.LANES;
                    s0 = w.fma(Simd.x(x, x0 + i), s0);
                    s1 = w.fma(Simd.x(x, x1 + i), s1);
                    s2 = w.fma(Simd.x(x, x2 + i), s2);
                    s3 = w.fma(Simd.x(x, x3 + i), s3);
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

    /** As ggml {@code quantize_row_q8_0_ref}: d = amax / 127, q = roundf(x / d). */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int n) {
        int nb = GgmlType.Q8_0.blockCount(n);
        for (int b = 0; b < nb; b++) {
            int x = srcOffset + b * BLOCK;
            long o = dstOffset + (long) b * BYTES;
            float amax = 0.0f;
            for (int j = 0; j < BLOCK; j++) {
                amax = Math.max(amax, Math.abs(src[x + j]));
            }
            float d = amax / 127;
            float id = d != 0 ? 1.0f / d : 0.0f;
            dst.set(Simd.LE_SHORT, o, Float.floatToFloat16(d));
            for (int j = 0; j < BLOCK; j++) {
                dst.set(ValueLayout.JAVA_BYTE, o + 2 + j, (byte) roundHalfAway(src[x + j] * id));
            }
        }
    }

    /** C {@code roundf}: halves round away from zero (exact in double for any float). */
    static int roundHalfAway(float v) {
        double r = Math.floor(Math.abs((double) v) + 0.5);
        return (int) (v < 0 ? -r : r);
    }
}
