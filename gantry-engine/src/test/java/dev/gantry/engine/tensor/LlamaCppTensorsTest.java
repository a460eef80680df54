package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.gguf.GgufTensorInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The formats against real tensors: {@code shared/models/tiny/tiny-llama-*.gguf} were all made by llama.cpp
 * ({@code llama-quantize}, no importance matrix) from the weights in {@code tiny-llama-f32.gguf}, so each quantized
 * tensor must decode close to its F32 original, and re-quantizing the original must give llama.cpp's bytes.
 */
class LlamaCppTensorsTest {

    /** Largest relative RMS error of a decoded tensor, per type: a wrong bit layout is far above these. */
    private static final Map<GgmlType, Double> MAX_ERROR = Map.of(
            GgmlType.F16, 5e-4, GgmlType.BF16, 4e-3, GgmlType.Q8_0, 0.008, GgmlType.Q6_K, 0.025,
            GgmlType.Q5_K, 0.05, GgmlType.Q4_K, 0.1, GgmlType.Q4_0, 0.12);

    private static GgufFile original;

    @BeforeAll
    static void openOriginal() {
        original = GgufFile.open(tiny("f32"));
    }

    @AfterAll
    static void closeOriginal() {
        original.close();
    }

    private static Path tiny(String kind) {
        return Path.of(System.getProperty("gantry.shared"), "models", "tiny", "tiny-llama-" + kind + ".gguf");
    }

    private static float[] decode(Tensor t) {
        float[] w = new float[Math.toIntExact(t.elementCount())];
        WeightFormat.of(t.type()).dequantize(t.data(), 0, w, 0, w.length);
        return w;
    }

    @ParameterizedTest
    @ValueSource(strings = {"f16", "bf16", "q8_0", "q4_0", "q4_k_m", "q5_k_m", "q6_k"})
    void everyTensorDecodesCloseToItsF32Original(String kind) {
        try (GgufFile file = GgufFile.open(tiny(kind))) {
            int checked = 0;
            for (GgufTensorInfo info : file.tensorInfos().values()) {
                if (info.type() == GgmlType.F32) {
                    continue;
                }
                float[] want = decode(original.tensor(info.name()));
                float[] got = decode(file.tensor(info.name()));
                assertThat(BlockBytes.relativeRmsError(want, got)).as("%s %s", kind, info)
                        .isLessThan(MAX_ERROR.get(info.type()));
                checked++;
            }
            assertThat(checked).isEqualTo(16);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"f16", "bf16", "q8_0", "q4_0", "q4_k_m", "q5_k_m", "q6_k"})
    void quantizingTheF32OriginalReproducesLlamaQuantizeByteForByte(String kind) {
        try (GgufFile file = GgufFile.open(tiny(kind)); Arena arena = Arena.ofConfined()) {
            for (GgufTensorInfo info : file.tensorInfos().values()) {
                if (info.type() == GgmlType.F32) {
                    continue;
                }
                Tensor theirs = file.tensor(info.name());
                float[] x = decode(original.tensor(info.name()));
                MemorySegment ours = arena.allocate(theirs.data().byteSize());
                Quantizer q = Quantizer.of(theirs.type());
                for (int r = 0; r < theirs.rows(); r++) {
                    q.quantize(x, r * theirs.cols(), ours, r * theirs.rowBytes(), theirs.cols());
                }
                long at = ours.mismatch(theirs.data());
                assertThat(at).as("%s %s: first differing byte", kind, info).isEqualTo(-1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"f32", "f16", "bf16", "q8_0", "q4_0", "q4_k_m", "q5_k_m", "q6_k"})
    void kernelDotsOnRealRowsMatchTheReference(String kind) {
        Random rnd = new Random(kind.hashCode());
        try (GgufFile file = GgufFile.open(tiny(kind))) {
            for (GgufTensorInfo info : file.tensorInfos().values()) {
                Tensor t = file.tensor(info.name());
                WeightFormat f = WeightFormat.of(t.type());
                float[] x = RandomBlocks.floats(t.cols(), rnd);
                for (int r = 0; r < t.rows(); r += Math.max(1, t.rows() / 7)) {
                    WeightFormatTest.assertDotMatchesReference(f, t.data(), r * t.rowBytes(), x, 0, t.cols());
                }
            }
        }
    }
}
