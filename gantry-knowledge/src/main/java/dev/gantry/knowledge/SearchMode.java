package dev.gantry.knowledge;

import java.util.Locale;

/** How a search ranks chunks. */
public enum SearchMode {
    /** BM25 over chunk text with its headings. */
    KEYWORD,
    /** Nearest neighbours of the query's embedding (HNSW, cosine). */
    VECTOR,
    /** Both lists fused by weighted reciprocal rank fusion. */
    HYBRID;

    /** Parses {@code keyword|vector|hybrid}, case-insensitively. */
    public static SearchMode parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new KnowledgeException(KnowledgeException.Reason.INVALID_ARGUMENT,
                    "unknown search mode '" + value + "' (use keyword, vector or hybrid)");
        }
    }
}
