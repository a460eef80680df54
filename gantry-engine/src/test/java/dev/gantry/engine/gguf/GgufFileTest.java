package dev.gantry.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GgufFileTest {

    private static final Path STORIES = Path.of(System.getProperty("gantry.shared"), "models", "stories260K.gguf");
    private static final long STORIES_SIZE = 1_185_376;
    private static final long STORIES_DATA_OFFSET = 14_176;

    @TempDir
    Path dir;

    @Test
    void storiesOpensAsALlamaWithItsHyperparameters() {
        try (GgufFile f = GgufFile.open(STORIES)) {
            GgufMetadata m = f.metadata();
            assertThat(f.version()).isEqualTo(3);
            assertThat(f.alignment()).isEqualTo(32);
            assertThat(f.dataOffset()).isEqualTo(STORIES_DATA_OFFSET);
            assertThat(m.string("general.architecture")).isEqualTo("llama");
            assertThat(m.string("tokenizer.ggml.model")).isEqualTo("llama");
            assertThat(m.int32("llama.embedding_length")).isEqualTo(64);
            assertThat(m.int32("llama.block_count")).isEqualTo(5);
            assertThat(m.int32("llama.feed_forward_length")).isEqualTo(172);
            assertThat(m.int32("llama.attention.head_count")).isEqualTo(8);
            assertThat(m.int32("llama.attention.head_count_kv")).isEqualTo(4);
            assertThat(m.int32("llama.context_length")).isEqualTo(2048);
            assertThat(m.int32("llama.rope.dimension_count")).isEqualTo(8);
            assertThat(m.number("llama.attention.layer_norm_rms_epsilon")).isEqualTo((double) 1e-5f);
            assertThat(m.typeOf("llama.attention.layer_norm_rms_epsilon")).isEqualTo(GgufValueType.FLOAT32);
            assertThat(m.integer("tokenizer.ggml.bos_token_id")).isEqualTo(1);
            assertThat(m.integer("tokenizer.ggml.eos_token_id")).isEqualTo(2);
            assertThat(m.integer("tokenizer.ggml.padding_token_id")).isEqualTo(0xFFFF_FFFFL);
            assertThat(m.asMap()).hasSize(19);
        }
    }

    @Test
    void storiesHasAVocabularyOf512Strings() {
        try (GgufFile f = GgufFile.open(STORIES)) {
            String[] tokens = f.metadata().strings("tokenizer.ggml.tokens");
            assertThat(tokens).hasSize(512);
            assertThat(Arrays.copyOf(tokens, 4)).containsExactly("<unk>", "<s>", "</s>", "<0x00>");
            assertThat(tokens[13]).isEqualTo("<0x0A>");
            assertThat(tokens[259]).isEqualTo("▁t");
            assertThat(tokens[260]).isEqualTo("he");
            assertThat(f.metadata().floats("tokenizer.ggml.scores")).hasSize(512).contains(-41f, org.assertj.core.data.Index.atIndex(300));
            assertThat(f.metadata().ints("tokenizer.ggml.token_type")).hasSize(512).startsWith(2, 3, 3, 6);
        }
    }

    @Test
    void storiesListsItsTensorsInFileOrderWithTypesShapesAndOffsets() {
        List<String> expected = new ArrayList<>(List.of("token_embd.weight", "output_norm.weight", "output.weight"));
        for (int layer = 0; layer < 5; layer++) {
            for (String t : List.of("attn_q", "attn_k", "attn_v", "attn_output", "attn_norm", "ffn_gate", "ffn_down", "ffn_up", "ffn_norm")) {
                expected.add("blk." + layer + "." + t + ".weight");
            }
        }
        try (GgufFile f = GgufFile.open(STORIES)) {
            assertThat(f.tensorInfos().keySet()).containsExactlyElementsOf(expected);
            assertThat(f.tensorInfos().values()).allSatisfy(t -> assertThat(t.type()).isEqualTo(GgmlType.F32));
            assertThat(shape(f, "token_embd.weight")).containsExactly(64, 512);
            assertThat(shape(f, "output.weight")).containsExactly(64, 512);
            assertThat(shape(f, "output_norm.weight")).containsExactly(64);
            assertThat(shape(f, "blk.0.attn_q.weight")).containsExactly(64, 64);
            assertThat(shape(f, "blk.2.attn_k.weight")).containsExactly(64, 32);
            assertThat(shape(f, "blk.3.attn_v.weight")).containsExactly(64, 32);
            assertThat(shape(f, "blk.4.ffn_gate.weight")).containsExactly(64, 172);
            assertThat(shape(f, "blk.4.ffn_down.weight")).containsExactly(172, 64);
            assertThat(shape(f, "blk.1.ffn_norm.weight")).containsExactly(64);
            assertThat(f.tensorInfos().get("output.weight").offset()).isEqualTo(131_328);
            GgufTensorInfo last = f.tensorInfos().get("blk.4.ffn_norm.weight");
            assertThat(f.dataOffset() + last.offset() + last.byteSize()).isEqualTo(STORIES_SIZE);
        }
    }

    @Test
    void tensorDataIsTheFileBytesAtDataOffsetPlusOffset() throws IOException {
        byte[] whole = Files.readAllBytes(STORIES);
        try (GgufFile f = GgufFile.open(STORIES)) {
            for (GgufTensorInfo info : f.tensorInfos().values()) {
                Tensor t = f.tensor(info.name());
                int from = (int) (f.dataOffset() + info.offset());
                assertThat(t.data().toArray(ValueLayout.JAVA_BYTE)).as(info.name())
                        .isEqualTo(Arrays.copyOfRange(whole, from, from + (int) info.byteSize()));
            }
            assertThat(f.tensor("output_norm.weight").data().get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0))
                    .isEqualTo(2.458309f);
        }
    }

    @Test
    void missingOrWronglyTypedKeysAndTensorsFailNamingFileAndKey() {
        try (GgufFile f = GgufFile.open(STORIES)) {
            GgufMetadata m = f.metadata();
            String p = STORIES + ": ";
            assertThatThrownBy(() -> m.string("general.nope")).isInstanceOf(GgufException.class).hasMessage(p + "missing metadata key 'general.nope'");
            assertThatThrownBy(() -> m.integer("llama.nope")).isInstanceOf(GgufException.class).hasMessage(p + "missing metadata key 'llama.nope'");
            assertThatThrownBy(() -> m.number("llama.nope")).isInstanceOf(GgufException.class).hasMessage(p + "missing metadata key 'llama.nope'");
            assertThatThrownBy(() -> m.strings("tokens.nope")).isInstanceOf(GgufException.class).hasMessage(p + "missing metadata key 'tokens.nope'");
            assertThatThrownBy(() -> m.bool("nope")).isInstanceOf(GgufException.class).hasMessage(p + "missing metadata key 'nope'");
            assertThatThrownBy(() -> m.string("llama.block_count")).isInstanceOf(GgufException.class)
                    .hasMessage(p + "metadata key 'llama.block_count' should be a string but is UINT32");
            assertThatThrownBy(() -> m.integer("general.architecture")).isInstanceOf(GgufException.class)
                    .hasMessage(p + "metadata key 'general.architecture' should be an integer but is STRING");
            assertThatThrownBy(() -> m.integer("llama.attention.layer_norm_rms_epsilon")).isInstanceOf(GgufException.class)
                    .hasMessage(p + "metadata key 'llama.attention.layer_norm_rms_epsilon' should be an integer but is FLOAT32");
            assertThatThrownBy(() -> m.strings("tokenizer.ggml.scores")).isInstanceOf(GgufException.class)
                    .hasMessage(p + "metadata key 'tokenizer.ggml.scores' should be an array of strings but is an ARRAY of FLOAT32");
            assertThatThrownBy(() -> m.array("general.name")).isInstanceOf(GgufException.class)
                    .hasMessage(p + "metadata key 'general.name' should be an array but is STRING");
            assertThatThrownBy(() -> m.int32("tokenizer.ggml.padding_token_id")).isInstanceOf(GgufException.class)
                    .hasMessage(p + "metadata key 'tokenizer.ggml.padding_token_id' is out of range: 4294967295");
            assertThatThrownBy(() -> m.bool("general.name", false)).isInstanceOf(GgufException.class)
                    .hasMessage(p + "metadata key 'general.name' should be a boolean but is STRING");
            assertThat(m.integer("general.nope", 7)).isEqualTo(7);
            assertThatThrownBy(() -> f.tensor("blk.9.attn_q.weight")).isInstanceOf(GgufException.class)
                    .hasMessage(p + "missing tensor 'blk.9.attn_q.weight'");
        }
    }

    @Test
    void aTextFileIsNotAGgufFile() throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "hello, this is not a model\n");
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(GgufException.class)
                .hasMessage(file + ": not a GGUF file: it starts with \"hell\", not \"GGUF\"");
        Path binary = dir.resolve("zeros.bin");
        Files.write(binary, new byte[] {0, (byte) 0xff, '"', 'G', 1, 2});
        assertThatThrownBy(() -> GgufFile.open(binary)).isInstanceOf(GgufException.class)
                .hasMessage(binary + ": not a GGUF file: it starts with \"\\x00\\xff\\x22G\", not \"GGUF\"");
    }

    @Test
    void anEmptyFileAMissingFileAndADirectoryAreNamed() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.gguf"));
        assertThatThrownBy(() -> GgufFile.open(empty)).isInstanceOf(GgufException.class)
                .hasMessage(empty + ": empty file (0 bytes), not a GGUF file");
        Path missing = dir.resolve("missing.gguf");
        assertThatThrownBy(() -> GgufFile.open(missing)).isInstanceOf(GgufException.class).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> GgufFile.open(dir)).isInstanceOf(GgufException.class).hasMessage(dir + ": is a directory, not a GGUF file");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 3, 4, 5, 8, 20, 24, 30, 60, 69, 1_000, 5_000, 13_000, 14_100, 14_175, 14_176, 14_177, 500_000, 1_185_375})
    void storiesCutAnywhereIsReportedAsTruncated(long length) throws IOException {
        Path cut = cut(length);
        assertThatThrownBy(() -> GgufFile.open(cut)).isInstanceOf(GgufException.class).hasMessageStartingWith(cut + ": truncated");
    }

    @Test
    void truncationMessagesSayWhereAndWhat() throws IOException {
        Path three = cut(3);
        assertThatThrownBy(() -> GgufFile.open(three)).hasMessage(three + ": truncated: the file is only 3 bytes, shorter than the GGUF header");
        Path twenty = cut(20);
        assertThatThrownBy(() -> GgufFile.open(twenty))
                .hasMessage(twenty + ": truncated: the file ends at byte 20 but the file header needs 8 bytes at byte 16");
        Path inKey = cut(40);
        assertThatThrownBy(() -> GgufFile.open(inKey)).hasMessage(inKey
                + ": truncated or corrupt: metadata entry 0 of 19 has a string of 21 bytes at byte 24 (8 bytes left in the file)");
        Path inVocab = cut(80);
        assertThatThrownBy(() -> GgufFile.open(inVocab)).hasMessage(inVocab
                + ": truncated or corrupt: metadata entry 0 of 19 'tokenizer.ggml.tokens' has an array of 512 STRING elements at byte 61 (11 bytes left in the file)");
        Path inData = cut(STORIES_SIZE - 1);
        assertThatThrownBy(() -> GgufFile.open(inData)).hasMessage(inData
                + ": truncated: tensor 'blk.4.ffn_norm.weight' needs bytes 1185120 to 1185376 but the file is 1185375 bytes");
    }

    @Test
    void anUnknownWeightTypeIdIsNamedWithItsTensor() throws IOException {
        byte[] bytes = Files.readAllBytes(STORIES);
        int typeAt = indexOf(bytes, "token_embd.weight") + "token_embd.weight".length() + 4 + 2 * 8;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(typeAt, 99);
        Path file = write("bad-type.gguf", bytes);
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(GgufException.class)
                .hasMessage(file + ": tensor 'token_embd.weight' has unknown weight type id 99");
    }

    @Test
    void unsupportedVersionsAreRefusedByNumber() throws IOException {
        byte[] bytes = Files.readAllBytes(STORIES);
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        le.putInt(4, 4);
        Path v4 = write("v4.gguf", bytes);
        assertThatThrownBy(() -> GgufFile.open(v4)).isInstanceOf(GgufException.class).hasMessage(v4 + ": unsupported GGUF version 4");
        le.putInt(4, 1);
        Path v1 = write("v1.gguf", bytes);
        assertThatThrownBy(() -> GgufFile.open(v1)).isInstanceOf(GgufException.class)
                .hasMessage(v1 + ": GGUF version 1 is not supported (re-convert the model with a current llama.cpp)");
        le.putInt(4, Integer.reverseBytes(3));
        Path big = write("big-endian.gguf", bytes);
        assertThatThrownBy(() -> GgufFile.open(big)).isInstanceOf(GgufException.class).hasMessage(big + ": big-endian GGUF files are not supported");
        le.putInt(4, 2);
        Path v2 = write("v2.gguf", bytes);
        try (GgufFile f = GgufFile.open(v2)) {
            assertThat(f.version()).isEqualTo(2);
            assertThat(f.tensorInfos()).hasSize(48);
        }
    }

    @Test
    void aMisalignedTensorOffsetAndABadAlignmentAreRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(STORIES);
        int offsetAt = indexOf(bytes, "output.weight") + "output.weight".length() + 4 + 2 * 8 + 4;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(offsetAt, 131_329);
        Path file = write("misaligned.gguf", bytes);
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(GgufException.class)
                .hasMessage(file + ": tensor 'output.weight' has misaligned offset 131329");

        Path odd = dir.resolve("odd-alignment.gguf");
        try (GgufWriter w = GgufWriter.create(odd)) {
            w.putUint32("general.alignment", 64);
        }
        byte[] small = Files.readAllBytes(odd);
        ByteBuffer.wrap(small).order(ByteOrder.LITTLE_ENDIAN).putInt(indexOf(small, "general.alignment") + 17 + 4, 48);
        Path bad = write("alignment-48.gguf", small);
        assertThatThrownBy(() -> GgufFile.open(bad)).isInstanceOf(GgufException.class)
                .hasMessage(bad + ": general.alignment must be a power of two, got 48");
    }

    private Path cut(long length) throws IOException {
        byte[] bytes = Files.readAllBytes(STORIES);
        return write("cut-" + length + ".gguf", Arrays.copyOf(bytes, (int) length));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static long[] shape(GgufFile f, String name) {
        return f.tensorInfos().get(name).shape();
    }

    private static int indexOf(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            // a GGUF string: the 8 bytes before it hold its length
            if (i >= 8 && ByteBuffer.wrap(haystack, i - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() == n.length) {
                return i;
            }
        }
        throw new AssertionError(needle + " not found");
    }
}
