package dev.gantry.knowledge;

import dev.gantry.knowledge.ingest.ChunkingPolicy;

/**
 * A collection's settings, fixed when it is created.
 *
 * @param embeddingModel id of the embedding model (see {@link dev.gantry.knowledge.embed.EmbedderCatalog}); null
 *                       means the hub's default
 * @param chunkTokens    target chunk size in the embedding model's tokens
 * @param chunkOverlap   tokens of trailing sentences repeated at the start of the next chunk of a section
 * @param description    free text, may be null
 */
public record CollectionSettings(String embeddingModel, int chunkTokens, int chunkOverlap, String description) {
    /**
     * 256 tokens is all-MiniLM-L6-v2's trained sequence length (sentence-transformers' max_seq_length), so no part
     * of a chunk falls outside what the model learned to summarise; 32 tokens is about one sentence of overlap.
     */
    public static final int DEFAULT_CHUNK_TOKENS = 256;
    public static final int DEFAULT_CHUNK_OVERLAP = 32;

    public CollectionSettings {
        try {
            new ChunkingPolicy(chunkTokens, chunkOverlap);
        } catch (IllegalArgumentException e) {
            throw new KnowledgeException(KnowledgeException.Reason.INVALID_ARGUMENT, e.getMessage());
        }
    }

    public static CollectionSettings defaults() {
        return new CollectionSettings(null, DEFAULT_CHUNK_TOKENS, DEFAULT_CHUNK_OVERLAP, null);
    }

    public CollectionSettings withEmbeddingModel(String id) {
        return new CollectionSettings(id, chunkTokens, chunkOverlap, description);
    }

    public CollectionSettings withChunking(int tokens, int overlap) {
        return new CollectionSettings(embeddingModel, tokens, overlap, description);
    }

    public CollectionSettings withDescription(String text) {
        return new CollectionSettings(embeddingModel, chunkTokens, chunkOverlap, text);
    }
}
