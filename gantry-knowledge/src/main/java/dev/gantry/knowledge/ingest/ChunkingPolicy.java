package dev.gantry.knowledge.ingest;

/**
 * How big chunks are, in tokens of the embedding model.
 *
 * @param targetTokens  the most tokens a chunk holds (a single word longer than this is cut by characters)
 * @param overlapTokens how many tokens of trailing sentences a chunk repeats from the previous chunk of the same
 *                      section, so a fact cut at a boundary is still whole in one chunk
 */
public record ChunkingPolicy(int targetTokens, int overlapTokens) {
    public static final int MIN_TARGET_TOKENS = 16;

    public ChunkingPolicy {
        if (targetTokens < MIN_TARGET_TOKENS) {
            throw new IllegalArgumentException("chunk size must be >= " + MIN_TARGET_TOKENS + " tokens, got " + targetTokens);
        }
        if (overlapTokens < 0 || overlapTokens > targetTokens / 2) {
            throw new IllegalArgumentException("chunk overlap must be between 0 and half the chunk size ("
                    + targetTokens / 2 + "), got " + overlapTokens);
        }
    }
}
