package dev.gantry.knowledge.index;

import java.time.Instant;
import java.util.Map;

/**
 * The record of one ingested document, kept in the index beside its chunks.
 *
 * @param id          stable document id (derived from the name by the hub)
 * @param name        the name it was ingested under (a file path, an upload's file name)
 * @param contentType canonical media type of its format
 * @param contentHash SHA-256 of its bytes, hex; re-ingesting identical bytes is a no-op
 * @param pages       page count (PDF) or 0
 * @param tokens      total tokens over its chunks
 */
public record StoredDocument(String id, String name, String contentType, String contentHash, String title,
                             long sizeBytes, int chunks, int pages, long tokens, Instant ingestedAt,
                             Map<String, String> metadata) {
    public StoredDocument {
        metadata = Map.copyOf(metadata);
    }
}
