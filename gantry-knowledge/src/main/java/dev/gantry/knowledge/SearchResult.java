package dev.gantry.knowledge;

import java.util.List;

/** The hits of a search, best first. */
public record SearchResult(String collection, SearchMode mode, List<SearchHit> hits) {
    public SearchResult {
        hits = List.copyOf(hits);
    }
}
