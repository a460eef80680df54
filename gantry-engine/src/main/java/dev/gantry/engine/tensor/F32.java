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
        int from = vectorPart(n);
        return tail(data, offset, x, xOffset, from, n, vectorSum(data, offset, x, xOffset, from));
    }

    /**
     * One {@link #dot} per row, but the leftover columns of four rows at a time: a row's leftovers are a serial chain
     * of adds (ggml's order), so four rows keep four chains in flight instead of one. Each row gets {@link #dot}'s float.
     */
    @Override
    public void dotRows(MemorySegment data, long offset, long rowStride, int rows, float[] x, int xOffset, int n,
                        float[] out, int outOffset) {
        GgmlType.F32.blockCount(n);
        int from = vectorPart(n);
        int r = 0;
        for (; from < n && r + 4 <= rows; r += 4) {
            long o0 = offset + r * rowStride;
            long o1 = o0 + rowStride;
            long o2 = o1 + rowStride;
            long o3 = o2 + rowStride;
            float s0 = vectorSum(data, o0, x, xOffset, from);
            float s1 = vectorSum(data, o1, x, xOffset, from);
            float s2 = vectorSum(data, o2, x, xOffset, from);
            float s3 = vectorSum(data, o3, x, xOffset, from);
            for (int i = from; i < n; i++) {
                float xi = x[xOffset + i];
                s0 += data.get(Simd.LE_FLOAT, o0 + 4L * i) * xi;
                s1 += data.get(Simd.LE_FLOAT, o1 + 4L * i) * xi;
                s2 += data.get(Simd.LE_FLOAT, o2 + 4L * i) * xi;
                s3 += data.get(Simd.LE_FLOAT, o3 + 4L * i) * xi;
            }
            out[outOffset + r] = s0;
            out[outOffset + r + 1] = s1;
            out[outOffset + r + 2] = s2;
            out[outOffset + r + 3] = s3;
        }
        for (; r < rows; r++) {
            out[outOffset + r] = dot(data, offset + r * rowStride, x, xOffset, n);
        }
    }

    /** Where the four-accumulator loop stops: the columns after it are {@link #tail}'s. */
    private static int vectorPart(int n) {
        return n - n % (4 * Simd.LANES);
    }

    /** The reduced sum of the first {@code n} products (a multiple of four vectors), ggml's {@code vec_dot_f32} loop. */
    private static float vectorSum(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        final int lanes = Simd.LANES;
        FloatVector acc0 = FloatVector.zero(Simd.F);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        for (int i = 0; i < n; i += 4 * lanes) {
            long o = offset + 4L * i;
            acc0 = load(data, o).fma(Simd.x(x, xOffset + i), acc0);
            acc1 = load(data, o + 4L * lanes).fma(Simd.x(x, xOffset + i + lanes), acc1);
            acc2 = load(data, o + 8L * lanes).fma(Simd.x(x, xOffset + i + 2 * lanes), acc2);
            acc3 = load(data, o + 12L * lanes).fma(Simd.x(x, xOffset + i + 3 * lanes), acc3);
        }
        return Simd.sum(acc0.add(acc1).add(acc2.add(acc3)));
    }

    /** {@code sum} plus the products of elements {@code [from, n)}, one by one (a method of its own for C2's budget). */
    private static float tail(MemorySegment data, long offset, float[] x, int xOffset, int from, int n, float sum) {
        float s = sum;
        for (int i = from; i < n; i++) {
            s += data.get(Simd.LE_FLOAT, offset + 4L * i) * x[xOffset + i];
        }
        return s;
    }

    @Override
    public PanelLayout panelLayout() {
        return PanelLayout.FOUR_ACCUMULATORS;
    }

    @Override
    public void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                       float[] mins, int blockOffset) {
        MemorySegment.copy(data, Simd.LE_FLOAT, offset, values, valuesOffset, n);
    }

    /** Two tokens at a time, each with exactly {@link #dot}'s operations. */
    @Override
    public void dotTokens(MemorySegment data, long offset, float[] x, int xOffset, int xStride, int tokens, int n,
                          float[] out, int outOffset, int outStride) {
        TokenTiles.run(this, 2, F32::dot2, data, offset, x, xOffset, xStride, tokens, n, out, outOffset, outStride);
    }

    private static void dot2(MemorySegment data, long offset, float[] x, int x0, int xStride, int n,
                             float[] out, int o0, int outStride) {
        GgmlType.F32.blockCount(n);
        final int lanes = Simd.LANES;
        int x1 = x0 + xStride;
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        int i = 0;
        for (; i <= n - 4 * lanes; i += 4 * lanes) {
            long o = offset + 4L * i;
            FloatVector w0 = load(data, o);
            FloatVector w1 = load(data, o + 4L * lanes);
            FloatVector w2 = load(data, o + 8L * lanes);
            FloatVector w3 = load(data, o + 12L * lanes);
            a0 = w0.fma(Simd.x(x, x0 + i), a0);
            a1 = w1.fma(Simd.x(x, x0 + i + lanes), a1);
            a2 = w2.fma(Simd.x(x, x0 + i + 2 * lanes), a2);
            a3 = w3.fma(Simd.x(x, x0 + i + 3 * lanes), a3);
            b0 = w0.fma(Simd.x(x, x1 + i), b0);
            b1 = w1.fma(Simd.x(x, x1 + i + lanes), b1);
            b2 = w2.fma(Simd.x(x, x1 + i + 2 * lanes), b2);
            b3 = w3.fma(Simd.x(x, x1 + i + 3 * lanes), b3);
        }
        out[o0] = tail(data, offset, x, x0, i, n, Simd.sum(a0.add(a1).add(a2.add(a3))));
        out[o0 + outStride] = tail(data, offset, x, x1, i, n, Simd.sum(b0.add(b1).add(b2.add(b3))));
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
