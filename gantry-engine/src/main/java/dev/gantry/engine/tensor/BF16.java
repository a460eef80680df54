package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * bfloat16 ({@code ggml_bf16_t}), little-endian, 2 bytes an element (ggml {@code GGML_TYPE_BF16}): the upper 16 bits
 * of a binary32, so decoding is a shift.
 */
public final class BF16 implements WeightFormat, Quantizer {

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    public static float toFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /**
     * ggml's {@code ggml_compute_fp32_to_bf16} (ggml-impl.h): round to nearest even on the dropped 16 bits, and a NaN
     * stays a NaN by forcing the quiet bit (plain rounding could carry a NaN's payload into infinity).
     */
    public static short fromFloat(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7fff_ffff) > 0x7f80_0000) {
            return (short) ((u >>> 16) | 64);
        }
        return (short) ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16);
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        GgmlType.BF16.blockCount(n);
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = toFloat(data.get(Simd.LE_SHORT, offset + 2L * i));
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        GgmlType.BF16.blockCount(n);
        final int lanes = Simd.LANES;
        FloatVector acc0 = FloatVector.zero(Simd.F);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        int i = 0;
        for (; i <= n - 4 * lanes; i += 4 * lanes) {
            long o = offset + 2L * i;
            acc0 = load(data, o).fma(Simd.x(x, xOffset + i), acc0);
            acc1 = load(data, o + 2L * lanes).fma(Simd.x(x, xOffset + i + lanes), acc1);
            acc2 = load(data, o + 4L * lanes).fma(Simd.x(x, xOffset + i + 2 * lanes), acc2);
            acc3 = load(data, o + 6L * lanes).fma(Simd.x(x, xOffset + i + 3 * lanes), acc3);
        }
        float sum = Simd.sum(acc0.add(acc1).add(acc2.add(acc3)));
        // the tail with no call of ours (toFloat written out): past C2's node budget only calls the JDK forces inline
        // still inline, and this kernel sits near it
        for (; i < n; i++) {
            sum += Float.intBitsToFloat(data.get(Simd.LE_SHORT, offset + 2L * i) << 16) * x[xOffset + i];
        }
        return sum;
    }

    @Override
    public PanelLayout panelLayout() {
        return PanelLayout.FOUR_ACCUMULATORS;
    }

    @Override
    public void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                       float[] mins, int blockOffset) {
        int i = 0;
        for (; i <= n - Simd.LANES; i += Simd.LANES) {
            load(data, offset + 2L * i).intoArray(values, valuesOffset + i);
        }
        for (; i < n; i++) {
            values[valuesOffset + i] = toFloat(data.get(Simd.LE_SHORT, offset + 2L * i));
        }
    }

    private static FloatVector load(MemorySegment data, long offset) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(Simd.S, data, offset, ByteOrder.LITTLE_ENDIAN)
                .castShape(Simd.I, 0);
        return (FloatVector) h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int n) {
        GgmlType.BF16.blockCount(n);
        for (int i = 0; i < n; i++) {
            dst.set(Simd.LE_SHORT, dstOffset + 2L * i, fromFloat(src[srcOffset + i]));
        }
    }
}
