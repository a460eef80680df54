package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weight memory is zeroed, sized as asked, freed with its arena, and where the OS offers transparent huge pages
 * (Linux, mode {@code always} or {@code madvise}) aligned to 2 MiB and backed by huge pages once touched; matrices
 * whose layout is the file's are copied into it byte for byte, and the copy leaves the file's mapping.
 */
class WeightMemoryTest {

    private static final long MIB = 1 << 20;

    @Test
    void memoryIsZeroedWritableAndFreedWithItsArena() {
        Arena arena = Arena.ofShared();
        MemorySegment m = WeightMemory.allocate(arena, 5 * MIB + 3);
        assertThat(m.byteSize()).isEqualTo(5 * MIB + 3);
        assertThat(m.asByteBuffer().mismatch(MemorySegment.ofArray(new byte[(int) m.byteSize()]).asByteBuffer()))
                .as("first non-zero byte").isEqualTo(-1);
        m.set(ValueLayout.JAVA_BYTE, m.byteSize() - 1, (byte) 7);
        assertThat(m.get(ValueLayout.JAVA_BYTE, m.byteSize() - 1)).isEqualTo((byte) 7);
        arena.close();
        assertThatThrownBy(() -> m.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void smallRequestsComeFromTheArena() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = WeightMemory.allocate(arena, 4096);
            assertThat(m.byteSize()).isEqualTo(4096);
            assertThat(m.address() % 64).isZero();
        }
    }

    @Test
    void whereHugePagesAreOfferedTheMemoryIsAlignedAndBackedByThem() throws IOException {
        assumeTrue(WeightMemory.available(), "no transparent huge pages for advised memory here");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = WeightMemory.allocate(arena, 8 * MIB);
            assertThat(m.address() % WeightMemory.HUGE_PAGE).isZero();
            for (long at = 0; at < m.byteSize(); at += 4096) {
                m.set(ValueLayout.JAVA_BYTE, at, (byte) 1);
            }
            assertThat(anonHugePagesKiB(m.address())).as("AnonHugePages of the mapping").isPositive();
        }
    }

    @Test
    void aMappedMatrixOfTheFilesLayoutIsCopiedIntoWeightMemoryByteForByte(@TempDir Path dir) throws IOException {
        assumeTrue(WeightMemory.available(), "no transparent huge pages for advised memory here");
        int cols = 1024;
        int rows = 768; // F32: 3 MiB, more than a huge page
        byte[] bytes = new byte[cols * rows * 4];
        Random random = new Random(3);
        for (int i = 0; i < cols * rows; i++) {
            int bits = Float.floatToIntBits((float) random.nextGaussian());
            for (int b = 0; b < 4; b++) {
                bytes[4 * i + b] = (byte) (bits >> (8 * b));
            }
        }
        Path file = dir.resolve("w.bin");
        Files.write(file, bytes);
        try (Arena arena = Arena.ofShared(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes.length, arena);
            Tensor t = new Tensor("w", GgmlType.F32, new long[] {cols, rows}, mapped);
            Tensor copy = Repacking.forKernels(t, arena);
            assertThat(copy.data().isMapped()).isFalse();
            assertThat(copy.format().type()).isEqualTo(GgmlType.F32);
            assertThat(copy.data().mismatch(MemorySegment.ofArray(bytes))).isEqualTo(-1);
            float[] x = new float[cols];
            Arrays.fill(x, 0.5f);
            assertThat(copy.format().dot(copy.data(), 7L * cols * 4, x, 0, cols))
                    .isEqualTo(t.format().dot(MemorySegment.ofArray(bytes), 7L * cols * 4, x, 0, cols));
        }
    }

    /** The {@code AnonHugePages} of the mapping of this process that contains {@code address}, from smaps. */
    private static long anonHugePagesKiB(long address) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        boolean inside = false;
        for (String line : lines) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                String[] range = line.substring(0, line.indexOf(' ')).split("-");
                long from = HexFormat.fromHexDigitsToLong(range[0]);
                long to = HexFormat.fromHexDigitsToLong(range[1]);
                inside = Long.compareUnsigned(address, from) >= 0 && Long.compareUnsigned(address, to) < 0;
            } else if (inside && line.startsWith("AnonHugePages:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("no mapping holds 0x" + Long.toHexString(address));
    }
}
