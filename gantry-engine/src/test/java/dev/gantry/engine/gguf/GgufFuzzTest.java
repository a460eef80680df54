package dev.gantry.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutates the headers of GGUF files (bit flips, random bytes and ints, length fields and runs of consecutive
 * dimensions set huge, truncation) and
 * checks the one promise of the reader: a file either opens, and then every tensor and value can be read, or it
 * fails with a {@link GgufException} — never another exception or error. Seeded, so a failure reproduces; each
 * failure report carries the case number and its mutations.
 */
class GgufFuzzTest {

    private static final int CASES_GENERATED = 4_000;
    /** Fewer on the 1.1 MB real file: a corrupt vocabulary length can make one case read hundreds of KB. */
    private static final int CASES_REAL = 2_500;
    /** Mutations land in the header (metadata and tensor infos), up to this many bytes from the start. */
    private static final int WINDOW = 16_384;
    private static final long[] HUGE = {-1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32, 1L << 31, (1L << 31) - 1,
            0xFFFF_FFFFL, 1L << 62, 1L << 40};
    /** Dimensions the reader accepts one by one (each at most Integer.MAX_VALUE) whose product overflows. */
    private static final long[] BIG_DIMS = {Integer.MAX_VALUE, 1L << 30, 3L << 29, 1L << 24, 1L << 21};

    @TempDir
    static Path dir;

    private static byte[] generated;
    private static byte[] real;
    private static int generatedHeader;
    private static int realHeader;

    @BeforeAll
    static void files() throws IOException {
        Path small = dir.resolve("small.gguf");
        try (GgufWriter w = GgufWriter.create(small)) {
            w.putString("general.architecture", "llama").putUint32("general.alignment", 64)
                    .putUint8("u8", 7).putInt8("i8", -7).putUint16("u16", 700).putInt16("i16", -700).putInt32("i32", -70_000)
                    .putUint64("u64", 1L << 40).putInt64("i64", -1).putFloat32("f32", 0.5f).putFloat64("f64", 0.25)
                    .putBool("b", true).putString("s", "snow ☃")
                    .putStrings("tokenizer.ggml.tokens", "<unk>", "<s>", "</s>", "▁a", "b")
                    .putFloat32s("tokenizer.ggml.scores", 0, 0, 0, -1, -2)
                    .putInt32s("tokenizer.ggml.token_type", 2, 3, 3, 1, 1)
                    .putArray("bools", new GgufArray(GgufValueType.BOOL, new boolean[] {true, false}))
                    .putArray("u64s", new GgufArray(GgufValueType.UINT64, new long[] {1, 2, 3}))
                    .putArray("f64s", new GgufArray(GgufValueType.FLOAT64, new double[] {1, 2}))
                    .putArray("nested", new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                            new GgufArray(GgufValueType.UINT16, new long[] {1, 2}),
                            new GgufArray(GgufValueType.STRING, new String[] {"x"})}));
            w.addTensor("token_embd.weight", GgmlType.F32, 8, 5).addTensor("blk.0.attn_q.weight", GgmlType.Q8_0, 32, 2)
                    .addTensor("output_norm.weight", GgmlType.F16, 8);
            w.writeTensor("token_embd.weight", new float[40]);
            w.writeTensor("blk.0.attn_q.weight", new byte[68]);
            w.writeTensor("output_norm.weight", new byte[16]);
        }
        generated = Files.readAllBytes(small);
        Path stories = Path.of(System.getProperty("gantry.shared"), "models", "stories260K.gguf");
        real = Files.readAllBytes(stories);
        generatedHeader = headerLength(small);
        realHeader = headerLength(stories);
    }

    private static int headerLength(Path file) {
        try (GgufFile f = GgufFile.open(file)) {
            return (int) Math.min(WINDOW, f.dataOffset());
        }
    }

    @Test
    void mutatedGeneratedFilesOpenOrThrowOnlyGgufException() {
        Outcomes outcomes = fuzz(generated, generatedHeader, CASES_GENERATED, 1);
        outcomes.assertOnlyGgufExceptions();
        assertThat(outcomes.opened).as("some mutations keep the file valid").isGreaterThan(CASES_GENERATED / 50);
        assertThat(outcomes.refused).as("most mutations break it").isGreaterThan(CASES_GENERATED / 3);
    }

    @Test
    void mutatedRealFilesOpenOrThrowOnlyGgufException() {
        Outcomes outcomes = fuzz(real, realHeader, CASES_REAL, 2);
        outcomes.assertOnlyGgufExceptions();
        assertThat(outcomes.opened).isGreaterThan(CASES_REAL / 50);
        assertThat(outcomes.refused).isGreaterThan(CASES_REAL / 3);
    }

    @Test
    void mutatedFilesOnDiskOpenOrThrowOnlyGgufException() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        Path file = dir.resolve("mutant.gguf");
        Outcomes outcomes = new Outcomes();
        for (int c = 0; c < 200; c++) {
            byte[] work = generated.clone();
            Mutant m = mutate(work, generatedHeader, random, lengthFields(generated, generatedHeader));
            Files.write(file, java.util.Arrays.copyOf(work, m.length()));
            try (GgufFile f = GgufFile.open(file)) {
                readEverything(f);
                outcomes.opened++;
            } catch (GgufException e) {
                assertThat(e.getMessage()).startsWith(file.toString());
                outcomes.refused++;
            } catch (Throwable t) {
                outcomes.other("on disk, case " + c + ": " + m.description(), t);
            }
        }
        outcomes.assertOnlyGgufExceptions();
    }

    private static Outcomes fuzz(byte[] original, int window, int cases, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> lengthFields = lengthFields(original, window);
        byte[] work = original.clone();
        Path label = Path.of("fuzz-" + seed + ".gguf");
        Outcomes outcomes = new Outcomes();
        for (int c = 0; c < cases; c++) {
            System.arraycopy(original, 0, work, 0, Math.min(original.length, window + 8));
            Mutant m = mutate(work, window, random, lengthFields);
            MemorySegment bytes = MemorySegment.ofArray(work).asSlice(0, m.length());
            try (GgufFile f = GgufFile.parse(label, bytes)) {
                readEverything(f);
                outcomes.opened++;
            } catch (GgufException e) {
                if (!e.getMessage().startsWith(label + ": ")) {
                    outcomes.other("case " + c + " (message does not name the file): " + m.description(), e);
                }
                outcomes.refused++;
            } catch (Throwable t) {
                outcomes.other("case " + c + ": " + m.description(), t);
            }
        }
        return outcomes;
    }

    /** Touches what a loader touches: every value and every tensor's first and last byte. */
    private static void readEverything(GgufFile f) {
        for (Map.Entry<String, Object> e : f.metadata().asMap().entrySet()) {
            assertThat(f.metadata().typeOf(e.getKey())).isNotNull();
            String.valueOf(e.getValue());
        }
        for (GgufTensorInfo info : f.tensorInfos().values()) {
            MemorySegment data = f.tensor(info.name()).data();
            data.get(ValueLayout.JAVA_BYTE, 0);
            data.get(ValueLayout.JAVA_BYTE, data.byteSize() - 1);
        }
    }

    private record Mutant(int length, String description) {
    }

    /** One to four mutations inside the first {@code window} bytes, and sometimes a truncation anywhere. */
    private static Mutant mutate(byte[] work, int window, SplittableRandom random, List<Integer> lengthFields) {
        ByteBuffer le = ByteBuffer.wrap(work).order(ByteOrder.LITTLE_ENDIAN);
        int length = work.length;
        StringBuilder what = new StringBuilder();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            int at = random.nextInt(window - 8);
            switch (random.nextInt(8)) {
                case 0 -> {
                    int bit = random.nextInt(8);
                    work[at] ^= (byte) (1 << bit);
                    what.append(" flip bit ").append(bit).append(" @").append(at);
                }
                case 1 -> {
                    byte b = (byte) random.nextInt(256);
                    work[at] = b;
                    what.append(" byte ").append(b).append(" @").append(at);
                }
                case 2 -> {
                    int v = random.nextInt(3) == 0 ? random.nextInt(16) : random.nextInt();
                    le.putInt(at, v);
                    what.append(" int ").append(v).append(" @").append(at);
                }
                case 3, 4 -> {
                    int field = lengthFields.get(random.nextInt(lengthFields.size()));
                    long v = random.nextBoolean() ? HUGE[random.nextInt(HUGE.length)] : le.getLong(field) + random.nextInt(-3, 4);
                    le.putLong(field, v);
                    what.append(" length ").append(Long.toUnsignedString(v)).append(" @").append(field);
                }
                case 5 -> {
                    // a tensor's ne[] are consecutive uint64s: several huge dimensions overflow its byte size
                    int first = lengthFields.get(random.nextInt(lengthFields.size()));
                    long v = random.nextBoolean() ? HUGE[random.nextInt(HUGE.length)] : BIG_DIMS[random.nextInt(BIG_DIMS.length)];
                    int run = 2 + random.nextInt(3);
                    for (int k = 0; k < run && first + 8 * k + 8 <= window; k++) {
                        le.putLong(first + 8 * k, v);
                    }
                    what.append(" ").append(run).append(" lengths ").append(Long.toUnsignedString(v)).append(" @").append(first);
                }
                case 6 -> {
                    long v = random.nextLong();
                    le.putLong(at, v);
                    what.append(" long ").append(v).append(" @").append(at);
                }
                default -> {
                    length = Math.min(length, random.nextInt(random.nextBoolean() ? window : work.length + 1));
                    what.append(" truncate to ").append(length);
                }
            }
        }
        return new Mutant(length, what.toString().trim());
    }

    /**
     * Positions in the window holding a small little-endian uint64: in a GGUF header these are almost all string
     * lengths, array lengths, counts, dimensions and offsets, which are the fields worth setting huge.
     */
    private static List<Integer> lengthFields(byte[] bytes, int window) {
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> fields = new ArrayList<>();
        for (int p = 8; p + 8 <= window; p++) {
            long v = le.getLong(p);
            if (v > 0 && v < 1_000_000 && bytes[p] != 0) {
                fields.add(p);
            }
        }
        return fields;
    }

    private static final class Outcomes {
        int opened;
        int refused;
        final Map<String, String> others = new LinkedHashMap<>();

        void other(String where, Throwable t) {
            StackTraceElement top = t.getStackTrace().length > 0 ? t.getStackTrace()[0] : null;
            others.putIfAbsent(t.getClass().getName() + " at " + top, where + " -> " + t);
        }

        void assertOnlyGgufExceptions() {
            assertThat(others).as("exceptions other than GgufException (first case of each kind)").isEmpty();
        }
    }
}
