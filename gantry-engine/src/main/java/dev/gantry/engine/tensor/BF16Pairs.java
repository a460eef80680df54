package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link BF16} weights repacked at load time in {@link HalfPairs}, as {@link F16Pairs} packs halves: in a chunk
 * of {@code 2 * LANES} values, int lane {@code k} holds value {@code k} in its low 16 bits and value {@code LANES + k} in its high ones.
 * A bfloat16 is the upper half of a binary32, so the high value is its lane masked and the low one its lane shifted:
 * one operation each, where the file's layout widens shorts to ints and shifts.
 *
 * <p>The sums are {@link BF16#dot}'s bit for bit, in F32's order ({@link PanelLayout#FOUR_ACCUMULATORS}): a group
 * of four vectors is two chunks, the low and high values of each going to accumulators 0 and 1, then 2 and 3. The
 * values past the last whole group stay in the file's order, for dot's one-by-one tail.
 */
public final class BF16Pairs implements WeightFormat {

    private static final int LANES = HalfPairs.LANES;
    private static final int CHUNK = HalfPairs.CHUNK;
    private static final int GROUP = 2 * CHUNK;

    static final BF16Pairs INSTANCE = new BF16Pairs();

    private BF16Pairs() {
    }

    /** {@code t} (BF16) repacked into weight memory of {@code arena}. */
    static Tensor repack(Tensor t, Arena arena) {
        return new Tensor(t.name(), GgmlType.BF16, t.shape(), HalfPairs.pack(t, arena, paired(t.cols())), INSTANCE);
    }

    /** Values of a row of {@code n} that lie in whole groups. */
    private static int paired(int n) {
        return n - n % GROUP;
    }

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    @Override
    public long rowBytes(int n) {
        return 2L * n;
    }

    /** Scalar reference: each value widened as {@link BF16#toFloat} widens it. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        for (int e = 0; e < n; e++) {
            dst[dstOffset + e] = BF16.toFloat(data.get(Simd.LE_SHORT, offset + HalfPairs.position(e, paired(n))));
        }
    }

    /** {@link BF16#dot}'s float: four accumulators over the groups, then the rest one by one. */
    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        FloatVector acc0 = FloatVector.zero(Simd.F);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        int i = 0;
        for (; i <= n - GROUP; i += GROUP) {
            IntVector v = HalfPairs.load(data, offset + 2L * i);
            IntVector u = HalfPairs.load(data, offset + 2L * (i + CHUNK));
            acc0 = low(v).fma(Simd.x(x, xOffset + i), acc0);
            acc1 = high(v).fma(Simd.x(x, xOffset + i + LANES), acc1);
            acc2 = low(u).fma(Simd.x(x, xOffset + i + 2 * LANES), acc2);
            acc3 = high(u).fma(Simd.x(x, xOffset + i + 3 * LANES), acc3);
        }
        float sum = Simd.sum(acc0.add(acc1).add(acc2.add(acc3)));
        for (; i < n; i++) {
            sum += Float.intBitsToFloat(data.get(Simd.LE_SHORT, offset + 2L * i) << 16) * x[xOffset + i];
        }
        return sum;
    }

    @Override
    public PanelLayout panelLayout() {
        return PanelLayout.FOUR_ACCUMULATORS;
    }

    /** The row's values as floats in the row's order. */
    @Override
    public void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                       float[] mins, int blockOffset) {
        int i = 0;
        for (; i < paired(n); i += CHUNK) {
            IntVector v = HalfPairs.load(data, offset + 2L * i);
            low(v).intoArray(values, valuesOffset + i);
            high(v).intoArray(values, valuesOffset + i + LANES);
        }
        for (; i < n; i++) {
            values[valuesOffset + i] = BF16.toFloat(data.get(Simd.LE_SHORT, offset + 2L * i));
        }
    }

    private static FloatVector low(IntVector v) {
        return (FloatVector) v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static FloatVector high(IntVector v) {
        return (FloatVector) v.and(0xFFFF_0000).reinterpretAsFloats();
    }
}
