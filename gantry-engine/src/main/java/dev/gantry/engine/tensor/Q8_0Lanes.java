package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;

/**
 * {@link Q8_0} weights repacked at load time and computed as floats: each weight is the exact float
 * {@code d * q} (an 11-bit {@code d} times an 8-bit integer) and a row sums in F16's order
 * ({@link PanelLayout#ONE_ACCUMULATOR}), so a prefill panel holds scaled weights and skips the per-block scale
 * multiply-add that Q8_0's order costs it per token. Results are Q8_0's to rounding; every kernel here gives the
 * same bits as any other.
 *
 * <p>A row of {@code n} weights is its quants, a byte each, then its {@code n / 32} block scales {@code d} as floats
 * (no conversion from half in the loop), padded to 64 bytes: the 34-byte GGUF blocks put every other vector load
 * across a cache line.
 */
public final class Q8_0Lanes implements WeightFormat {

    private static final int LANES = Simd.LANES;

    static final Q8_0Lanes INSTANCE = new Q8_0Lanes();

    private Q8_0Lanes() {
    }

    /** {@code t} (Q8_0) repacked into memory of {@code arena}. */
    static Tensor repack(Tensor t, Arena arena) {
        int n = t.cols();
        long rowBytes = INSTANCE.rowBytes(n);
        MemorySegment packed = WeightMemory.allocate(arena, rowBytes * t.rows());
        for (int r = 0; r < t.rows(); r++) {
            long from = r * t.rowBytes();
            long to = r * rowBytes;
            for (int b = 0; b < n / Q8_0.BLOCK; b++) {
                long block = from + (long) b * Q8_0.BYTES;
                MemorySegment.copy(t.data(), block + 2, packed, to + (long) b * Q8_0.BLOCK, Q8_0.BLOCK);
                packed.set(Simd.LE_FLOAT, to + n + 4L * b, Simd.f16(t.data(), block));
            }
        }
        return new Tensor(t.name(), GgmlType.Q8_0, t.shape(), packed, INSTANCE);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public long rowBytes(int n) {
        return (n + 4L * (n / Q8_0.BLOCK) + 63) & -64;
    }

    /** Scalar reference: {@code q * d}, as {@link Q8_0#dequantize}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        for (int w = 0; w < n; w++) {
            int q = data.get(ValueLayout.JAVA_BYTE, offset + w);
            dst[dstOffset + w] = q * data.get(Simd.LE_FLOAT, offset + n + 4L * (w / Q8_0.BLOCK));
        }
    }

    /** One accumulator of {@link Simd#WIDE} lanes, as {@link F16#dot}: vector {@code v} into part {@code v % WIDE_PARTS}. */
    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        FloatVector p0 = FloatVector.zero(Simd.F);
        FloatVector p1 = p0;
        FloatVector p2 = p0;
        FloatVector p3 = p0;
        for (int i = 0; i < n; i += Simd.WIDE) {
            p0 = weights(data, offset, n, i).fma(Simd.x(x, xOffset + i), p0);
            if (Simd.WIDE_PARTS > 1) {
                p1 = weights(data, offset, n, i + LANES).fma(Simd.x(x, xOffset + i + LANES), p1);
            }
            if (Simd.WIDE_PARTS > 2) {
                p2 = weights(data, offset, n, i + 2 * LANES).fma(Simd.x(x, xOffset + i + 2 * LANES), p2);
                p3 = weights(data, offset, n, i + 3 * LANES).fma(Simd.x(x, xOffset + i + 3 * LANES), p3);
            }
        }
        return Simd.sumWide(p0, p1, p2, p3);
    }

    /** Tiles of two tokens, each with exactly {@link #dot}'s operations, as {@link F16}'s. */
    @Override
    public void dotTokens(MemorySegment data, long offset, float[] x, int xOffset, int xStride, int tokens, int n,
                          float[] out, int outOffset, int outStride) {
        TokenTiles.run(this, 2, Q8_0Lanes::dot2, data, offset, x, xOffset, xStride, tokens, n, out, outOffset, outStride);
    }

    private static void dot2(MemorySegment data, long offset, float[] x, int x0, int xStride, int n,
                             float[] out, int o0, int outStride) {
        int x1 = x0 + xStride;
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        for (int i = 0; i < n; i += Simd.WIDE) {
            FloatVector w = weights(data, offset, n, i);
            a0 = w.fma(Simd.x(x, x0 + i), a0);
            b0 = w.fma(Simd.x(x, x1 + i), b0);
            if (Simd.WIDE_PARTS > 1) {
                int j = i + LANES;
                w = weights(data, offset, n, j);
                a1 = w.fma(Simd.x(x, x0 + j), a1);
                b1 = w.fma(Simd.x(x, x1 + j), b1);
            }
            if (Simd.WIDE_PARTS > 2) {
                int j = i + 2 * LANES;
                w = weights(data, offset, n, j);
                a2 = w.fma(Simd.x(x, x0 + j), a2);
                b2 = w.fma(Simd.x(x, x1 + j), b2);
                j += LANES;
                w = weights(data, offset, n, j);
                a3 = w.fma(Simd.x(x, x0 + j), a3);
                b3 = w.fma(Simd.x(x, x1 + j), b3);
            }
        }
        Simd.sum2(Simd.wide(a0, a1, a2, a3), Simd.wide(b0, b1, b2, b3), out, o0, outStride);
    }

    /** The weights as the floats {@code d * q}, exact, which {@link #dot} multiplies. */
    @Override
    public PanelLayout panelLayout() {
        return PanelLayout.ONE_ACCUMULATOR;
    }

    @Override
    public void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                       float[] mins, int blockOffset) {
        for (int i = 0; i < n; i += LANES) {
            weights(data, offset, n, i).intoArray(values, valuesOffset + i);
        }
    }

    /** Weights {@code i .. i + LANES} of the row at {@code offset}: quants widened to floats, times their block's d. */
    private static FloatVector weights(MemorySegment data, long offset, int n, int i) {
        FloatVector q = (FloatVector) Simd.bytes(data, offset + i).castShape(Simd.F, 0);
        return q.mul(data.get(Simd.LE_FLOAT, offset + n + 4L * (i / Q8_0.BLOCK)));
    }
}
