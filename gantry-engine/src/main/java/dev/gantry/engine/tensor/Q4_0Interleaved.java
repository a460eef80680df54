package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Q4_0} weights repacked at load time with their rows interleaved, one row per lane of a vector of shorts,
 * and multiplied as llama.cpp multiplies them: by activations quantized to Q8_0 ({@link Q8Activations}), in
 * integers. The Vector API has no 8-bit dot product ({@code vpdpbusd}, {@code pmaddubsw}); shorts come close: a
 * weight quant {@code q - 8} (-8..7) times an activation quant (-127..127) and the sum of a block's 32 such products
 * stay within 16 bits ({@code 32 * 8 * 127 = 32512}), so a block costs per four columns one load, seven shifts, and
 * per column a broadcast, a multiply and an add, for {@link #ROWS} rows at once; then per block one conversion to
 * floats and one multiply-add by {@code d_w * d_x} per row. That is a third of the operations of unpacking each
 * weight to a float (as {@link F16}'s kernels multiply), and since the block sums are exact integers, the result is
 * the same float whatever the kernel or the number of tokens.
 *
 * <p>A group of {@link #ROWS} rows is {@code n / 32} blocks, each {@code 20 * ROWS} bytes: eight vectors of shorts,
 * vector {@code g} holding columns {@code 4g .. 4g + 3} of the block, short {@code r} row {@code r}'s quants as
 * signed nibbles (column {@code 4g + k} at bits {@code 4k}; rows in the lanes' order of {@link #lane}: the stored {@code q ^ 8} is {@code q - 8} in two's
 * complement, and a shift left then an arithmetic shift right sign-extends it); then the {@code ROWS} rows' scales
 * {@code d} as floats. So a row is {@link #rowBytes} bytes of its group, and row {@code r} still begins, as a
 * row's data, at byte {@code r * rowBytes(n)} of the group's rows: the scalar methods find their lane from it.
 */
public final class Q4_0Interleaved implements Q8Products {

    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, Simd.F.vectorShape());
    /** Rows interleaved in one group: the lanes of a vector of shorts, twice the float lanes. */
    static final int ROWS = S.length();
    private static final int LANES = Simd.LANES;
    private static final int BLOCK = Q4_0.BLOCK;
    /** Bytes of one block of a group: its quants, then its scales. */
    private static final int BLOCK_BYTES = 20 * ROWS;
    private static final int QUANT_BYTES = 16 * ROWS;
    private static final int GROUPS = 8;

    static final Q4_0Interleaved INSTANCE = new Q4_0Interleaved();

    private Q4_0Interleaved() {
    }

    /** Whether rows of {@code cols} weights fill whole blocks (any Q4_0 row does). */
    static boolean fits(int cols) {
        return cols % BLOCK == 0;
    }

    /**
     * {@code t} (Q4_0) repacked into memory of {@code arena}: a last group that {@code t}'s rows do not fill is
     * padded with zeros, computed with the others and dropped ({@link #multiply}).
     */
    static Tensor repack(Tensor t, Arena arena) {
        int n = t.cols();
        int blocks = n / BLOCK;
        long groupBytes = INSTANCE.rowBytes(n) * ROWS;
        MemorySegment packed = arena.allocate(groupBytes * ((t.rows() + ROWS - 1) / ROWS), 64);
        MemorySegment data = t.data();
        for (int r = 0; r < t.rows(); r++) {
            long group = groupBytes * (r / ROWS);
            int lane = lane(r % ROWS);
            for (int b = 0; b < blocks; b++) {
                long from = r * t.rowBytes() + (long) b * Q4_0.BYTES;
                long to = group + (long) b * BLOCK_BYTES;
                packed.set(Simd.LE_FLOAT, to + QUANT_BYTES + 4L * (r % ROWS), Simd.f16(data, from));
                for (int g = 0; g < GROUPS; g++) {
                    // columns 4g..4g+3: the low nibbles of bytes 4g.. for the first half, the high of 4(g-4).. after
                    int word = data.get(Simd.LE_INT, from + 2 + 4L * (g % 4)) >>> (g < 4 ? 0 : 4);
                    int quants = word & 0xF | (word >>> 4) & 0xF0 | (word >>> 8) & 0xF00 | (word >>> 12) & 0xF000;
                    packed.set(Simd.LE_SHORT, to + 2L * ROWS * g + 2L * lane, (short) (quants ^ 0x8888));
                }
            }
        }
        return new Tensor(t.name(), GgmlType.Q4_0, t.shape(), packed, INSTANCE);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public long rowBytes(int n) {
        return (long) (n / BLOCK) * BLOCK_BYTES / ROWS;
    }

    @Override
    public int rowGroup() {
        return ROWS;
    }

    /** Scalar reference: weight {@code j} of block {@code b} of the row at {@code offset} is {@code (q - 8) * d}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        Row row = Row.at(offset, n);
        for (int w = 0; w < n; w++) {
            dst[dstOffset + w] = row.quant(data, w) * row.scale(data, w / BLOCK);
        }
    }

    /**
     * Scalar, and bit-identical to {@link #multiply}: per block, the exact integer sum of products with
     * {@code x} quantized, converted to float and accumulated by a multiply-add with {@code d_w * d_x}.
     */
    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        Row row = Row.at(offset, n);
        Q8Activations q = Q8Activations.of(x, xOffset, n, 1);
        float acc = 0;
        for (int b = 0; b < n / BLOCK; b++) {
            int sum = 0;
            for (int j = b * BLOCK; j < (b + 1) * BLOCK; j++) {
                sum += row.quant(data, j) * q.quants()[j];
            }
            acc = Math.fma(sum, row.scale(data, b) * q.scales()[b], acc);
        }
        return acc;
    }

    /** Where one row lies: its group's first byte and its row in the group. */
    private record Row(long group, int row) {

        static Row at(long offset, int n) {
            long rowBytes = INSTANCE.rowBytes(n);
            long row = offset / rowBytes;
            return new Row((row / ROWS) * ROWS * rowBytes, (int) (row % ROWS));
        }

        /** Weight {@code w}'s quant less 8. */
        int quant(MemorySegment data, int w) {
            long block = group + (long) (w / BLOCK) * BLOCK_BYTES;
            int column = w % BLOCK;
            short word = data.get(Simd.LE_SHORT, block + 2L * ROWS * (column / 4) + 2L * lane(row));
            return ((word >>> (4 * (column % 4))) & 0xF ^ 8) - 8;
        }

        float scale(MemorySegment data, int block) {
            return data.get(Simd.LE_FLOAT, group + (long) block * BLOCK_BYTES + QUANT_BYTES + 4L * row);
        }
    }

    @Override
    public void multiply(MemorySegment data, int rowStart, int rowCount, Q8Activations x, float[] out,
                         int outOffset, int outStride) {
        int n = x.cols();
        long groupBytes = rowBytes(n) * ROWS;
        int end = rowStart + rowCount;
        float[] partial = null;
        for (int first = rowStart - rowStart % ROWS; first < end; first += ROWS) {
            long group = groupBytes * (first / ROWS);
            if (first >= rowStart && first + ROWS <= end) {
                group(data, group, x, out, outOffset + first - rowStart, outStride);
                continue;
            }
            // a range that cuts a group: the whole group, then the rows asked for
            partial = partial != null ? partial : new float[ROWS * x.tokens()];
            group(data, group, x, partial, 0, ROWS);
            int from = Math.max(first, rowStart);
            int to = Math.min(first + ROWS, end);
            for (int t = 0; t < x.tokens(); t++) {
                System.arraycopy(partial, t * ROWS + from - first, out, outOffset + t * outStride + from - rowStart,
                        to - from);
            }
        }
    }

    /** One group of rows for every token, four tokens at a time, then two, then one. */
    private static void group(MemorySegment data, long group, Q8Activations x, float[] out, int o, int outStride) {
        int n = x.cols();
        int t = 0;
        short[] sums = x.tokens() >= 4 ? new short[4 * ROWS] : null;
        for (; t + 4 <= x.tokens(); t += 4) {
            dot4(data, group, n, x.quants(), t * n, x.scales(), t * (n / BLOCK), out, o + t * outStride, outStride,
                    sums);
        }
        for (; t + 2 <= x.tokens(); t += 2) {
            dot2(data, group, n, x.quants(), t * n, x.scales(), t * (n / BLOCK), out, o + t * outStride, outStride);
        }
        if (t < x.tokens()) {
            dot(data, group, n, x.quants(), t * n, x.scales(), t * (n / BLOCK), out, o + t * outStride);
        }
    }

    /** One token: {@code out[o + r] = row r . x}, the block sums in two chains of shorts. */
    private static void dot(MemorySegment data, long group, int n, short[] xq, int q0, float[] xd, int d0,
                            float[] out, int o) {
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = group + (long) b * BLOCK_BYTES;
            ShortVector even = ShortVector.zero(S);
            ShortVector odd = even;
            for (int g = 0; g < GROUPS; g++) {
                ShortVector v = ShortVector.fromMemorySegment(S, data, block + 2L * ROWS * g, ByteOrder.LITTLE_ENDIAN);
                int j = q0 + b * BLOCK + 4 * g;
                even = even.add(column(v, 0).mul(xq[j]));
                odd = odd.add(column(v, 1).mul(xq[j + 1]));
                even = even.add(column(v, 2).mul(xq[j + 2]));
                odd = odd.add(v.lanewise(VectorOperators.ASHR, 12).mul(xq[j + 3]));
            }
            FloatVector dx = Simd.splat(xd[d0 + b]);
            IntVector psum = even.add(odd).reinterpretAsInts();
            a0 = lowRows(psum).fma(scales(data, block, 0).mul(dx), a0);
            a1 = highRows(psum).fma(scales(data, block, 1).mul(dx), a1);
        }
        a0.intoArray(out, o);
        a1.intoArray(out, o + LANES);
    }

    /** Two tokens, each with exactly {@link #dot}'s float operations (integer sums are exact in any order). */
    private static void dot2(MemorySegment data, long group, int n, short[] xq, int q0, float[] xd, int d0,
                             float[] out, int o, int outStride) {
        int q1 = q0 + n;
        int d1 = d0 + n / BLOCK;
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        for (int b = 0; b < n / BLOCK; b++) {
            long block = group + (long) b * BLOCK_BYTES;
            ShortVector sa = ShortVector.zero(S);
            ShortVector sb = sa;
            for (int g = 0; g < GROUPS; g++) {
                ShortVector v = ShortVector.fromMemorySegment(S, data, block + 2L * ROWS * g, ByteOrder.LITTLE_ENDIAN);
                int j = b * BLOCK + 4 * g;
                for (int k = 0; k < 4; k++) {
                    ShortVector w = column(v, k);
                    sa = sa.add(w.mul(xq[q0 + j + k]));
                    sb = sb.add(w.mul(xq[q1 + j + k]));
                }
            }
            FloatVector s0 = scales(data, block, 0);
            FloatVector s1 = scales(data, block, 1);
            IntVector psa = sa.reinterpretAsInts();
            IntVector psb = sb.reinterpretAsInts();
            FloatVector da = Simd.splat(xd[d0 + b]);
            FloatVector db = Simd.splat(xd[d1 + b]);
            a0 = lowRows(psa).fma(s0.mul(da), a0);
            a1 = highRows(psa).fma(s1.mul(da), a1);
            b0 = lowRows(psb).fma(s0.mul(db), b0);
            b1 = highRows(psb).fma(s1.mul(db), b1);
        }
        a0.intoArray(out, o);
        a1.intoArray(out, o + LANES);
        b0.intoArray(out, o + outStride);
        b1.intoArray(out, o + outStride + LANES);
    }

    /**
     * Four tokens, each with exactly {@link #dot}'s float operations. Their accumulators live in {@code out} and a
     * block's sums pass through {@code sums} (four vectors of shorts), so that the per-token steps after a block are
     * one loop, not four copies: four copies exceed C2's inlining budget.
     */
    private static void dot4(MemorySegment data, long group, int n, short[] xq, int q0, float[] xd, int d0,
                             float[] out, int o, int outStride, short[] sums) {
        int blocks = n / BLOCK;
        for (int t = 0; t < 4; t++) {
            FloatVector zero = FloatVector.zero(Simd.F);
            zero.intoArray(out, o + t * outStride);
            zero.intoArray(out, o + t * outStride + LANES);
        }
        for (int b = 0; b < blocks; b++) {
            long block = group + (long) b * BLOCK_BYTES;
            ShortVector sa = ShortVector.zero(S);
            ShortVector sb = sa;
            ShortVector sc = sa;
            ShortVector se = sa;
            for (int g = 0; g < GROUPS; g++) {
                ShortVector v = ShortVector.fromMemorySegment(S, data, block + 2L * ROWS * g, ByteOrder.LITTLE_ENDIAN);
                int j = q0 + b * BLOCK + 4 * g;
                for (int k = 0; k < 4; k++) {
                    ShortVector w = column(v, k);
                    sa = sa.add(w.mul(xq[j + k]));
                    sb = sb.add(w.mul(xq[j + n + k]));
                    sc = sc.add(w.mul(xq[j + 2 * n + k]));
                    se = se.add(w.mul(xq[j + 3 * n + k]));
                }
            }
            sa.intoArray(sums, 0);
            sb.intoArray(sums, ROWS);
            sc.intoArray(sums, 2 * ROWS);
            se.intoArray(sums, 3 * ROWS);
            FloatVector s0 = scales(data, block, 0);
            FloatVector s1 = scales(data, block, 1);
            for (int t = 0; t < 4; t++) {
                IntVector pairs = ShortVector.fromArray(S, sums, t * ROWS).reinterpretAsInts();
                FloatVector dx = Simd.splat(xd[d0 + t * blocks + b]);
                int at = o + t * outStride;
                lowRows(pairs).fma(s0.mul(dx), FloatVector.fromArray(Simd.F, out, at)).intoArray(out, at);
                highRows(pairs).fma(s1.mul(dx), FloatVector.fromArray(Simd.F, out, at + LANES))
                        .intoArray(out, at + LANES);
            }
        }
    }

    /** Column {@code 4g + k} of a vector of group {@code g}: its nibble {@code k}, sign-extended. */
    private static ShortVector column(ShortVector v, int k) {
        return v.lanewise(VectorOperators.LSHL, 12 - 4 * k).lanewise(VectorOperators.ASHR, 12);
    }

    /**
     * The sums of rows {@code 0 .. LANES} of a group as floats: a pair of shorts is one int, the even short row
     * {@code i}'s sum and the odd one row {@code LANES + i}'s ({@link #lane}), so shifts sign-extend either in
     * place, and the floats come out in row order.
     */
    private static FloatVector lowRows(IntVector pairs) {
        return (FloatVector) pairs.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .convert(VectorOperators.I2F, 0);
    }

    /** The sums of rows {@code LANES .. 2 * LANES} of a group as floats (see {@link #lowRows}). */
    private static FloatVector highRows(IntVector pairs) {
        return (FloatVector) pairs.lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0);
    }

    /** The lane of a group's vectors of shorts that holds row {@code r} of the group (see {@link #lowRows}). */
    static int lane(int r) {
        return r < LANES ? 2 * r : 2 * (r - LANES) + 1;
    }

    /** The scales {@code d} of rows {@code part * LANES ..} of a block. */
    private static FloatVector scales(MemorySegment data, long block, int part) {
        return FloatVector.fromMemorySegment(Simd.F, data, block + QUANT_BYTES + 4L * LANES * part,
                ByteOrder.LITTLE_ENDIAN);
    }
}
