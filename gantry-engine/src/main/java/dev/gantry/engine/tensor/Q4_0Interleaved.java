package dev.gantry.engine.tensor;

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

    @Override
    void packRow(MemorySegment file, long from, int n, ShortLanes.Row row, MemorySegment packed) {
        for (int b = 0; b < n / BLOCK; b++) {
            long block = from + (long) b * Q4_0.BYTES;
            row.setFactor(packed, b, ShortLanes.QUANT_BYTES, Simd.f16(file, block));
            for (int g = 0; g < ShortLanes.VECTORS; g++) {
                // columns 4g..4g+3: the low nibbles of bytes 4g.. for the first half, the high of 4(g-4).. after
                int word = file.get(Simd.LE_INT, block + 2 + 4L * (g % 4)) >>> (g < 4 ? 0 : 4);
                row.setQuants(packed, b, g, ShortLanes.pack(word));
            }
        }
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
