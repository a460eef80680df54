package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * What the formats of the {@link ShortLanes} layout share: their row size, row groups and activation grid, the
 * driver of their products over groups of rows, and where their scalar methods find a row. Each format adds its
 * repacking, its scalar reference and {@code dot}, and its kernels for one group of rows.
 */
abstract sealed class InterleavedFormat implements Q8Products
        permits Q4_0Interleaved, Q4_KInterleaved, Q6_KInterleaved {

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

    /** The row whose data would begin at byte {@code offset}, for rows of {@code n} weights. */
    final ShortLanes.Row row(long offset, int n) {
        return ShortLanes.Row.at(offset, rowBytes(n), columns, blockBytes);
    }

    /** One group of rows times every token of {@code x}, as {@link ShortLanes.GroupKernel}. */
    abstract void group(MemorySegment data, long group, Q8Activations x, float[] out, int o, int outStride,
                        short[] sums);
}
