package dev.gantry.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.LocalModel;
import dev.gantry.engine.model.ModelConfig;
import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.WeightFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A synthetic model of a small shape loads as the Llama it describes, runs to finite logits, and tokenizes text. */
class SyntheticModelTest {

    static final SyntheticShape TINY = new SyntheticShape("tiny", 64, 2, 4, 2, 96, 600, 128, 1e-5f, 10000f);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(names = {"F16", "Q8_0", "Q4_0"})
    void writesALoadableLlamaOfTheShape(GgmlType type) {
        Path file = dir.resolve("tiny-" + type + ".gguf");
        SyntheticModel.write(file, TINY, type, 7, 2);
        try (LocalModel model = LocalModel.open(file, 2)) {
            ModelConfig c = model.config();
            assertThat(new int[] {c.dim(), c.layers(), c.heads(), c.kvHeads(), c.headDim(), c.ffnDim(), c.vocabSize(), c.contextLength()})
                    .containsExactly(64, 2, 4, 2, 16, 96, 600, 128);
            assertThat(c.normEps()).isEqualTo(1e-5f);
            assertThat(model.file().metadata().integer("general.file_type")).isEqualTo(LlamaFileType.forType(type).orElseThrow().id());
            assertThat(model.file().tensorInfos().get("blk.1.ffn_down.weight").type()).isEqualTo(type);
            assertThat(model.file().tensorInfos().get("blk.1.ffn_norm.weight").type()).isEqualTo(GgmlType.F32);
            int[] ids = model.tokenizer().encode("hello world, it is 42!", true, false);
            assertThat(ids[0]).isEqualTo(SyntheticVocabulary.BOS);
            assertThat(model.tokenizer().decode(java.util.Arrays.copyOfRange(ids, 1, ids.length))).isEqualTo("hello world, it is 42!");
            float[] logits = model.transformer().forward(ids, 0, model.transformer().newCache(ids.length), 1);
            assertThat(logits).hasSize(600);
            double sumSquares = 0;
            for (float v : logits) {
                assertThat(v).isFinite();
                sumSquares += v * v;
            }
            assertThat(sumSquares).as("logits are not all zero").isGreaterThan(0);
        }
    }

    @Test
    void weightsAreSeededAndScaled() throws IOException {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        Path c = dir.resolve("c.gguf");
        SyntheticModel.write(a, TINY, GgmlType.F16, 1, 1);
        SyntheticModel.write(b, TINY, GgmlType.F16, 1, 2);
        SyntheticModel.write(c, TINY, GgmlType.F16, 2, 2);
        assertThat(Files.mismatch(a, b)).as("same seed, any thread count: same bytes").isEqualTo(-1);
        assertThat(Files.mismatch(a, c)).isNotEqualTo(-1);
        try (GgufFile f = GgufFile.open(a)) {
            var t = f.tensor("blk.0.ffn_gate.weight");
            float[] w = new float[Math.toIntExact(t.elementCount())];
            WeightFormat.of(t.type()).dequantize(t.data(), 0, w, 0, w.length);
            double sum = 0;
            double squares = 0;
            for (float v : w) {
                sum += v;
                squares += v * v;
            }
            double mean = sum / w.length;
            double std = Math.sqrt(squares / w.length - mean * mean);
            assertThat(std).isBetween(0.019, 0.021);
            assertThat(Math.abs(mean)).isLessThan(0.002);
            var q = f.tensor("blk.0.attn_q.weight");
            float[] first = new float[64];
            WeightFormat.of(q.type()).dequantize(q.data(), 0, first, 0, 64);
            assertThat(first).as("tensors differ from each other").isNotEqualTo(java.util.Arrays.copyOf(w, 64));
        }
    }

    @Test
    void tinyLlamaShapesHaveItsParameterCount() {
        assertThat(SyntheticShape.named("llama-1b").parameterCount()).isEqualTo(1_100_048_384L);
        assertThat(SyntheticShape.LLAMA_1B.headDim()).isEqualTo(64);
        assertThatThrownBy(() -> SyntheticShape.named("llama-70b")).hasMessageContaining("unknown synthetic model 'llama-70b'").hasMessageContaining("llama-1b");
    }

    @Test
    void shapesThatCannotTakeTheTypeAreRefused() {
        SyntheticShape odd = new SyntheticShape("odd", 64, 1, 4, 2, 100, 300, 64, 1e-5f, 10000f);
        assertThatThrownBy(() -> SyntheticModel.write(dir.resolve("odd.gguf"), odd, GgmlType.Q4_0, 1, 1))
                .hasMessageContaining("rows of 100").hasMessageContaining("Q4_0");
        assertThat(dir.resolve("odd.gguf")).doesNotExist();
        assertThatThrownBy(() -> new SyntheticShape("bad", 64, 1, 4, 3, 64, 300, 64, 1e-5f, 10000f)).hasMessageContaining("kv heads");
    }
}
