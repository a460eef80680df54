package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Which weights a model keeps in a layout of Gantry's rather than the file's, chosen once at load: a format whose
 * kernels are faster on a repacked copy of the same numbers gets one (llama.cpp does the same for its CPU
 * kernels, ggml-cpu's "repack" buffers). The others are copied as they are into {@link WeightMemory}'s huge pages
 * where the OS offers them, since streaming them from the file's 4 KiB pages is slower. The copy costs a pass over
 * the weights at load and its own memory; the file's pages it was read from are then unloaded
 * ({@link MemorySegment#unload}), so the process holds the weights once. They stay in the page cache, to be dropped
 * under memory pressure or mapped again quickly at the next load.
 */
public final class Repacking {

    private Repacking() {
    }

    /** {@code t} in the layout its kernels read fastest, copied into {@code arena}; {@code t} itself if that is the file's. */
    public static Tensor forKernels(Tensor t, Arena arena) {
        if (t.repacked()) {
            return t;
        }
        Tensor repacked = switch (t.type()) {
            case Q4_0 -> Q4_0Interleaved.fits(t.cols())
                    ? Q4_0Interleaved.INSTANCE.repack(t, arena)
                    : inHugePages(t, arena);
            case Q8_0 -> Q8_0Lanes.repack(t, arena);
            case F16 -> F16Pairs.fits() ? F16Pairs.repack(t, arena) : inHugePages(t, arena);
            case BF16 -> BF16Pairs.repack(t, arena);
            case Q4_K -> Q4_KInterleaved.INSTANCE.repack(t, arena);
            case Q5_K -> Q5_KInterleaved.INSTANCE.repack(t, arena);
            case Q6_K -> Q6_KInterleaved.INSTANCE.repack(t, arena);
            default -> inHugePages(t, arena);
        };
        if (repacked != t && t.data().isMapped()) {
            // pages shared with a neighbouring tensor in use fault back in from the file (a read-only mapping)
            t.data().unload();
        }
        return repacked;
    }

    /** A mapped {@code t} copied byte for byte into huge pages, when there are any; else {@code t}. */
    private static Tensor inHugePages(Tensor t, Arena arena) {
        if (!t.data().isMapped() || !WeightMemory.available() || t.data().byteSize() < WeightMemory.HUGE_PAGE) {
            return t;
        }
        MemorySegment copy = WeightMemory.allocate(arena, t.data().byteSize());
        copy.copyFrom(t.data());
        return new Tensor(t.name(), t.type(), t.shape(), copy);
    }
}
