package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link Q4_0} weights repacked at load time into {@link NibbleLanes}, computed as {@link F16}'s are:
 * each weight is the float {@code d * (q - 8)}, exact (an 11-bit {@code d} times a 4-bit integer), and a row sums
 * into one accumulator of {@link Simd#WIDE} lanes ({@link PanelLayout#ONE_ACCUMULATOR}). Q4_0's own kernels sum each
 * block of 32 and scale it ({@link PanelLayout#SCALED_BLOCKS_OF_32}): a multiply-add per block on top of the
 * weights' that a decode dot pays once per weight but a panel of prefill pays once per token, a third of its
 * multiply-adds. Here the decode dot pays a multiply per vector instead, and a panel holds weights already scaled.
 * So results are Q4_0's to rounding, not bit for bit, and every kernel here gives the same bits as any other.
 *
 * <p>A row of {@code n} weights ({@code n} a multiple of {@link #UNIT}) is {@code n / UNIT} units of quants, then
 * the row's {@code n / 32} block scales {@code d} as floats (no conversion from half in the loop), the row padded
 * to 64 bytes so that every unit load is aligned.
 */
public final class Q4_0Lanes implements WeightFormat {

    private static final int LANES = Simd.LANES;
    static final int UNIT = NibbleLanes.UNIT;
    private static final int BLOCKS_PER_UNIT = UNIT / Q4_0.BLOCK;
    /** Q4_0 stores quant + 8. */
    private static final float OFFSET = 8;

    static final Q4_0Lanes INSTANCE = new Q4_0Lanes();

    private Q4_0Lanes() {
    }

    /** Whether rows of {@code n} weights fill whole units. */
    static boolean fits(int n) {
        return n % UNIT == 0;
    }

    /** {@code t} (Q4_0, rows that {@link #fits}) repacked into memory of {@code arena}. */
    static Tensor repack(Tensor t, Arena arena) {
        int n = t.cols();
        long rowBytes = INSTANCE.rowBytes(n);
        MemorySegment packed = arena.allocate(rowBytes * t.rows(), 64);
        for (int r = 0; r < t.rows(); r++) {
            packRow(t.data(), r * t.rowBytes(), n, packed, r * rowBytes);
        }
        return new Tensor(t.name(), GgmlType.Q4_0, t.shape(), packed, INSTANCE);
    }

    /**
     * One row of GGUF blocks at {@code from} into this layout at {@code to}: a block's bytes, widened a group at a
     * time to lanes, hold a pass of low nibbles and a pass of high ones.
     */
    private static void packRow(MemorySegment data, long from, int n, MemorySegment packed, long to) {
        for (int u = 0; u < n / UNIT; u++) {
            IntVector words = IntVector.zero(Simd.I);
            for (int bb = 0; bb < BLOCKS_PER_UNIT; bb++) {
                long o = from + (long) (u * BLOCKS_PER_UNIT + bb) * Q4_0.BYTES + 2;
                for (int g = 0; g < 16; g += Simd.B.length()) {
                    ByteVector q = Simd.bytes(data, o + g);
                    for (int part = 0; part < Simd.PARTS; part++) {
                        IntVector v = Simd.widen(q, part);
                        int low = (bb * Q4_0.BLOCK + g + part * LANES) / LANES;
                        words = NibbleLanes.place(words, v, low);
                        words = NibbleLanes.place(words, v.lanewise(VectorOperators.LSHR, 4), low + 16 / LANES);
                    }
                }
            }
            words.intoMemorySegment(packed, to + (long) NibbleLanes.UNIT_BYTES * u, ByteOrder.LITTLE_ENDIAN);
        }
        long scales = to + n / 2;
        for (int b = 0; b < n / Q4_0.BLOCK; b++) {
            packed.set(Simd.LE_FLOAT, scales + 4L * b, Simd.f16(data, from + (long) b * Q4_0.BYTES));
        }
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public long rowBytes(int n) {
        long bytes = n / 2 + 4L * (n / Q4_0.BLOCK);
        return (bytes + 63) & -64;
    }

    /** Scalar reference: reads each weight from its nibble, as {@link Q4_0#dequantize} from its byte. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        long scales = offset + n / 2;
        for (int w = 0; w < n; w++) {
            int q = NibbleLanes.quant(data, offset + (long) NibbleLanes.UNIT_BYTES * (w / UNIT), w % UNIT);
            dst[dstOffset + w] = (q - 8) * data.get(Simd.LE_FLOAT, scales + 4L * (w / Q4_0.BLOCK));
        }
    }

    /**
     * One accumulator of {@link Simd#WIDE} lanes, as {@link F16#dot}: pass {@code p} of {@code LANES} weights into
     * part {@code p % WIDE_PARTS}, each weight the exact {@code d * (q - 8)}.
     */
    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        long scales = offset + n / 2;
        FloatVector p0 = FloatVector.zero(Simd.F);
        FloatVector p1 = p0;
        FloatVector p2 = p0;
        FloatVector p3 = p0;
        for (int u = 0; u < n / UNIT; u++) {
            IntVector q = NibbleLanes.load(data, offset + (long) NibbleLanes.UNIT_BYTES * u);
            for (int k = 0; k < 4; k++) {
                IntVector s = NibbleLanes.shift(q, k);
                int i = u * UNIT + 2 * k * LANES;
                FloatVector low = NibbleLanes.low(s, OFFSET).mul(scale(data, scales, i / Q4_0.BLOCK));
                FloatVector high = NibbleLanes.high(s, OFFSET).mul(scale(data, scales, (i + LANES) / Q4_0.BLOCK));
                FloatVector x0 = Simd.x(x, xOffset + i);
                FloatVector x1 = Simd.x(x, xOffset + i + LANES);
                if (Simd.WIDE_PARTS == 1) {
                    p0 = high.fma(x1, low.fma(x0, p0));
                } else if (Simd.WIDE_PARTS == 2 || k % 2 == 0) {
                    p0 = low.fma(x0, p0);
                    p1 = high.fma(x1, p1);
                } else {
                    p2 = low.fma(x0, p2);
                    p3 = high.fma(x1, p3);
                }
            }
        }
        return Simd.sumWide(p0, p1, p2, p3);
    }

    /**
     * Tiles of four tokens; on 128-bit vectors, whose accumulators are four vectors a token, a token at a time
     * through {@link #dot}.
     */
    @Override
    public void dotTokens(MemorySegment data, long offset, float[] x, int xOffset, int xStride, int tokens, int n,
                          float[] out, int outOffset, int outStride) {
        if (Simd.WIDE_PARTS > 2) {
            WeightFormat.super.dotTokens(data, offset, x, xOffset, xStride, tokens, n, out, outOffset, outStride);
        } else {
            TokenTiles.run(this, 4, Q4_0Lanes::dot4, data, offset, x, xOffset, xStride, tokens, n, out, outOffset,
                    outStride);
        }
    }

    /** Four tokens at a time, each with exactly {@link #dot}'s operations: a token's accumulator is one or two vectors. */
    private static void dot4(MemorySegment data, long offset, float[] x, int x0, int xStride, int n,
                             float[] out, int o0, int outStride) {
        long scales = offset + n / 2;
        int x1 = x0 + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector e0 = a0;
        FloatVector e1 = a0;
        for (int u = 0; u < n / UNIT; u++) {
            IntVector q = NibbleLanes.load(data, offset + (long) NibbleLanes.UNIT_BYTES * u);
            for (int k = 0; k < 4; k++) {
                IntVector s = NibbleLanes.shift(q, k);
                int i = u * UNIT + 2 * k * LANES;
                FloatVector low = NibbleLanes.low(s, OFFSET).mul(scale(data, scales, i / Q4_0.BLOCK));
                FloatVector high = NibbleLanes.high(s, OFFSET).mul(scale(data, scales, (i + LANES) / Q4_0.BLOCK));
                if (Simd.WIDE_PARTS == 1) {
                    a0 = high.fma(Simd.x(x, x0 + i + LANES), low.fma(Simd.x(x, x0 + i), a0));
                    b0 = high.fma(Simd.x(x, x1 + i + LANES), low.fma(Simd.x(x, x1 + i), b0));
                    c0 = high.fma(Simd.x(x, x2 + i + LANES), low.fma(Simd.x(x, x2 + i), c0));
                    e0 = high.fma(Simd.x(x, x3 + i + LANES), low.fma(Simd.x(x, x3 + i), e0));
                } else {
                    a0 = low.fma(Simd.x(x, x0 + i), a0);
                    a1 = high.fma(Simd.x(x, x0 + i + LANES), a1);
                    b0 = low.fma(Simd.x(x, x1 + i), b0);
                    b1 = high.fma(Simd.x(x, x1 + i + LANES), b1);
                    c0 = low.fma(Simd.x(x, x2 + i), c0);
                    c1 = high.fma(Simd.x(x, x2 + i + LANES), c1);
                    e0 = low.fma(Simd.x(x, x3 + i), e0);
                    e1 = high.fma(Simd.x(x, x3 + i + LANES), e1);
                }
            }
        }
        if (Simd.WIDE_PARTS == 1) {
            Simd.sum4(a0, b0, c0, e0, out, o0, outStride);
        } else {
            Simd.sum4(a0.add(a1), b0.add(b1), c0.add(c1), e0.add(e1), out, o0, outStride);
        }
    }

    /** The weights as the floats {@code d * (q - 8)}, exact, which {@link #dot} multiplies. */
    @Override
    public PanelLayout panelLayout() {
        return PanelLayout.ONE_ACCUMULATOR;
    }

    @Override
    public void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                       float[] mins, int blockOffset) {
        long blockScales = offset + n / 2;
        for (int u = 0; u < n / UNIT; u++) {
            IntVector q = NibbleLanes.load(data, offset + (long) NibbleLanes.UNIT_BYTES * u);
            for (int k = 0; k < 4; k++) {
                IntVector s = NibbleLanes.shift(q, k);
                int i = u * UNIT + 2 * k * LANES;
                NibbleLanes.low(s, OFFSET).mul(scale(data, blockScales, i / Q4_0.BLOCK))
                        .intoArray(values, valuesOffset + i);
                NibbleLanes.high(s, OFFSET).mul(scale(data, blockScales, (i + LANES) / Q4_0.BLOCK))
                        .intoArray(values, valuesOffset + i + LANES);
            }
        }
    }

    private static FloatVector scale(MemorySegment data, long scales, int block) {
        return Simd.splat(data.get(Simd.LE_FLOAT, scales + 4L * block));
    }
}
