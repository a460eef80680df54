package dev.gantry.engine.kvcache;

import java.util.Objects;

/**
 * The model-independent settings of the paged KV cache (PagedAttention: Kwon et al., SOSP 2023): tokens per
 * block, the memory budget in bytes ({@code --kv-cache-memory}) and the element type. Combined with a model's
 * {@link KvShape} it fixes the number of blocks, all preallocated at start-up.
 *
 * @param blockSize   tokens per block, 1..1024 (vLLM's and our default: 16)
 * @param memoryBytes the budget for all blocks of all layers, keys and values
 * @param type        how keys and values are stored
 */
public record KvCacheConfig(int blockSize, long memoryBytes, KvCacheType type) {

    public static final int DEFAULT_BLOCK_SIZE = 16;
    private static final int MAX_BLOCK_SIZE = 1024;

    public KvCacheConfig {
        Objects.requireNonNull(type, "KV cache type");
        if (blockSize <= 0 || blockSize > MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("KV cache block size must be 1.." + MAX_BLOCK_SIZE + " tokens, got " + blockSize);
        }
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException("KV cache memory must be a positive number of bytes, got " + memoryBytes);
        }
    }

    /** Blocks of 16 tokens in F16. */
    public static KvCacheConfig of(long memoryBytes) {
        return new KvCacheConfig(DEFAULT_BLOCK_SIZE, memoryBytes, KvCacheType.F16);
    }

    public KvCacheConfig withBlockSize(int tokens) {
        return new KvCacheConfig(tokens, memoryBytes, type);
    }

    public KvCacheConfig withType(KvCacheType newType) {
        return new KvCacheConfig(blockSize, memoryBytes, newType);
    }

    /** Bytes of one block: keys and values of {@link #blockSize} tokens in each layer of a group. */
    public long blockBytes(KvShape shape) {
        long perToken = type.rowBytes(shape.kvDim()) + type.rowBytes(shape.vDim());
        return Math.multiplyExact(Math.multiplyExact(perToken, blockSize), shape.layersPerBlock());
    }

    /**
     * How many blocks the budget holds. A budget below one block is an error naming both sizes, as is one so large
     * that slot numbers ({@code block * blockSize + offset}) would overflow an int.
     */
    public int blockCount(KvShape shape) {
        long perBlock = blockBytes(shape);
        long blocks = memoryBytes / perBlock;
        if (blocks < 1) {
            throw new IllegalArgumentException("KV cache memory of " + memoryBytes + " bytes is less than one block of "
                    + perBlock + " bytes (" + blockSize + " tokens x " + shape.layersPerBlock() + " layers x (kvDim "
                    + shape.kvDim() + " + vDim " + shape.vDim() + ") in " + type + ")");
        }
        if (blocks * blockSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("KV cache memory of " + memoryBytes + " bytes makes " + blocks
                    + " blocks of " + blockSize + " tokens, more slots than an int can number; lower the budget");
        }
        return (int) blocks;
    }
}
