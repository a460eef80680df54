package dev.gantry.knowledge;

import java.util.List;

/**
 * Where source {@code [number]} of an answer comes from: the document, the chunk, and the chunk's character range
 * in the document's extracted text ({@link KnowledgeHub#documentText}).
 */
public record Citation(int number, String documentId, String documentName, int chunk, int start, int end,
                       int pageStart, int pageEnd, List<String> headingPath, String text) {
    public Citation {
        headingPath = List.copyOf(headingPath);
    }
}
