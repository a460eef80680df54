package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What the formats of the {@link ShortLanes} layout share: their row size, row groups and activation grid, the
 * driver of their products over groups of rows, and where their scalar methods find a row. Each format adds its
 * repacking, its scalar reference and {@code dot}, and its kernels for one group of rows.
 */
abstract sealed class InterleavedFormat implements Q8Products
        permits Q4_0Interleaved, Q4_KInterleaved, Q5_KInterleaved, Q6_KInterleaved {

    private final GgmlType type;
    private final Q8Activations.Grid grid;
    private final int columns;
    private final int blockBytes;

    /** A format whose groups are blocks of {@code columns} columns, {@code blockBytes} bytes each. */
    InterleavedFormat(GgmlType type, Q8Activations.Grid grid, int columns, int blockBytes) {
        this.type = type;
        this.grid = grid;
        this.columns = columns;
        this.blockBytes = blockBytes;
    }

    @Override
    public final GgmlType type() {
        return type;
    }

    /** A row's share of its group: {@code n / columns} blocks of {@code blockBytes / ROWS}. */
    @Override
    public final long rowBytes(int n) {
        return (long) (n / columns) * blockBytes / ShortLanes.ROWS;
    }

    @Override
    public final Q8Activations.Grid activations() {
        return grid;
    }

    @Override
    public final int rowGroup() {
        return ShortLanes.ROWS;
    }

    @Override
    public final void multiply(MemorySegment data, int rowStart, int rowCount, Q8Activations x, float[] out,
                               int outOffset, int outStride) {
        ShortLanes.multiply(this::group, rowBytes(x.cols()) * ShortLanes.ROWS, data, rowStart, rowCount, x, out,
                outOffset, outStride);
    }

    /**
     * {@code t} (of this format's type) repacked into memory of {@code arena}, a row at a time through
     * {@link #packRow}: a last group that {@code t}'s rows do not fill is padded with zeros, computed with the others
     * and dropped ({@link ShortLanes#multiply}).
     */
    final Tensor repack(Tensor t, Arena arena) {
        int n = t.cols();
        long groupBytes = rowBytes(n) * ShortLanes.ROWS;
        long groups = (t.rows() + ShortLanes.ROWS - 1) / ShortLanes.ROWS;
        MemorySegment packed = WeightMemory.allocate(arena, groupBytes * groups);
        for (int r = 0; r < t.rows(); r++) {
            ShortLanes.Row row = new ShortLanes.Row(groupBytes * (r / ShortLanes.ROWS), r % ShortLanes.ROWS, columns,
                    blockBytes);
            packRow(t.data(), r * t.rowBytes(), n, row, packed);
        }
        return new Tensor(t.name(), type, t.shape(), packed, this);
    }

    /** Copies the GGUF row of {@code n} weights at byte {@code from} of {@code file} into {@code row} of {@code packed}. */
    abstract void packRow(MemorySegment file, long from, int n, ShortLanes.Row row, MemorySegment packed);

    /** The row whose data would begin at byte {@code offset}, for rows of {@code n} weights. */
    final ShortLanes.Row row(long offset, int n) {
        return ShortLanes.Row.at(offset, rowBytes(n), columns, blockBytes);
    }

    /** One group of rows times every token of {@code x}, as {@link ShortLanes.GroupKernel}. */
    abstract void group(MemorySegment data, long group, Q8Activations x, float[] out, int o, int outStride,
                        short[] sums);
}
