package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link Q4_0} weights repacked at load time into {@link NibbleLanes}: the same numbers, the same products in the
 * same order, so every result is bit for bit {@link Q4_0}'s, only faster (the decode dot 1.4-1.7x, BENCHMARKS.md).
 *
 * <p>A row of {@code n} weights ({@code n} a multiple of {@link #UNIT}) is {@code n / UNIT} units of quants, then
 * the row's {@code n / 32} block scales {@code d} as floats (no conversion from half in the loop), the row padded
 * to 64 bytes so that every unit load is aligned.
 */
public final class Q4_0Lanes implements WeightFormat {

    private static final int LANES = Simd.LANES;
    static final int UNIT = NibbleLanes.UNIT;
    private static final int BLOCKS_PER_UNIT = UNIT / Q4_0.BLOCK;
    /** Shifts per block: each gives two passes of {@code LANES} weights. */
    private static final int SHIFTS_PER_BLOCK = Q4_0.BLOCK / (2 * LANES);
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

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        long scales = offset + n / 2;
        FloatVector acc = FloatVector.zero(Simd.F);
        for (int u = 0; u < n / UNIT; u++) {
            IntVector q = NibbleLanes.load(data, offset + (long) NibbleLanes.UNIT_BYTES * u);
            for (int b = 0; b < BLOCKS_PER_UNIT; b++) {
                FloatVector sum = FloatVector.zero(Simd.F);
                for (int j = 0; j < SHIFTS_PER_BLOCK; j++) {
                    int k = b * SHIFTS_PER_BLOCK + j;
                    IntVector s = NibbleLanes.shift(q, k);
                    int xi = xOffset + u * UNIT + 2 * k * LANES;
                    sum = NibbleLanes.low(s, OFFSET).fma(Simd.x(x, xi), sum);
                    sum = NibbleLanes.high(s, OFFSET).fma(Simd.x(x, xi + LANES), sum);
                }
                acc = sum.fma(Simd.splat(scale(data, scales, u * BLOCKS_PER_UNIT + b)), acc);
            }
        }
        return Simd.sum(acc);
    }

    @Override
    public void dotTokens(MemorySegment data, long offset, float[] x, int xOffset, int xStride, int tokens, int n,
                          float[] out, int outOffset, int outStride) {
        TokenTiles.run(this, 4, Q4_0Lanes::dot4, data, offset, x, xOffset, xStride, tokens, n, out, outOffset, outStride);
    }

    /** Four tokens at a time, each with exactly {@link #dot}'s operations. */
    private static void dot4(MemorySegment data, long offset, float[] x, int x0, int xStride, int n,
                             float[] out, int o0, int outStride) {
        long scales = offset + n / 2;
        int x1 = x0 + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int u = 0; u < n / UNIT; u++) {
            IntVector q = NibbleLanes.load(data, offset + (long) NibbleLanes.UNIT_BYTES * u);
            for (int b = 0; b < BLOCKS_PER_UNIT; b++) {
                FloatVector s0 = FloatVector.zero(Simd.F);
                FloatVector s1 = s0;
                FloatVector s2 = s0;
                FloatVector s3 = s0;
                for (int j = 0; j < SHIFTS_PER_BLOCK; j++) {
                    int k = b * SHIFTS_PER_BLOCK + j;
                    IntVector s = NibbleLanes.shift(q, k);
                    int i = u * UNIT + 2 * k * LANES;
                    FloatVector w = NibbleLanes.low(s, OFFSET);
                    s0 = w.fma(Simd.x(x, x0 + i), s0);
                    s1 = w.fma(Simd.x(x, x1 + i), s1);
                    s2 = w.fma(Simd.x(x, x2 + i), s2);
                    s3 = w.fma(Simd.x(x, x3 + i), s3);
                    w = NibbleLanes.high(s, OFFSET);
                    i += LANES;
                    s0 = w.fma(Simd.x(x, x0 + i), s0);
                    s1 = w.fma(Simd.x(x, x1 + i), s1);
                    s2 = w.fma(Simd.x(x, x2 + i), s2);
                    s3 = w.fma(Simd.x(x, x3 + i), s3);
                }
                FloatVector d = Simd.splat(scale(data, scales, u * BLOCKS_PER_UNIT + b));
                a0 = s0.fma(d, a0);
                a1 = s1.fma(d, a1);
                a2 = s2.fma(d, a2);
                a3 = s3.fma(d, a3);
            }
        }
        Simd.sum4(a0, a1, a2, a3, out, o0, outStride);
    }

    @Override
    public PanelLayout panelLayout() {
        return PanelLayout.SCALED_BLOCKS_OF_32;
    }

    /** The quants minus 8 as floats and each block's {@code d}, as {@link Q4_0#unpack}. */
    @Override
    public void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                       float[] mins, int blockOffset) {
        for (int u = 0; u < n / UNIT; u++) {
            IntVector q = NibbleLanes.load(data, offset + (long) NibbleLanes.UNIT_BYTES * u);
            for (int k = 0; k < 4; k++) {
                IntVector s = NibbleLanes.shift(q, k);
                int v = valuesOffset + u * UNIT + 2 * k * LANES;
                NibbleLanes.low(s, OFFSET).intoArray(values, v);
                NibbleLanes.high(s, OFFSET).intoArray(values, v + LANES);
            }
        }
        MemorySegment.copy(data, Simd.LE_FLOAT, offset + n / 2, scales, blockOffset, n / Q4_0.BLOCK);
    }

    private static float scale(MemorySegment data, long scales, int block) {
        return data.get(Simd.LE_FLOAT, scales + 4L * block);
    }
}
