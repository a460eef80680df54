package dev.gantry.knowledge;

import dev.gantry.knowledge.index.StoredDocument;
import java.time.Instant;
import java.util.Map;

/**
 * An ingested document as listed.
 *
 * @param id          stable id derived from the name; the handle for get and delete
 * @param contentHash SHA-256 of the ingested bytes, hex
 * @param pages       page count (PDF) or 0
 */
public record DocumentInfo(String id, String name, String contentType, String contentHash, String title,
                           long sizeBytes, int chunks, int pages, long tokens, Instant ingestedAt,
                           Map<String, String> metadata) {

    static DocumentInfo of(StoredDocument d) {
        return new DocumentInfo(d.id(), d.name(), d.contentType(), d.contentHash(), d.title(), d.sizeBytes(),
                d.chunks(), d.pages(), d.tokens(), d.ingestedAt(), d.metadata());
    }
}
