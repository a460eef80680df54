package dev.gantry.knowledge;

import dev.gantry.knowledge.embed.Embedder;
import dev.gantry.knowledge.embed.GgufEmbedder;
import java.nio.file.Path;

/**
 * {@link KnowledgeRetrievalQualityTest}'s corpus, measures and bar with all-MiniLM-L6-v2 in F16 GGUF run by
 * Gantry's engine ({@link GgufEmbedder}) instead of the int8 ONNX model.
 */
class GgufRetrievalQualityTest extends KnowledgeRetrievalQualityTest {

    @Override
    Embedder embedder() {
        if (embedder == null) {
            Path shared = Path.of(System.getProperty("gantry.shared"));
            embedder = GgufEmbedder.open(shared.resolve("models/embed/all-MiniLM-L6-v2-f16.gguf"), 2,
                    GgufEmbedder.MINILM_CALIBRATION);
        }
        return embedder;
    }
}
