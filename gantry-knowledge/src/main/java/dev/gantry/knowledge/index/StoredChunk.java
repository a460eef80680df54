package dev.gantry.knowledge.index;

import java.util.List;

/**
 * A chunk read back from the index.
 *
 * @param start offset of the chunk's first character in the document's extracted text
 * @param end   offset one past its last character
 */
public record StoredChunk(String documentId, String documentName, String title, int chunkIndex, int start, int end,
                          String text, List<String> headingPath, int pageStart, int pageEnd) {
}
