package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Memory for weights that the kernels stream through once per token: on Linux, anonymous memory aligned to 2 MiB
 * and advised {@code MADV_HUGEPAGE}, so that the kernel backs it with transparent huge pages where they are enabled
 * ({@code /sys/kernel/mm/transparent_hugepage/enabled} at {@code always} or {@code madvise}, the common default).
 * A decode step reads every weight, gigabytes a token; in 4 KiB pages that is a TLB miss every 4 KiB and hardware
 * prefetchers that stop at each page's end, and measured here (BENCHMARKS.md, session 12) F16 decode ran 15-25 %
 * slower from the file's 4 KiB mapping than from huge pages. Elsewhere, or if the mapping fails, the memory comes
 * from the arena as usual. Either way the memory is zeroed and freed when the arena closes.
 */
final class WeightMemory {

    /** The huge page size of x86-64 and of aarch64 with 4 KiB base pages. */
    static final long HUGE_PAGE = 2L << 20;

    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    /** {@code MAP_PRIVATE | MAP_ANONYMOUS}, the same on Linux x86-64 and aarch64. */
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;

    private static final Optional<Native> NATIVE = Native.link();

    private WeightMemory() {
    }

    /** {@code bytes} of zeroed memory, freed with {@code arena}, in huge pages when the OS offers them. */
    static MemorySegment allocate(Arena arena, long bytes) {
        if (bytes >= HUGE_PAGE && NATIVE.isPresent()) {
            MemorySegment huge = NATIVE.get().allocate(arena, bytes);
            if (huge != null) {
                return huge;
            }
        }
        return arena.allocate(bytes, 64);
    }

    /** Whether {@link #allocate} maps huge-page-advised memory on this system (for sizes of a huge page or more). */
    static boolean available() {
        return NATIVE.isPresent();
    }

    /** libc's {@code mmap}, {@code madvise} and {@code munmap}, linked once through the FFM API. */
    private record Native(MethodHandle mmap, MethodHandle madvise, MethodHandle munmap) {

        static Optional<Native> link() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch", "");
            if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))
                    || !hugePagesEnabled()) {
                return Optional.empty();
            }
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                ValueLayout size = ValueLayout.JAVA_LONG;
                return Optional.of(new Native(
                        linker.downcallHandle(libc.find("mmap").orElseThrow(),
                                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, size,
                                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                        ValueLayout.JAVA_LONG)),
                        linker.downcallHandle(libc.find("madvise").orElseThrow(),
                                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, size,
                                        ValueLayout.JAVA_INT)),
                        linker.downcallHandle(libc.find("munmap").orElseThrow(),
                                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, size))));
            } catch (RuntimeException | LinkageError e) {
                // no native access granted (--enable-native-access), or no libc symbols: the arena's memory serves
                return Optional.empty();
            }
        }

        /** Whether transparent huge pages serve advised memory: the mode is {@code [always]} or {@code [madvise]}. */
        private static boolean hugePagesEnabled() {
            try {
                String mode = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
                return mode.contains("[always]") || mode.contains("[madvise]");
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        /**
         * A private anonymous mapping one huge page larger than {@code bytes} rounded up, so that a 2 MiB-aligned
         * range of it holds them; the advice applies to that range. Null if the mapping fails.
         */
        MemorySegment allocate(Arena arena, long bytes) {
            long span = roundUp(bytes) + HUGE_PAGE;
            try {
                MemorySegment mapping = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, span, PROT_READ_WRITE,
                        MAP_PRIVATE_ANONYMOUS, -1, 0L);
                if (mapping.address() == -1L) {
                    return null;
                }
                long aligned = roundUp(mapping.address());
                // advice is a hint: where huge pages are disabled it fails or is ignored, and 4 KiB pages serve
                int ignored = (int) madvise.invokeExact(MemorySegment.ofAddress(aligned), roundUp(bytes),
                        MADV_HUGEPAGE);
                long base = mapping.address();
                return MemorySegment.ofAddress(aligned).reinterpret(bytes, arena, segment -> unmap(base, span));
            } catch (Throwable e) {
                throw new IllegalStateException("mmap of " + span + " bytes for weights failed", e);
            }
        }

        private void unmap(long base, long span) {
            try {
                int ignored = (int) munmap.invokeExact(MemorySegment.ofAddress(base), span);
            } catch (Throwable e) {
                throw new IllegalStateException("munmap of weights failed", e);
            }
        }

        private static long roundUp(long n) {
            return (n + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
        }
    }
}
