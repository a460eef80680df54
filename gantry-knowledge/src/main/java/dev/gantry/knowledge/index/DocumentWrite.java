package dev.gantry.knowledge.index;

import java.util.List;

/** One document to write: its record, its extracted text (what chunk offsets point into) and its chunks. */
public record DocumentWrite(StoredDocument document, String extractedText, List<IndexedChunk> chunks) {
    public DocumentWrite {
        chunks = List.copyOf(chunks);
    }
}
