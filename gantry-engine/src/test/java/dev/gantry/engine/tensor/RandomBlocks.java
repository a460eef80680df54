package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Random;

/**
 * Random weight data for tests: random bytes are valid blocks for every block format, except that the ggml_half
 * fields (scales, mins) are overwritten with small finite values, so every decoded weight is finite. The byte
 * offsets of those fields are written here from the ggml-common.h structs, independently of the format classes.
 */
final class RandomBlocks {

    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Offsets of the ggml_half fields within one block. */
    private static final Map<GgmlType, int[]> HALF_FIELDS = Map.ofEntries(
            Map.entry(GgmlType.Q8_0, new int[] {0}),
            Map.entry(GgmlType.Q4_0, new int[] {0}),
            Map.entry(GgmlType.Q4_1, new int[] {0, 2}),
            Map.entry(GgmlType.Q5_0, new int[] {0}),
            Map.entry(GgmlType.Q5_1, new int[] {0, 2}),
            Map.entry(GgmlType.Q2_K, new int[] {80, 82}),
            Map.entry(GgmlType.Q3_K, new int[] {108}),
            Map.entry(GgmlType.Q4_K, new int[] {0, 2}),
            Map.entry(GgmlType.Q5_K, new int[] {0, 2}),
            Map.entry(GgmlType.Q6_K, new int[] {208}),
            Map.entry(GgmlType.IQ4_NL, new int[] {0}),
            Map.entry(GgmlType.IQ4_XS, new int[] {0}));

    private RandomBlocks() {
    }

    /** {@code n} random weights of {@code type} at byte {@code pad} of a fresh segment with a few spare bytes after. */
    static MemorySegment of(GgmlType type, int n, long pad, Random rnd) {
        long bytes = type.byteSize(n);
        MemorySegment s = Arena.ofAuto().allocate(pad + bytes + 7, 1);
        fill(type, n, s, pad, rnd);
        return s;
    }

    static void fill(GgmlType type, int n, MemorySegment s, long offset, Random rnd) {
        switch (type) {
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    s.set(LE_FLOAT, offset + 4L * i, rnd.nextFloat() * 2 - 1);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    s.set(LE_SHORT, offset + 2L * i, Float.floatToFloat16(rnd.nextFloat() * 2 - 1));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    s.set(LE_SHORT, offset + 2L * i, (short) (Float.floatToIntBits(rnd.nextFloat() * 2 - 1) >>> 16));
                }
            }
            default -> {
                long bytes = type.byteSize(n);
                for (long i = 0; i < bytes; i++) {
                    s.set(ValueLayout.JAVA_BYTE, offset + i, (byte) rnd.nextInt());
                }
                int[] halves = HALF_FIELDS.get(type);
                for (long b = 0; b < bytes / type.blockBytes(); b++) {
                    for (int field : halves) {
                        float scale = (rnd.nextFloat() * 2 - 1) * 0.01f;
                        s.set(LE_SHORT, offset + b * type.blockBytes() + field, Float.floatToFloat16(scale));
                    }
                }
            }
        }
    }

    static float[] floats(int n, Random rnd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }
}
