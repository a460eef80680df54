package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every vector of llama.cpp's embedding references, for every model file they name (all-MiniLM-L6-v2 in F16 and
 * Q8_0): Gantry's token ids are identical and its vectors unit length and within the README's cosine similarity
 * (0.9999 for F16, 0.999 for Q8_0), embedded one by one and as one batch (cosine > 0.99999 between the two).
 */
class EmbeddingsLlamaCppTest {

    @TestFactory
    Stream<DynamicTest> everyReferenceVectorMatches() {
        Map<String, List<EmbeddingReference>> byModel = new LinkedHashMap<>();
        for (EmbeddingReference r : EmbeddingReference.all()) {
            byModel.computeIfAbsent(r.model(), k -> new ArrayList<>()).add(r);
        }
        assertThat(byModel).isNotEmpty();
        return byModel.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> check(e.getValue())));
    }

    private static void check(List<EmbeddingReference> refs) {
        try (LocalModel model = LocalModel.open(refs.getFirst().modelPath(), 2)) {
            Embeddings embeddings = model.embeddings();
            List<int[]> ids = new ArrayList<>();
            for (EmbeddingReference r : refs) {
                int[] tokens = embeddings.tokenize(r.input());
                assertThat(tokens).as("token ids of '%s'", r.input()).containsExactly(r.tokenIds());
                ids.add(tokens);
            }
            List<float[]> batched = embeddings.embed(ids);
            double worst = 1;
            for (int i = 0; i < refs.size(); i++) {
                EmbeddingReference r = refs.get(i);
                float[] alone = embeddings.embed(List.of(ids.get(i))).getFirst();
                assertThat(alone).hasSize(r.embedding().length);
                assertThat(norm(alone)).as("norm").isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
                double cos = EmbeddingReference.cosine(alone, r.embedding());
                assertThat(cos).as("cosine to llama.cpp for '%s' (%s)", r.input(), r.model()).isGreaterThanOrEqualTo(r.minCosine());
                // Not bit-identical while the JIT warms up: the Vector API's lane reductions may sum in another order
                // once C2 compiles them (a warm JVM gives identical bits, batched or not).
                assertThat(EmbeddingReference.cosine(batched.get(i), alone)).as("batched vs alone for '%s'", r.input())
                        .isGreaterThan(0.99999);
                worst = Math.min(worst, Math.min(cos, EmbeddingReference.cosine(batched.get(i), r.embedding())));
            }
            System.out.printf("%s: %d vectors, worst cosine to llama.cpp %.7f%n", refs.getFirst().model(), refs.size(), worst);
        }
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
