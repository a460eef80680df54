package dev.gantry.knowledge;

import dev.gantry.knowledge.embed.EmbedderCatalog;
import java.nio.file.Path;

/**
 * How a {@link KnowledgeHub} is set up, built once at the edge (the app) and passed in.
 *
 * @param root             the knowledge directory ({@code <data-dir>/knowledge})
 * @param embedders        the embedding models collections may use
 * @param maxDocumentBytes documents larger than this are rejected
 * @param embedBatchSize   chunks per embedding call (also the granularity of chunk progress)
 * @param maxFinishedJobs  finished jobs kept for polling, oldest dropped first
 */
public record KnowledgeConfig(Path root, EmbedderCatalog embedders, long maxDocumentBytes, int embedBatchSize,
                              int maxFinishedJobs) {
    public static final long DEFAULT_MAX_DOCUMENT_BYTES = 64L * 1024 * 1024;

    public KnowledgeConfig {
        if (root == null || embedders == null) {
            throw new IllegalArgumentException("root and embedders are required");
        }
        if (maxDocumentBytes < 1 || embedBatchSize < 1 || maxFinishedJobs < 1) {
            throw new IllegalArgumentException("maxDocumentBytes, embedBatchSize and maxFinishedJobs must be >= 1");
        }
    }

    /** Defaults: 64 MiB documents, batches of 32 chunks, 1000 finished jobs remembered. */
    public static KnowledgeConfig of(Path root, EmbedderCatalog embedders) {
        return new KnowledgeConfig(root, embedders, DEFAULT_MAX_DOCUMENT_BYTES, 32, 1000);
    }

    public KnowledgeConfig withMaxDocumentBytes(long bytes) {
        return new KnowledgeConfig(root, embedders, bytes, embedBatchSize, maxFinishedJobs);
    }
}
