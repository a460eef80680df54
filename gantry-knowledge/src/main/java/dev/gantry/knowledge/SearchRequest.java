package dev.gantry.knowledge;

import dev.gantry.knowledge.index.RankFusion;
import java.util.Map;

/**
 * A search over one collection.
 *
 * @param k       how many hits to return, 1..100
 * @param filters metadata that every hit must have, key = exact value (all must match); built-in keys:
 *                {@code document_id}, {@code document} (its name), {@code content_type}
 * @param fusion  weights for hybrid mode; null means the collection's embedding model's calibrated weights
 *                ({@link dev.gantry.knowledge.embed.RetrievalCalibration#vectorWeight()}, RRF k = 60)
 */
public record SearchRequest(String query, SearchMode mode, int k, Map<String, String> filters, RankFusion fusion) {
    public static final int MAX_K = 100;

    /** The RRF constant of the paper (Cormack et al. 2009), used with the model's calibrated weights. */
    public static final int RRF_K = 60;

    public SearchRequest {
        if (query == null || query.isBlank()) {
            throw new KnowledgeException(KnowledgeException.Reason.INVALID_ARGUMENT, "the search query is empty");
        }
        if (k < 1 || k > MAX_K) {
            throw new KnowledgeException(KnowledgeException.Reason.INVALID_ARGUMENT, "k must be 1.." + MAX_K + ", got " + k);
        }
        mode = mode == null ? SearchMode.HYBRID : mode;
        filters = filters == null ? Map.of() : Map.copyOf(filters);
    }

    public static SearchRequest of(String query, SearchMode mode, int k) {
        return new SearchRequest(query, mode, k, Map.of(), null);
    }

    public SearchRequest withFilters(Map<String, String> value) {
        return new SearchRequest(query, mode, k, value, fusion);
    }

    public SearchRequest withFusion(RankFusion value) {
        return new SearchRequest(query, mode, k, filters, value);
    }
}
