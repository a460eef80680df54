package dev.gantry.engine;

/**
 * A snapshot of the serving engine.
 *
 * @param kvBlocksUsed    blocks held by sequences (cached-but-free blocks count as free)
 * @param prefixHitRate   share of prompt tokens found in the prefix cache
 * @param promptTokens    prompt tokens computed (prefix hits excluded)
 * @param generatedTokens tokens sampled
 * @param meanStepMillis  mean wall time of a step
 */
public record EngineMetrics(int running, int waiting, int kvBlocksUsed, int kvBlocksTotal, double prefixHitRate,
                            long preemptions, long promptTokens, long generatedTokens, long steps,
                            double meanStepMillis) {
}
