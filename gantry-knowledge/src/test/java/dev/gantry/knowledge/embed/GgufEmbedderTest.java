package dev.gantry.knowledge.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.knowledge.KnowledgeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine-backed embedder on all-MiniLM-L6-v2 F16: llama.cpp's vectors for documents and queries alike, its own
 * WordPiece counting chunk tokens, 510 tokens of room inside MiniLM's 512 positions, clear errors past them, and
 * the catalog naming it {@code gguf:<file name>}.
 */
class GgufEmbedderTest {

    private static final Path SHARED = Path.of(System.getProperty("gantry.shared", "../../shared"));
    private static final Path MINILM = SHARED.resolve("models/embed/all-MiniLM-L6-v2-f16.gguf");
    private static GgufEmbedder embedder;

    @BeforeAll
    static void open() {
        embedder = GgufEmbedder.open(MINILM, 2, GgufEmbedder.MINILM_CALIBRATION);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void describesTheModel() {
        assertThat(embedder.id()).isEqualTo("gguf:all-MiniLM-L6-v2-f16");
        assertThat(embedder.dimension()).isEqualTo(384);
        assertThat(embedder.maxInputTokens()).isEqualTo(510);
        assertThat(embedder.calibration()).isEqualTo(GgufEmbedder.MINILM_CALIBRATION);
        // llama.cpp's ids for this text are [CLS] + 7 word pieces + [SEP]
        assertThat(embedder.count("The capital of France is Paris.")).isEqualTo(7);
    }

    @Test
    void documentsAndQueriesGetLlamaCppsVectors() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> refs = Files.readAllLines(SHARED.resolve("reference/embeddings-llamacpp.jsonl")).stream()
                .map(line -> {
                    try {
                        return json.readTree(line);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .filter(n -> n.get("model").asText().equals("all-MiniLM-L6-v2-f16.gguf")).toList();
        List<float[]> docs = embedder.embedDocuments(refs.stream().map(n -> n.get("input").asText()).toList());
        for (int i = 0; i < refs.size(); i++) {
            float[] expected = json.convertValue(refs.get(i).get("embedding"), float[].class);
            assertThat(cosine(docs.get(i), expected)).isGreaterThanOrEqualTo(0.9999);
        }
        float[] query = embedder.embedQuery(refs.getFirst().get("input").asText());
        assertThat(cosine(query, docs.getFirst())).isGreaterThan(0.99999);
        assertThat(embedder.embedDocuments(List.of())).isEmpty();
    }

    @Test
    void theSameSentenceModelAsTheInt8OnnxCopyGivesNearlyTheSameVectors() {
        InProcessEmbedder onnx = new InProcessEmbedder(InProcessEmbedder.Model.ALL_MINILM_L6_V2_Q);
        List<String> texts = List.of("How do I reset my password?", "Quarterly revenue grew 12% year over year.",
                "Kubernetes autoscaling adds replicas when CPU or queue depth rises.");
        List<float[]> ours = embedder.embedDocuments(texts);
        List<float[]> theirs = onnx.embedDocuments(texts);
        for (int i = 0; i < texts.size(); i++) {
            // int8 weights against F16 ones: close, not equal
            assertThat(cosine(ours.get(i), theirs.get(i))).as(texts.get(i)).isGreaterThan(0.95);
        }
        assertThat(embedder.count("Ünïcödé, naïve café")).isEqualTo(onnx.count("Ünïcödé, naïve café"));
    }

    @Test
    void textsLongerThanTheModelAreRefusedNotTruncated() {
        String longText = "word ".repeat(600);
        assertThatThrownBy(() -> embedder.embedQuery(longText)).isInstanceOf(KnowledgeException.class)
                .hasMessageContaining("the query has 602 tokens").hasMessageContaining("at most 512");
        assertThatThrownBy(() -> embedder.embedDocuments(List.of("short", longText)))
                .hasMessageContaining("chunk 1 has 602 tokens");
    }

    @Test
    void theCatalogOpensARegisteredGgufFileOnFirstUse() {
        EmbedderCatalog catalog = EmbedderCatalog.of(new FixedEmbedder()).withGguf(MINILM, 1, GgufEmbedder.MINILM_CALIBRATION);
        assertThat(catalog.ids()).containsExactly("fixed", "gguf:all-MiniLM-L6-v2-f16");
        assertThat(catalog.defaultId()).isEqualTo("fixed");
        assertThat(catalog.withDefault("gguf:all-MiniLM-L6-v2-f16").defaultId()).isEqualTo("gguf:all-MiniLM-L6-v2-f16");
        Embedder found = catalog.find("gguf:all-MiniLM-L6-v2-f16").orElseThrow();
        try {
            assertThat(found.dimension()).isEqualTo(384);
            assertThat(catalog.find("gguf:all-MiniLM-L6-v2-f16")).containsSame(found);
            assertThat(catalog.find("gguf:/etc/passwd")).isEmpty();
            assertThatThrownBy(() -> catalog.withGguf(MINILM, 1, GgufEmbedder.MINILM_CALIBRATION))
                    .hasMessageContaining("already");
        } finally {
            ((GgufEmbedder) found).close();
        }
    }

    /** A trivial embedder, so the catalog has a non-GGUF default. */
    private static final class FixedEmbedder implements Embedder {
        @Override
        public String id() {
            return "fixed";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public int maxInputTokens() {
            return 100;
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            return texts.stream().map(t -> new float[] {1, 0}).toList();
        }

        @Override
        public float[] embedQuery(String query) {
            return new float[] {1, 0};
        }

        @Override
        public RetrievalCalibration calibration() {
            return new RetrievalCalibration(0.5, 1);
        }

        @Override
        public int count(String text) {
            return text.length();
        }
    }
}
