package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;

/** IEEE binary32, little-endian, 4 bytes an element (ggml {@code GGML_TYPE_F32}). */
public final class F32 implements WeightFormat, Quantizer {

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        GgmlType.F32.blockCount(n);
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = data.get(Simd.LE_FLOAT, offset + 4L * i);
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        GgmlType.F32.blockCount(n);
        final int lanes = Simd.LANES;
        FloatVector acc0 = FloatVector.zero(Simd.F);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        int i = 0;
        for (; i <= n - 4 * lanes; i += 4 * lanes) {
            long o = offset + 4L * i;
            acc0 = load(data, o).fma(Simd.x(x, xOffset + i), acc0);
            acc1 = load(data, o + 4L * lanes).fma(Simd.x(x, xOffset + i + lanes), acc1);
            acc2 = load(data, o + 8L * lanes).fma(Simd.x(x, xOffset + i + 2 * lanes), acc2);
            acc3 = load(data, o + 12L * lanes).fma(Simd.x(x, xOffset + i + 3 * lanes), acc3);
        }
        float sum = Simd.sum(acc0.add(acc1).add(acc2.add(acc3)));
        for (; i < n; i++) {
            sum += data.get(Simd.LE_FLOAT, offset + 4L * i) * x[xOffset + i];
        }
        return sum;
    }

    private static FloatVector load(MemorySegment data, long offset) {
        return FloatVector.fromMemorySegment(Simd.F, data, offset, ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int n) {
        GgmlType.F32.blockCount(n);
        for (int i = 0; i < n; i++) {
            dst.set(Simd.LE_FLOAT, dstOffset + 4L * i, src[srcOffset + i]);
        }
    }
}
