package dev.gantry.server.knowledge;

import dev.gantry.knowledge.SearchHit;
import dev.gantry.knowledge.SearchResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** {@code knowledge.search_result}: the hits of a search, best first. */
record SearchResponse(String object, String collection, String mode, List<Hit> data) {

    /**
     * One chunk found.
     *
     * @param score       the mode's ranking score: fused RRF (hybrid), BM25 (keyword) or cosine similarity (vector)
     * @param similarity  cosine similarity to the query, or null in keyword mode
     * @param keywordRank rank in the BM25 list, 0 when absent or not searched
     * @param vectorRank  rank in the kNN list, 0 when absent or not searched
     * @param start       offset of the chunk in its document's extracted text; {@code end} one past its end
     * @param highlights  character ranges of {@code text} that match query terms
     * @param metadata    the document's metadata and content type, as filters take them
     */
    record Hit(int rank, double score, Double similarity, int keywordRank, int vectorRank, String documentId,
               String documentName, String title, int chunk, int start, int end, List<String> headingPath,
               int pageStart, int pageEnd, String text, List<Highlight> highlights, Map<String, String> metadata) {
    }

    /** A highlighted range {@code [start, end)} of a hit's text. */
    record Highlight(int start, int end) {
    }

    /** @param metadata a document's filterable metadata, by document id */
    static SearchResponse of(SearchResult result, Function<String, Map<String, String>> metadata) {
        List<Hit> hits = result.hits().stream().map(h -> hit(h, metadata.apply(h.documentId()))).toList();
        return new SearchResponse("knowledge.search_result", result.collection(),
                result.mode().name().toLowerCase(Locale.ROOT), hits);
    }

    private static Hit hit(SearchHit h, Map<String, String> metadata) {
        return new Hit(h.rank(), h.score(), h.similarity(), h.keywordRank(), h.vectorRank(), h.documentId(),
                h.documentName(), h.title(), h.chunk(), h.start(), h.end(), h.headingPath(), h.pageStart(),
                h.pageEnd(), h.text(), h.highlights().stream().map(s -> new Highlight(s.start(), s.end())).toList(),
                metadata);
    }
}
