package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

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
public final class Q4_0Interleaved extends InterleavedFormat {

    private static final int ROWS = ShortLanes.ROWS;
    private static final int LANES = Simd.LANES;
    private static final int BLOCK = Q4_0.BLOCK;
    /** Bytes of one block of a group: its quants, then its scales. */
    private static final int BLOCK_BYTES = 20 * ROWS;

    static final Q4_0Interleaved INSTANCE = new Q4_0Interleaved();

    private Q4_0Interleaved() {
        super(GgmlType.Q4_0, Q8Activations.Grid.Q8_0, BLOCK, BLOCK_BYTES);
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

    /** Scalar reference: weight {@code j} of block {@code b} of the row at {@code offset} is {@code (q - 8) * d}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        ShortLanes.Row row = row(offset, n);
        for (int w = 0; w < n; w++) {
            dst[dstOffset + w] = row.nibble(data, w) * row.factor(data, w / BLOCK, ShortLanes.QUANT_BYTES);
        }
    }

    /**
     * Scalar, and bit-identical to {@link #multiply}: per block, the exact integer sum of products with
     * {@code x} quantized, converted to float and accumulated by a multiply-add with {@code d_w * d_x}.
     */
    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        ShortLanes.Row row = row(offset, n);
        Q8Activations q = Q8Activations.of(activations(), x, xOffset, n, 1);
        float acc = 0;
        for (int b = 0; b < n / BLOCK; b++) {
            int sum = 0;
            for (int j = b * BLOCK; j < (b + 1) * BLOCK; j++) {
                sum += row.nibble(data, j) * q.quants()[j];
            }
            acc = Math.fma(sum, row.factor(data, b, ShortLanes.QUANT_BYTES) * q.scales()[b], acc);
        }
        return acc;
    }

    /** One group of rows for every token. */
    @Override
    void group(MemorySegment data, long group, Q8Activations x, float[] out, int o, int outStride, short[] sums) {
        Int4Products.group(data, group, BLOCK_BYTES, x, out, o, outStride, sums);
    }
}
