package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The layout {@link F16Pairs} and {@link BF16Pairs} share: rows of 16-bit values, each chunk of {@code 2 * LANES}
 * of them as one vector of ints, value {@code k} in the low 16 bits of lane {@code k} and value {@code LANES + k} in
 * the high ones; the values after a row's paired part stay in the file's order. A row keeps its file size.
 */
final class HalfPairs {

    static final int LANES = Simd.LANES;
    /** Values of a chunk: one vector of ints. */
    static final int CHUNK = 2 * LANES;

    private HalfPairs() {
    }

    /**
     * The rows of {@code t} repacked into weight memory of {@code arena}, the first {@code paired} values of each
     * (a multiple of {@link #CHUNK}) as chunks.
     */
    static MemorySegment pack(Tensor t, Arena arena, int paired) {
        int n = t.cols();
        long rowBytes = 2L * n;
        MemorySegment packed = WeightMemory.allocate(arena, rowBytes * t.rows());
        for (int r = 0; r < t.rows(); r++) {
            long from = r * t.rowBytes();
            long to = r * rowBytes;
            for (int c = 0; c < paired / CHUNK; c++) {
                long chunk = 2L * CHUNK * c;
                IntVector low = widened(t.data(), from + chunk).and(0xFFFF);
                IntVector high = widened(t.data(), from + chunk + 2L * LANES).lanewise(VectorOperators.LSHL, 16);
                low.or(high).intoMemorySegment(packed, to + chunk, ByteOrder.LITTLE_ENDIAN);
            }
            MemorySegment.copy(t.data(), from + 2L * paired, packed, to + 2L * paired, 2L * (n - paired));
        }
        return packed;
    }

    /** {@code LANES} 16-bit values at byte {@code offset}, one an int lane (sign-extended). */
    private static IntVector widened(MemorySegment data, long offset) {
        ShortVector values = ShortVector.fromMemorySegment(Simd.S, data, offset, ByteOrder.LITTLE_ENDIAN);
        return (IntVector) values.castShape(Simd.I, 0);
    }

    /** The byte of value {@code e} in a row whose first {@code paired} values are chunks. */
    static long position(int e, int paired) {
        if (e >= paired) {
            return 2L * e;
        }
        int k = e % CHUNK;
        return 2L * (e - k) + 4L * (k % LANES) + (k < LANES ? 0 : 2);
    }

    /** The chunk at byte {@code offset}. */
    static IntVector load(MemorySegment data, long offset) {
        return IntVector.fromMemorySegment(Simd.I, data, offset, ByteOrder.LITTLE_ENDIAN);
    }
}
