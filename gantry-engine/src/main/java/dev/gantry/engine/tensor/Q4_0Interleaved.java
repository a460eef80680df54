package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;

/**
 * {@link Q4_0} weights repacked at load time with their rows interleaved ({@link ShortLanes}) and multiplied as
 * llama.cpp multiplies them: by activations quantized to Q8_0, in integers. The Vector API has no 8-bit dot product
 * ({@code vpdpbusd}, {@code pmaddubsw}); shorts come close: a block costs per four columns one load and seven
 * shifts, and per column a broadcast, a multiply and an add, for {@link ShortLanes#ROWS} rows at once; then one
 * conversion to floats and one multiply-add by {@code d_w * d_x} per row. That is a third of the operations of
 * unpacking each weight to a float, and since the block sums are exact integers, the result is the same float
 * whatever the kernel or the number of tokens.
 *
 * <p>A group of rows is {@code n / 32} blocks of {@code 20 * ROWS} bytes: the block's quants, then its {@code ROWS}
 * scales {@code d} as floats, in row order. A row is {@link #rowBytes} bytes of its group, and row {@code r} still
 * begins, as a row's data, at byte {@code r * rowBytes(n)} of the group's rows: the scalar methods find it from there.
 */
public final class Q4_0Interleaved implements Q8Products {

    private static final int ROWS = ShortLanes.ROWS;
    private static final int LANES = Simd.LANES;
    private static final int BLOCK = Q4_0.BLOCK;
    /** Bytes of one block of a group: its quants, then its scales. */
    private static final int BLOCK_BYTES = 20 * ROWS;

    static final Q4_0Interleaved INSTANCE = new Q4_0Interleaved();

    private Q4_0Interleaved() {
    }

    /** Whether rows of {@code cols} weights fill whole blocks (any Q4_0 row does). */
    static boolean fits(int cols) {
        return cols % BLOCK == 0;
    }

    /**
     * {@code t} (Q4_0) repacked into memory of {@code arena}: a last group that {@code t}'s rows do not fill is
     * padded with zeros, computed with the others and dropped ({@link ShortLanes#multiply}).
     */
    static Tensor repack(Tensor t, Arena arena) {
        int n = t.cols();
        long groupBytes = INSTANCE.rowBytes(n) * ROWS;
        MemorySegment packed = arena.allocate(groupBytes * ((t.rows() + ROWS - 1) / ROWS), 64);
        MemorySegment data = t.data();
        for (int r = 0; r < t.rows(); r++) {
            long group = groupBytes * (r / ROWS);
            int lane = ShortLanes.lane(r % ROWS);
            for (int b = 0; b < n / BLOCK; b++) {
                long from = r * t.rowBytes() + (long) b * Q4_0.BYTES;
                long to = group + (long) b * BLOCK_BYTES;
                packed.set(Simd.LE_FLOAT, to + ShortLanes.QUANT_BYTES + 4L * (r % ROWS), Simd.f16(data, from));
                for (int g = 0; g < ShortLanes.VECTORS; g++) {
                    // columns 4g..4g+3: the low nibbles of bytes 4g.. for the first half, the high of 4(g-4).. after
                    int word = data.get(Simd.LE_INT, from + 2 + 4L * (g % 4)) >>> (g < 4 ? 0 : 4);
                    packed.set(Simd.LE_SHORT, to + 2L * ROWS * g + 2L * lane, ShortLanes.pack(word));
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
    public Q8Activations.Grid activations() {
        return Q8Activations.Grid.Q8_0;
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
        Q8Activations q = Q8Activations.of(activations(), x, xOffset, n, 1);
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
            return ShortLanes.quant(data, group + (long) (w / BLOCK) * BLOCK_BYTES, ShortLanes.lane(row), w % BLOCK);
        }

        float scale(MemorySegment data, int block) {
            return data.get(Simd.LE_FLOAT, group + (long) block * BLOCK_BYTES + ShortLanes.QUANT_BYTES + 4L * row);
        }
    }

    @Override
    public void multiply(MemorySegment data, int rowStart, int rowCount, Q8Activations x, float[] out,
                         int outOffset, int outStride) {
        ShortLanes.multiply(Q4_0Interleaved::group, rowBytes(x.cols()) * ROWS, data, rowStart, rowCount, x, out,
                outOffset, outStride);
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
            ShortVector even = ShortVector.zero(ShortLanes.S);
            ShortVector odd = even;
            for (int g = 0; g < ShortLanes.VECTORS; g++) {
                ShortVector v = ShortLanes.load(data, block, g);
                int j = q0 + b * BLOCK + 4 * g;
                even = even.add(ShortLanes.column(v, 0).mul(xq[j]));
                odd = odd.add(ShortLanes.column(v, 1).mul(xq[j + 1]));
                even = even.add(ShortLanes.column(v, 2).mul(xq[j + 2]));
                odd = odd.add(ShortLanes.column(v, 3).mul(xq[j + 3]));
            }
            FloatVector dx = Simd.splat(xd[d0 + b]);
            IntVector sum = even.add(odd).reinterpretAsInts();
            a0 = ShortLanes.lowRows(sum).fma(scales(data, block, 0).mul(dx), a0);
            a1 = ShortLanes.highRows(sum).fma(scales(data, block, 1).mul(dx), a1);
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
            ShortVector sa = ShortVector.zero(ShortLanes.S);
            ShortVector sb = sa;
            for (int g = 0; g < ShortLanes.VECTORS; g++) {
                ShortVector v = ShortLanes.load(data, block, g);
                int j = b * BLOCK + 4 * g;
                for (int k = 0; k < 4; k++) {
                    ShortVector w = ShortLanes.column(v, k);
                    sa = sa.add(w.mul(xq[q0 + j + k]));
                    sb = sb.add(w.mul(xq[q1 + j + k]));
                }
            }
            FloatVector s0 = scales(data, block, 0);
            FloatVector s1 = scales(data, block, 1);
            IntVector pa = sa.reinterpretAsInts();
            IntVector pb = sb.reinterpretAsInts();
            FloatVector da = Simd.splat(xd[d0 + b]);
            FloatVector db = Simd.splat(xd[d1 + b]);
            a0 = ShortLanes.lowRows(pa).fma(s0.mul(da), a0);
            a1 = ShortLanes.highRows(pa).fma(s1.mul(da), a1);
            b0 = ShortLanes.lowRows(pb).fma(s0.mul(db), b0);
            b1 = ShortLanes.highRows(pb).fma(s1.mul(db), b1);
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
            ShortVector sa = ShortVector.zero(ShortLanes.S);
            ShortVector sb = sa;
            ShortVector sc = sa;
            ShortVector se = sa;
            for (int g = 0; g < ShortLanes.VECTORS; g++) {
                ShortVector v = ShortLanes.load(data, block, g);
                int j = q0 + b * BLOCK + 4 * g;
                for (int k = 0; k < 4; k++) {
                    ShortVector w = ShortLanes.column(v, k);
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
                IntVector pairs = ShortVector.fromArray(ShortLanes.S, sums, t * ROWS).reinterpretAsInts();
                FloatVector dx = Simd.splat(xd[d0 + t * blocks + b]);
                int at = o + t * outStride;
                ShortLanes.lowRows(pairs).fma(s0.mul(dx), FloatVector.fromArray(Simd.F, out, at)).intoArray(out, at);
                ShortLanes.highRows(pairs).fma(s1.mul(dx), FloatVector.fromArray(Simd.F, out, at + LANES))
                        .intoArray(out, at + LANES);
            }
        }
    }

    /** The scales {@code d} of rows {@code part * LANES ..} of a block. */
    private static FloatVector scales(MemorySegment data, long block, int part) {
        return ShortLanes.floats(data, block + ShortLanes.QUANT_BYTES + 4L * LANES * part);
    }
}
