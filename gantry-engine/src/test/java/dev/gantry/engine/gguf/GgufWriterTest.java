package dev.gantry.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GgufWriterTest {

    @TempDir
    Path dir;

    private static final String UNICODE = "héllo wörld — 日本語 ✓ 🚀";

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void everyScalarTypeRoundTripsWithItsTypeAndValue(int version) {
        Path file = dir.resolve("scalars.gguf");
        try (GgufWriter w = GgufWriter.create(file, version)) {
            w.putUint8("u8", 255).putInt8("i8", -128).putUint16("u16", 65535).putInt16("i16", -32768)
                    .putUint32("u32", 0xFFFF_FFFFL).putInt32("i32", Integer.MIN_VALUE)
                    .putUint64("u64", -1L).putInt64("i64", Long.MIN_VALUE)
                    .putFloat32("f32", 1.5e-7f).putFloat64("f64", Math.PI)
                    .putBool("yes", true).putBool("no", false)
                    .putString("text", UNICODE).putString("empty", "");
        }
        try (GgufFile f = GgufFile.open(file)) {
            GgufMetadata m = f.metadata();
            assertThat(f.version()).isEqualTo(version);
            assertThat(m.asMap().keySet()).containsExactly("u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64",
                    "f32", "f64", "yes", "no", "text", "empty");
            assertThat(m.asMap()).containsEntry("u8", 255L).containsEntry("i8", -128L).containsEntry("u16", 65535L)
                    .containsEntry("i16", -32768L).containsEntry("u32", 0xFFFF_FFFFL)
                    .containsEntry("i32", (long) Integer.MIN_VALUE).containsEntry("u64", -1L)
                    .containsEntry("i64", Long.MIN_VALUE).containsEntry("f32", (double) 1.5e-7f)
                    .containsEntry("f64", Math.PI).containsEntry("yes", true).containsEntry("no", false)
                    .containsEntry("text", UNICODE).containsEntry("empty", "");
            assertThat(m.typeOf("u8")).isEqualTo(GgufValueType.UINT8);
            assertThat(m.typeOf("i8")).isEqualTo(GgufValueType.INT8);
            assertThat(m.typeOf("u16")).isEqualTo(GgufValueType.UINT16);
            assertThat(m.typeOf("i16")).isEqualTo(GgufValueType.INT16);
            assertThat(m.typeOf("u32")).isEqualTo(GgufValueType.UINT32);
            assertThat(m.typeOf("i32")).isEqualTo(GgufValueType.INT32);
            assertThat(m.typeOf("u64")).isEqualTo(GgufValueType.UINT64);
            assertThat(m.typeOf("i64")).isEqualTo(GgufValueType.INT64);
            assertThat(m.typeOf("f32")).isEqualTo(GgufValueType.FLOAT32);
            assertThat(m.typeOf("f64")).isEqualTo(GgufValueType.FLOAT64);
            assertThat(m.typeOf("yes")).isEqualTo(GgufValueType.BOOL);
            assertThat(m.typeOf("text")).isEqualTo(GgufValueType.STRING);
            assertThat(f.tensorInfos()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void arraysOfEveryTypeNestedAndEmptyRoundTrip(int version) {
        Map<String, GgufArray> arrays = new java.util.LinkedHashMap<>();
        arrays.put("a.u8", new GgufArray(GgufValueType.UINT8, new long[] {0, 1, 255}));
        arrays.put("a.i8", new GgufArray(GgufValueType.INT8, new long[] {-128, 0, 127}));
        arrays.put("a.u16", new GgufArray(GgufValueType.UINT16, new long[] {0, 65535}));
        arrays.put("a.i16", new GgufArray(GgufValueType.INT16, new long[] {-32768, 32767}));
        arrays.put("a.u32", new GgufArray(GgufValueType.UINT32, new long[] {0, 0xFFFF_FFFFL}));
        arrays.put("a.i32", new GgufArray(GgufValueType.INT32, new long[] {Integer.MIN_VALUE, -1, Integer.MAX_VALUE}));
        arrays.put("a.u64", new GgufArray(GgufValueType.UINT64, new long[] {0, -1L}));
        arrays.put("a.i64", new GgufArray(GgufValueType.INT64, new long[] {Long.MIN_VALUE, Long.MAX_VALUE}));
        arrays.put("a.f32", new GgufArray(GgufValueType.FLOAT32, new float[] {-0.0f, Float.MIN_VALUE, Float.NaN, Float.POSITIVE_INFINITY}));
        arrays.put("a.f64", new GgufArray(GgufValueType.FLOAT64, new double[] {Double.MAX_VALUE, -1e-300}));
        arrays.put("a.bool", new GgufArray(GgufValueType.BOOL, new boolean[] {true, false, true}));
        arrays.put("a.str", new GgufArray(GgufValueType.STRING, new String[] {UNICODE, "", "<0x0A>", "▁the"}));
        for (GgufValueType t : GgufValueType.values()) {
            arrays.put("empty." + t.name().toLowerCase(), new GgufArray(t, emptyValuesOf(t)));
        }
        GgufArray inner = new GgufArray(GgufValueType.STRING, new String[] {"x", "y"});
        arrays.put("nested", new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                inner,
                new GgufArray(GgufValueType.INT32, new long[] {1, 2, 3}),
                new GgufArray(GgufValueType.ARRAY, new GgufArray[] {new GgufArray(GgufValueType.BOOL, new boolean[] {true})}),
                new GgufArray(GgufValueType.FLOAT32, new float[0])}));
        arrays.put("nested.empties", new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                new GgufArray(GgufValueType.ARRAY, new GgufArray[0]), new GgufArray(GgufValueType.STRING, new String[0])}));

        Path file = dir.resolve("arrays.gguf");
        try (GgufWriter w = GgufWriter.create(file, version)) {
            arrays.forEach(w::putArray);
        }
        try (GgufFile f = GgufFile.open(file)) {
            assertThat(f.metadata().asMap()).containsExactlyEntriesOf(arrays);
            arrays.keySet().forEach(k -> assertThat(f.metadata().typeOf(k)).isEqualTo(GgufValueType.ARRAY));
        }
    }

    @Test
    void convenienceArrayPutsAreReadBackByTheTypedGetters() {
        Path file = dir.resolve("vocab.gguf");
        try (GgufWriter w = GgufWriter.create(file)) {
            w.putStrings("tokenizer.ggml.tokens", "<unk>", "<s>", "é").putInt32s("tokenizer.ggml.token_type", 2, 3, -1)
                    .putFloat32s("tokenizer.ggml.scores", 0f, -1.5f, 3.25f);
        }
        try (GgufFile f = GgufFile.open(file)) {
            assertThat(f.metadata().strings("tokenizer.ggml.tokens")).containsExactly("<unk>", "<s>", "é");
            assertThat(f.metadata().ints("tokenizer.ggml.token_type")).containsExactly(2, 3, -1);
            assertThat(f.metadata().floats("tokenizer.ggml.scores")).containsExactly(0f, -1.5f, 3.25f);
            assertThat(f.metadata().array("tokenizer.ggml.token_type").elementType()).isEqualTo(GgufValueType.INT32);
        }
    }

    @Test
    void puttingAKeyTwiceKeepsItsPositionAndTheLastValue() {
        Path file = dir.resolve("replace.gguf");
        try (GgufWriter w = GgufWriter.create(file)) {
            w.putString("a", "first").putUint32("b", 1).putString("a", "second").putUint32("c", 3).remove("c");
        }
        try (GgufFile f = GgufFile.open(file)) {
            assertThat(f.metadata().asMap()).containsExactly(Map.entry("a", "second"), Map.entry("b", 1L));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 32, 64, 4096})
    void tensorDataIsAlignedToGeneralAlignmentAndReadBackByteExact(long alignment) throws IOException {
        SplittableRandom random = new SplittableRandom(alignment);
        List<Spec> specs = List.of(
                new Spec("a.f32", GgmlType.F32, new long[] {5, 3}),
                new Spec("b.q8_0", GgmlType.Q8_0, new long[] {64, 2}),
                new Spec("c.f16", GgmlType.F16, new long[] {7}),
                new Spec("d.q4_k", GgmlType.Q4_K, new long[] {256, 1, 1, 2}),
                new Spec("e.i8", GgmlType.I8, new long[] {3}));
        Map<String, byte[]> data = new java.util.HashMap<>();
        Path file = dir.resolve("tensors-" + alignment + ".gguf");
        List<GgufTensorInfo> written;
        try (GgufWriter w = GgufWriter.create(file)) {
            w.putString("general.architecture", "test");
            if (alignment != 32) {
                w.putUint32("general.alignment", alignment);
            }
            for (Spec s : specs) {
                w.addTensor(s.name(), s.type(), s.shape());
            }
            written = w.writeHeader();
            for (Spec s : specs) {
                byte[] bytes = new byte[(int) s.type().byteSize(product(s.shape()))];
                random.nextBytes(bytes);
                data.put(s.name(), bytes);
                w.writeTensor(s.name(), bytes);
            }
        }

        long expectedOffset = 0;
        for (int i = 0; i < specs.size(); i++) {
            assertThat(written.get(i).offset()).as("offset of %s", specs.get(i).name()).isEqualTo(expectedOffset);
            expectedOffset += alignUp(written.get(i).byteSize(), alignment);
        }
        byte[] whole = Files.readAllBytes(file);
        try (GgufFile f = GgufFile.open(file)) {
            assertThat(f.alignment()).isEqualTo(alignment);
            assertThat(f.dataOffset() % alignment).isZero();
            assertThat(whole.length).isEqualTo(f.dataOffset() + expectedOffset);
            assertThat(f.tensorInfos().keySet()).containsExactly("a.f32", "b.q8_0", "c.f16", "d.q4_k", "e.i8");
            for (int i = 0; i < specs.size(); i++) {
                Spec s = specs.get(i);
                GgufTensorInfo info = f.tensorInfos().get(s.name());
                assertThat(info.type()).isEqualTo(s.type());
                assertThat(info.shape()).containsExactly(s.shape());
                assertThat(info.offset()).isEqualTo(written.get(i).offset());
                assertThat(f.tensor(s.name()).data().toArray(ValueLayout.JAVA_BYTE)).as(s.name()).isEqualTo(data.get(s.name()));
                long end = f.dataOffset() + info.offset() + info.byteSize();
                long paddedEnd = f.dataOffset() + alignUp(info.offset() + info.byteSize(), alignment);
                for (long p = end; p < paddedEnd; p++) {
                    assertThat(whole[(int) p]).as("padding byte %d after %s", p, s.name()).isZero();
                }
            }
        }
    }

    @Test
    void aTensorWrittenInPartsEqualsTheWholeAndFloatsAreLittleEndian() {
        Path file = dir.resolve("parts.gguf");
        float[] values = new float[3 * 1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25f - 7;
        }
        byte[] bytes = new byte[1000];
        new SplittableRandom(7).nextBytes(bytes);
        try (GgufWriter w = GgufWriter.create(file)) {
            w.addTensor("floats", GgmlType.F32, 1000, 3).addTensor("bytes", GgmlType.I8, 1000);
            w.writeTensor("floats", values);
            MemorySegment segment = MemorySegment.ofArray(bytes);
            w.writeTensor("bytes", segment.asSlice(0, 1));
            w.writeTensor("bytes", segment.asSlice(1, 599));
            w.writeTensor("bytes", segment.asSlice(600, 0));
            w.writeTensor("bytes", MemorySegment.ofArray(bytes.clone()).asSlice(600).asReadOnly());
        }
        try (GgufFile f = GgufFile.open(file)) {
            MemorySegment floats = f.tensor("floats").data();
            for (int i = 0; i < values.length; i++) {
                assertThat(floats.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i)).isEqualTo(values[i]);
            }
            assertThat(f.tensor("bytes").data().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(bytes);
        }
    }

    @Test
    void aNonByteHeapSegmentIsWrittenAsItsBytes() {
        Path file = dir.resolve("int-heap.gguf");
        int[] ints = {1, -2, 0x01020304, Integer.MIN_VALUE};
        try (GgufWriter w = GgufWriter.create(file)) {
            w.addTensor("ints", GgmlType.I32, 4);
            w.writeTensor("ints", MemorySegment.ofArray(ints));
        }
        try (GgufFile f = GgufFile.open(file)) {
            assertThat(f.tensor("ints").data().toArray(ValueLayout.JAVA_INT)).containsExactly(ints);
        }
    }

    @Test
    void rewritingTheRealModelReproducesItByteForByte() throws IOException {
        Path real = Path.of(System.getProperty("gantry.shared"), "models", "stories260K.gguf");
        Path copy = dir.resolve("copy.gguf");
        try (GgufFile source = GgufFile.open(real); GgufWriter w = GgufWriter.create(copy, source.version())) {
            w.putAll(source.metadata());
            source.tensorInfos().values().forEach(t -> w.addTensor(t.name(), t.type(), t.shape()));
            for (GgufTensorInfo t : source.tensorInfos().values()) {
                w.writeTensor(t.name(), source.tensor(t.name()).data());
            }
        }
        assertThat(Files.mismatch(real, copy)).isEqualTo(-1L);
    }

    @Test
    void theTargetIsReplacedOnlyWhenTheFileIsComplete() throws IOException {
        Path file = dir.resolve("model.gguf");
        Files.writeString(file, "old");
        GgufWriter w = GgufWriter.create(file);
        w.addTensor("t", GgmlType.F32, 4).addTensor("u", GgmlType.F32, 4);
        w.writeTensor("t", new float[4]);
        assertThat(Files.readString(file)).isEqualTo("old");
        assertThat(dir.resolve("model.gguf.partial")).exists();
        assertThatThrownBy(w::close).isInstanceOf(IllegalStateException.class).hasMessage(file
                + ": closed before all tensors were written: tensor 'u' is incomplete (0 of 16 bytes written) and 0 after it were never written");
        assertThat(Files.readString(file)).isEqualTo("old");
        assertThat(dir.resolve("model.gguf.partial")).doesNotExist();

        try (GgufWriter w2 = GgufWriter.create(file)) {
            w2.addTensor("t", GgmlType.F32, 4);
            w2.writeTensor("t", new float[] {1, 2, 3, 4});
        }
        try (GgufFile f = GgufFile.open(file)) {
            assertThat(f.tensorInfos()).containsOnlyKeys("t");
        }
        assertThat(dir.resolve("model.gguf.partial")).doesNotExist();
    }

    @Test
    void tensorsMustBeWrittenInOrderAndExactlyToTheirSize() {
        Path file = dir.resolve("order.gguf");
        try (GgufWriter w = GgufWriter.create(file)) {
            w.addTensor("first", GgmlType.F32, 2).addTensor("second", GgmlType.F16, 2);
            assertThatThrownBy(() -> w.writeTensor("second", new byte[4])).isInstanceOf(IllegalStateException.class)
                    .hasMessage(file + ": cannot write tensor 'second': tensors are written in declaration order and the next one is 'first'");
            assertThatThrownBy(() -> w.writeTensor("third", new byte[4])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": tensor 'third' was not declared");
            w.writeTensor("first", new byte[4]);
            assertThatThrownBy(() -> w.writeTensor("second", new byte[4])).isInstanceOf(IllegalStateException.class)
                    .hasMessage(file + ": cannot write tensor 'second': tensor 'first' is incomplete (4 of 8 bytes written)");
            assertThatThrownBy(() -> w.writeTensor("first", new byte[5])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": tensor 'first' takes 8 bytes (F32 [2]); 4 are written, so 5 more would overrun it");
            w.writeTensor("first", new byte[4]);
            assertThatThrownBy(() -> w.writeTensor("second", new float[1])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": tensor 'second' is F16, not F32: write its bytes instead");
            w.writeTensor("second", new byte[4]);
            assertThatThrownBy(() -> w.writeTensor("second", new byte[1])).isInstanceOf(IllegalStateException.class)
                    .hasMessage(file + ": tensor 'second' is already written (every declared tensor is)");
            assertThatThrownBy(() -> w.putString("late", "x")).isInstanceOf(IllegalStateException.class)
                    .hasMessage(file + ": metadata and tensors must be declared before the header is written");
        }
    }

    @Test
    void invalidDeclarationsAreRefusedWithTheReason() {
        Path file = dir.resolve("bad.gguf");
        assertThatThrownBy(() -> GgufWriter.create(file, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": GGUF version must be 2 or 3, got 1");
        try (GgufWriter w = GgufWriter.create(file)) {
            assertThatThrownBy(() -> w.putUint32("general.alignment", 48)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": general.alignment must be a power of two up to 2^31, got 48");
            assertThatThrownBy(() -> w.putUint32("general.alignment", 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": general.alignment must be a power of two up to 2^31, got 0");
            assertThatThrownBy(() -> w.putString("general.alignment", "32")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": general.alignment must be an integer (UINT32), got STRING");
            assertThatThrownBy(() -> w.putUint8("k", 256)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": metadata key 'k' = 256 does not fit UINT8");
            assertThatThrownBy(() -> w.putUint32("k", -1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": metadata key 'k' = -1 does not fit UINT32");
            assertThatThrownBy(() -> w.putArray("k", new GgufArray(GgufValueType.INT16, new long[] {1, 40000})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(file + ": metadata key 'k'[1] = 40000 does not fit INT16");
            assertThatThrownBy(() -> w.putArray("k", new GgufArray(GgufValueType.UINT32, new float[1])))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": metadata key 'k' is a UINT32 array, which needs long[] values, not float[]");
            assertThatThrownBy(() -> w.put("k", GgufValueType.INT32, 1.5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": metadata key 'k' is declared INT32 but its value is a Double");
            assertThatThrownBy(() -> w.putString("k", "bad \uD800 surrogate")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(file + ": metadata key 'k' value 'bad ");
            assertThatThrownBy(() -> w.putString("", "x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": metadata key must not be empty");
            GgufArray deep = new GgufArray(GgufValueType.INT8, new long[0]);
            for (int i = 0; i < GgufFile.MAX_NESTING; i++) {
                deep = new GgufArray(GgufValueType.ARRAY, new GgufArray[] {deep});
            }
            GgufArray tooDeep = deep;
            assertThatThrownBy(() -> w.putArray("deep", tooDeep)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": metadata key 'deep'[0][0][0][0][0][0][0][0] nests arrays deeper than 8");
            assertThatThrownBy(() -> w.addTensor("x".repeat(64), GgmlType.F32, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": tensor name '" + "x".repeat(64) + "' is longer than 63 bytes");
            assertThatThrownBy(() -> w.addTensor("q", GgmlType.Q4_0, 48)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": tensor 'q' row length 48 is not a multiple of the Q4_0 block size 32");
            assertThatThrownBy(() -> w.addTensor("z", GgmlType.F32, 4, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": tensor 'z' has invalid dimension 0");
            assertThatThrownBy(() -> w.addTensor("five", GgmlType.F32, 1, 1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": tensor 'five' has 5 dimensions (1 to 4 allowed)");
            assertThatThrownBy(() -> w.addTensor("huge", GgmlType.F32, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(file + ": tensor 'huge' is too large");
            w.addTensor("t", GgmlType.F32, 1);
            assertThatThrownBy(() -> w.addTensor("t", GgmlType.F32, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": tensor 't' is declared twice");
            w.writeTensor("t", new float[1]);
        }
    }

    @Test
    void deepestAllowedNestingRoundTrips() {
        GgufArray deep = new GgufArray(GgufValueType.INT8, new long[] {-1});
        for (int i = 1; i < GgufFile.MAX_NESTING; i++) {
            deep = new GgufArray(GgufValueType.ARRAY, new GgufArray[] {deep});
        }
        Path file = dir.resolve("deep.gguf");
        try (GgufWriter w = GgufWriter.create(file)) {
            w.putArray("deep", deep);
        }
        try (GgufFile f = GgufFile.open(file)) {
            assertThat(f.metadata().array("deep")).isEqualTo(deep);
        }
    }

    private record Spec(String name, GgmlType type, long[] shape) {
    }

    private static Object emptyValuesOf(GgufValueType t) {
        return switch (t) {
            case FLOAT32 -> new float[0];
            case FLOAT64 -> new double[0];
            case BOOL -> new boolean[0];
            case STRING -> new String[0];
            case ARRAY -> new GgufArray[0];
            default -> new long[0];
        };
    }

    private static long product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static long alignUp(long v, long alignment) {
        return (v + alignment - 1) / alignment * alignment;
    }
}
