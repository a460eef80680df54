package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The layout the interleaved formats ({@link Q4_0Interleaved}, {@link Q4_KInterleaved}, {@link Q5_KInterleaved},
 * {@link Q6_KInterleaved})
 * share: rows in groups of {@link #ROWS}, one row per lane of a vector of shorts. For the 4-bit formats a block of 32
 * columns is eight such vectors, vector {@code g} holding columns {@code 4g .. 4g + 3}, each row's quant less 8
 * (-8..7) as a signed nibble at bits {@code 4k} for column {@code 4g + k} (the stored {@code q ^ 8} is {@code q - 8}
 * in two's complement); {@link Q6_KInterleaved} keeps a byte a quant.
 *
 * <p>Products with 8-bit activation quants sum exactly in the lanes as long as a sum stays within 16 bits (a block
 * of 4-bit quants: {@code 32 * 8 * 127 = 32512}). Rows sit in the lanes' order of {@link #lane}, so that the sums of
 * rows {@code 0 .. LANES} and {@code LANES .. 2 * LANES} become ints, and floats, in row order by shifts of the lanes
 * as ints ({@link #lowInts}, {@link #highInts}), with no half extracted.
 */
final class ShortLanes {

    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, Simd.F.vectorShape());
    /** Rows of a group: the lanes of a vector of shorts, twice the float lanes. */
    static final int ROWS = S.length();
    private static final int LANES = Simd.LANES;
    /** Bytes of a block's quants in a group. */
    static final int QUANT_BYTES = 16 * ROWS;
    /** Vectors of a block's quants. */
    static final int VECTORS = 8;

    /**
     * One group of rows times every token of {@code x}: {@code out[o + t * outStride + r]} for its rows {@code r};
     * {@code sums} is scratch of {@link #SCRATCH} shorts for the kernels of several tokens.
     */
    @FunctionalInterface
    interface GroupKernel {
        void group(MemorySegment data, long group, Q8Activations x, float[] out, int o, int outStride, short[] sums);
    }

    /** Shorts of a {@link GroupKernel}'s scratch: two vectors per token of a four-token kernel. */
    static final int SCRATCH = 8 * ROWS;

    private ShortLanes() {
    }

    /** The lane of a group's vectors of shorts that holds row {@code r} of the group. */
    static int lane(int r) {
        return r < LANES ? 2 * r : 2 * (r - LANES) + 1;
    }

    /**
     * Four nibbles (0..15) of four columns of one row, at bits 0, 8, 16 and 24 of {@code word} (the next four bytes
     * of a ggml block's low or high nibbles, the bytes' other nibbles ignored), as the short of this layout.
     */
    static short pack(int word) {
        int quants = word & 0xF | (word >>> 4) & 0xF0 | (word >>> 8) & 0xF00 | (word >>> 12) & 0xF000;
        return (short) (quants ^ 0x8888);
    }

    /**
     * Where one row lies, for the scalar methods, which find it from the byte at which a row's data would begin
     * ({@code row * rowBytes}): its group's first byte, its row in the group, and the group's blocks of
     * {@code columns} columns, {@code blockBytes} each.
     */
    record Row(long group, int row, int columns, int blockBytes) {

        static Row at(long offset, long rowBytes, int columns, int blockBytes) {
            long r = offset / rowBytes;
            return new Row((r / ROWS) * ROWS * rowBytes, (int) (r % ROWS), columns, blockBytes);
        }

        /** The first byte of block {@code b}. */
        long block(int b) {
            return group + (long) b * blockBytes;
        }

        /** The byte of this row's short in vector {@code g} of block {@code b}. */
        long quants(int b, int g) {
            return block(b) + 2L * ROWS * g + 2L * lane(row);
        }

        /** The 4-bit layout's quant less 8 of column {@code w} of the row. */
        int nibble(MemorySegment data, int w) {
            short word = data.get(Simd.LE_SHORT, quants(w / columns, w % columns / 4));
            return ((word >>> (4 * (w % 4))) & 0xF ^ 8) - 8;
        }

        /** The short of this row that holds columns {@code 2c} and {@code 2c + 1} of block {@code w / columns}. */
        short pair(MemorySegment data, int w) {
            return data.get(Simd.LE_SHORT, quants(w / columns, w % columns / 2));
        }

        /** Stores this row's short of vector {@code g} of block {@code b}: the repacking step. */
        void setQuants(MemorySegment data, int b, int g, short quants) {
            data.set(Simd.LE_SHORT, quants(b, g), quants);
        }

        /** The row's float factor at byte {@code at} of block {@code b}'s factors (after its quants). */
        float factor(MemorySegment data, int b, int at) {
            return data.get(Simd.LE_FLOAT, block(b) + at + 4L * row);
        }

        /** Stores the row's float factor at byte {@code at} of block {@code b}'s factors. */
        void setFactor(MemorySegment data, int b, int at, float factor) {
            data.set(Simd.LE_FLOAT, block(b) + at + 4L * row, factor);
        }
    }

    /** Vector {@code g} of the block at byte {@code block}. */
    static ShortVector load(MemorySegment data, long block, int g) {
        return ShortVector.fromMemorySegment(S, data, block + 2L * ROWS * g, ByteOrder.LITTLE_ENDIAN);
    }

    /** Column {@code 4g + k} of vector {@code g} of a block: its nibble {@code k}, sign-extended. */
    static ShortVector column(ShortVector v, int k) {
        return v.lanewise(VectorOperators.LSHL, 12 - 4 * k).lanewise(VectorOperators.ASHR, 12);
    }

    /** The sums of rows {@code 0 .. LANES} of a group ({@code sums} as ints), as floats. */
    static FloatVector lowRows(IntVector pairs) {
        return toFloat(lowInts(pairs));
    }

    /** The sums of rows {@code LANES .. 2 * LANES} of a group ({@code sums} as ints), as floats. */
    static FloatVector highRows(IntVector pairs) {
        return toFloat(highInts(pairs));
    }

    /** The sums of rows {@code 0 .. LANES} of a group ({@code sums} as ints), sign-extended to ints. */
    static IntVector lowInts(IntVector pairs) {
        return pairs.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16);
    }

    /** The sums of rows {@code LANES .. 2 * LANES} of a group ({@code sums} as ints), sign-extended to ints. */
    static IntVector highInts(IntVector pairs) {
        return pairs.lanewise(VectorOperators.ASHR, 16);
    }

    /**
     * {@link #lowInts} for part 0 and {@link #highInts} for part 1, as floats, by shifts of a variable count: for
     * kernels that must loop over the parts to stay within C2's inlining budget.
     */
    static FloatVector rows(IntVector pairs, int part) {
        return toFloat(ints(pairs, part));
    }

    /** {@link #lowInts} for part 0 and {@link #highInts} for part 1, by shifts of a variable count, as {@link #rows}. */
    static IntVector ints(IntVector pairs, int part) {
        return pairs.lanewise(VectorOperators.LSHL, 16 - 16 * part).lanewise(VectorOperators.ASHR, 16);
    }

    static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }

    /** {@code LANES} floats at byte {@code offset}: per-row factors stored beside a block's quants. */
    static FloatVector floats(MemorySegment data, long offset) {
        return FloatVector.fromMemorySegment(Simd.F, data, offset, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * {@link Q8Products#multiply} over groups of {@code groupBytes} each: whole groups straight into {@code out}, a
     * group the range cuts (or that padding completes) into a scratch copy, then the rows asked for.
     */
    static void multiply(GroupKernel kernel, long groupBytes, MemorySegment data, int rowStart, int rowCount,
                         Q8Activations x, float[] out, int outOffset, int outStride) {
        int end = rowStart + rowCount;
        float[] partial = null;
        short[] sums = new short[SCRATCH];
        for (int first = rowStart - rowStart % ROWS; first < end; first += ROWS) {
            long group = groupBytes * (first / ROWS);
            if (first >= rowStart && first + ROWS <= end) {
                kernel.group(data, group, x, out, outOffset + first - rowStart, outStride, sums);
                continue;
            }
            partial = partial != null ? partial : new float[ROWS * x.tokens()];
            kernel.group(data, group, x, partial, 0, ROWS, sums);
            int from = Math.max(first, rowStart);
            int to = Math.min(first + ROWS, end);
            for (int t = 0; t < x.tokens(); t++) {
                System.arraycopy(partial, t * ROWS + from - first, out, outOffset + t * outStride + from - rowStart,
                        to - from);
            }
        }
    }
}
