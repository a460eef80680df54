package dev.gantry.engine.kvcache;

/**
 * Prefix-cache effectiveness as vLLM reports it: of the prompt tokens of admitted sequences ({@code queriedTokens}),
 * how many were found cached ({@code hitTokens}).
 */
public record PrefixCacheStats(long queries, long queriedTokens, long hitTokens) {

    /** {@code hitTokens / queriedTokens}, 0 before the first query. */
    public double hitRate() {
        return queriedTokens == 0 ? 0 : (double) hitTokens / queriedTokens;
    }
}
