package dev.gantry.engine.kvcache;

/**
 * A snapshot of the pool for metrics: blocks held by sequences, free blocks still holding cached prefixes, and the
 * total. {@code used / total} is the "KV cache usage" gauge of vLLM and llama-server.
 */
public record KvUsage(int usedBlocks, int cachedFreeBlocks, int totalBlocks) {

    public int freeBlocks() {
        return totalBlocks - usedBlocks;
    }

    /** Used blocks over all blocks, 0..1. */
    public double fraction() {
        return (double) usedBlocks / totalBlocks;
    }
}
