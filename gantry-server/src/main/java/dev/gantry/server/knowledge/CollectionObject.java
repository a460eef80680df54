package dev.gantry.server.knowledge;

import dev.gantry.knowledge.CollectionInfo;

/**
 * {@code knowledge.collection}: a collection's identity, settings and size. Its {@code id} is its name, which is
 * what every path takes.
 *
 * @param chunkSize    target chunk size in the embedding model's tokens
 * @param chunkOverlap tokens repeated at the start of the next chunk of a section
 * @param createdAt    Unix seconds, as OpenAI's {@code created_at}
 */
record CollectionObject(String id, String object, String name, String description, String embeddingModel,
                        int dimension, int chunkSize, int chunkOverlap, long createdAt, int documentCount,
                        int chunkCount) {

    static final String OBJECT = "knowledge.collection";

    static CollectionObject of(CollectionInfo c) {
        return new CollectionObject(c.name(), OBJECT, c.name(), c.settings().description(),
                c.settings().embeddingModel(), c.dimension(), c.settings().chunkTokens(), c.settings().chunkOverlap(),
                c.createdAt().getEpochSecond(), c.documents(), c.chunks());
    }
}
