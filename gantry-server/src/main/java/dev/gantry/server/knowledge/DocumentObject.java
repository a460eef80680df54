package dev.gantry.server.knowledge;

import dev.gantry.knowledge.DocumentInfo;
import java.util.Map;

/**
 * {@code knowledge.document}: an ingested document. Its {@code id} is derived from its name, so uploading the same
 * name again replaces it.
 *
 * @param contentHash SHA-256 of the uploaded bytes, hex
 * @param pages       page count for PDFs, else 0
 * @param tokens      embedding-model tokens over all its chunks
 */
record DocumentObject(String id, String object, String collection, String name, String contentType,
                      String contentHash, String title, long bytes, int chunks, int pages, long tokens,
                      long createdAt, Map<String, String> metadata) {

    static final String OBJECT = "knowledge.document";

    static DocumentObject of(String collection, DocumentInfo d) {
        return new DocumentObject(d.id(), OBJECT, collection, d.name(), d.contentType(), d.contentHash(), d.title(),
                d.sizeBytes(), d.chunks(), d.pages(), d.tokens(), d.ingestedAt().getEpochSecond(), d.metadata());
    }
}
