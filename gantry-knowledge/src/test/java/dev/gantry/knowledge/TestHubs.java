package dev.gantry.knowledge;

import dev.gantry.knowledge.embed.Embedder;
import dev.gantry.knowledge.embed.EmbedderCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Test helpers: a hub over a temporary directory with the hashing embedder, and text documents. */
final class TestHubs {
    private TestHubs() {
    }

    static KnowledgeHub hashing(Path root) {
        return hub(root, new HashingEmbedder());
    }

    static KnowledgeHub hub(Path root, Embedder embedder) {
        return KnowledgeHub.open(KnowledgeConfig.of(root, EmbedderCatalog.of(embedder)));
    }

    static DocumentInput text(String name, String content) {
        return DocumentInput.of(name, null, content.getBytes(StandardCharsets.UTF_8));
    }

    static List<DocumentOutcome> ingest(KnowledgeHub hub, String tenant, String collection, DocumentInput... docs)
            throws InterruptedException {
        return hub.ingest(tenant, collection, List.of(docs)).await();
    }
}
