package dev.gantry.engine.kvcache;

/**
 * The KV cache of one sequence run alone (scoring, {@code gantry run}): blocks 0, 1, 2... of its own
 * {@link KvBlockStorage}, in order, so position p is slot p, in one group of every layer (its capacity is fixed
 * up front, so a sliding window would free nothing worth having). Serving uses {@link KvCacheManager} instead.
 */
public final class SequenceKvCache implements AutoCloseable {

    private final KvBlockStorage storage;
    private final int[] blockTable;
    private final int capacity;

    public SequenceKvCache(KvShape shape, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("KV capacity must be positive, got " + capacity);
        }
        KvCacheConfig config = KvCacheConfig.of(Long.MAX_VALUE);
        int blocks = (capacity + config.blockSize() - 1) / config.blockSize();
        this.storage = new KvBlockStorage(config, shape.ungrouped(), blocks);
        this.blockTable = new int[blocks];
        for (int i = 0; i < blocks; i++) {
            blockTable[i] = i;
        }
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }

    public KvBlockStorage storage() {
        return storage;
    }

    /** Blocks 0..n-1: the identity block table. */
    public int[] blockTable() {
        return blockTable.clone();
    }

    @Override
    public void close() {
        storage.close();
    }
}
