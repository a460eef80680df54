package dev.gantry.knowledge.ingest;

import java.util.List;

/**
 * A span of a document's extracted text, the unit that is embedded, indexed and cited.
 *
 * @param index       0-based position among the document's chunks
 * @param start       first character, an offset into {@link ExtractedText#text()}
 * @param end         one past the last character; {@code text} equals {@code extracted.text().substring(start, end)}
 * @param headingPath the headings the chunk sits under, outermost first
 * @param pageStart   page of the first character (1-based), or 0 when the document has no pages
 * @param pageEnd     page of the last character, or 0
 * @param tokens      token count of {@code text} by the collection's tokenizer
 */
public record Chunk(int index, int start, int end, String text, List<String> headingPath, int pageStart, int pageEnd,
                    int tokens) {
    public Chunk {
        if (start < 0 || end <= start || text.length() != end - start) {
            throw new IllegalArgumentException("chunk " + index + " span [" + start + ", " + end
                    + ") does not match its text length " + text.length());
        }
        headingPath = List.copyOf(headingPath);
    }
}
