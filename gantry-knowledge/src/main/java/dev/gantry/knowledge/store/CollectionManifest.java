package dev.gantry.knowledge.store;

/**
 * What {@code collection.json} holds: a collection's identity and the settings its index was built with. The
 * embedding model and dimension are fixed at creation, because vectors from another model are not comparable.
 *
 * @param createdAt ISO-8601 instant
 */
public record CollectionManifest(String tenant, String name, String description, String embeddingModel,
                                 int dimension, int chunkTokens, int chunkOverlap, String createdAt) {
}
