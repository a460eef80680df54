package dev.gantry.knowledge;

import dev.gantry.knowledge.index.Span;
import java.util.List;

/**
 * One chunk found by a search.
 *
 * @param rank        1-based position in the result
 * @param score       the ranking score of the search's mode: fused RRF score (hybrid), BM25 (keyword), or cosine
 *                    similarity (vector)
 * @param chunk       the chunk's 0-based index within its document
 * @param start       offset of the chunk's first character in the document's extracted text
 * @param end         offset one past its last character
 * @param pageStart   1-based page of the chunk's start, or 0 for unpaged formats
 * @param similarity  cosine similarity of the chunk to the query, or null in keyword mode (no query embedding)
 * @param keywordRank rank in the BM25 list, 0 when absent or not searched
 * @param vectorRank  rank in the kNN list, 0 when absent or not searched
 * @param highlights  spans of {@code text} matching query terms
 */
public record SearchHit(int rank, double score, String documentId, String documentName, String title, int chunk,
                        String text, int start, int end, List<String> headingPath, int pageStart, int pageEnd,
                        Double similarity, int keywordRank, int vectorRank, List<Span> highlights) {
    public SearchHit {
        headingPath = List.copyOf(headingPath);
        highlights = List.copyOf(highlights);
    }
}
