package dev.gantry.knowledge;

import java.time.Instant;

/**
 * A collection as listed: identity, resolved settings (the embedding model is never null here) and size.
 *
 * @param dimension the embedding vectors' length
 */
public record CollectionInfo(String tenant, String name, CollectionSettings settings, int dimension,
                             Instant createdAt, int documents, int chunks) {
}
