package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;

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
                for (int k = 0; k < LANES; k++) {
                    int low = t.data().get(Simd.LE_SHORT, from + chunk + 2L * k) & 0xFFFF;
                    int high = t.data().get(Simd.LE_SHORT, from + chunk + 2L * (LANES + k));
                    packed.set(Simd.LE_INT, to + chunk + 4L * k, low | high << 16);
                }
            }
            MemorySegment.copy(t.data(), from + 2L * paired, packed, to + 2L * paired, 2L * (n - paired));
        }
        return packed;
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
