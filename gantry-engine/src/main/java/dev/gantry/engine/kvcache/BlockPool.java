package dev.gantry.engine.kvcache;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A fixed number of KV blocks and their bookkeeping: reference counts, the free queue, and the map from
 * {@link BlockHash} to the block that holds those contents (the block pool of vLLM v1, after PagedAttention).
 *
 * <p>A block is <em>in use</em> while its reference count is positive (held by one or more {@link BlockTable}s) and
 * <em>free</em> at zero. A free block may still carry a hash: it is then <em>cached</em>, its contents valid, and a
 * prefix hit can revive it with {@link #retain}. The free queue orders free blocks for reuse, front first:
 * <ul>
 *   <li>blocks without a hash go to the front, since they hold nothing worth keeping;</li>
 *   <li>cached blocks go to the back when released, so the front holds the least recently used ones: LRU
 *       eviction. {@link #allocate} takes the front block and, if it is cached, drops its hash (the eviction).</li>
 * </ul>
 * The queue is a doubly linked list over block ids, so reviving a block from its middle is O(1).
 *
 * <p>NOTE: bookkeeping is not thread-safe: one thread (the engine loop) owns the pool, the tables and the prefix
 * cache. Only {@link #storage()} is read and written by compute threads, while the loop waits for the step.
 */
public final class BlockPool implements AutoCloseable {

    /** The "no block" id, in tables for blocks released by a sliding window. */
    public static final int NO_BLOCK = -1;

    private final int blockCount;
    private final int blockSize;
    private final int[] refCount;
    private final BlockHash[] hashOf;
    private final Map<BlockHash, Integer> cached = new HashMap<>();
    // free queue: a circular doubly linked list through prev/next with sentinel node blockCount
    private final int[] prev;
    private final int[] next;
    private final int head;
    private int freeCount;
    private int cachedFreeCount;
    private long evictions;
    private final KvBlockStorage storage;

    /** A pool of as many blocks as {@code config}'s memory holds for {@code shape}, storage allocated now. */
    public BlockPool(KvCacheConfig config, KvShape shape) {
        this(config, shape, config.blockCount(shape));
    }

    /** A pool of exactly {@code blockCount} blocks (tests, or a scheduler that caps the cache). */
    public BlockPool(KvCacheConfig config, KvShape shape, int blockCount) {
        this.storage = new KvBlockStorage(config, shape, blockCount);
        this.blockCount = blockCount;
        this.blockSize = config.blockSize();
        this.refCount = new int[blockCount];
        this.hashOf = new BlockHash[blockCount];
        this.prev = new int[blockCount + 1];
        this.next = new int[blockCount + 1];
        this.head = blockCount;
        prev[head] = head;
        next[head] = head;
        for (int b = 0; b < blockCount; b++) {
            linkBefore(head, b);
        }
        this.freeCount = blockCount;
    }

    public int blockCount() {
        return blockCount;
    }

    public int blockSize() {
        return blockSize;
    }

    /** Blocks that {@link #allocate} can hand out now: never used, released, or cached (evictable). */
    public int freeBlockCount() {
        return freeCount;
    }

    /** Blocks with a positive reference count. */
    public int usedBlockCount() {
        return blockCount - freeCount;
    }

    /** Free blocks that still carry a hash, so a prefix hit can revive them. */
    public int cachedFreeBlockCount() {
        return cachedFreeCount;
    }

    /** Cached blocks dropped to make room, since the pool was made. */
    public long evictions() {
        return evictions;
    }

    public int refCount(int block) {
        check(block);
        return refCount[block];
    }

    /** The hash of a block's contents, or null while it has none (not full, not computed yet, or evicted). */
    public BlockHash hashOf(int block) {
        check(block);
        return hashOf[block];
    }

    /** The block holding the contents {@code hash} names, in use or cached-free, or {@link #NO_BLOCK}. */
    public int cachedBlock(BlockHash hash) {
        Integer block = cached.get(hash);
        return block == null ? NO_BLOCK : block;
    }

    /**
     * Takes the front block of the free queue with a reference count of one; a cached block taken so is evicted
     * (its hash forgotten). Its contents are stale until written.
     *
     * @throws KvCacheFullException when every block is in use
     */
    public int allocate() {
        int block = next[head];
        if (block == head) {
            throw new KvCacheFullException("all " + blockCount + " KV blocks are in use");
        }
        unlink(block);
        freeCount--;
        if (hashOf[block] != null) {
            cached.remove(hashOf[block]);
            hashOf[block] = null;
            cachedFreeCount--;
            evictions++;
        }
        refCount[block] = 1;
        return block;
    }

    /**
     * Adds a reference to a block in use (sharing it), or revives a cached-free block (a prefix hit). Retaining a
     * free block without a hash is an error: its contents mean nothing, {@link #allocate} it instead.
     */
    public void retain(int block) {
        check(block);
        if (refCount[block] == 0) {
            if (hashOf[block] == null) {
                throw new IllegalStateException("KV block " + block + " is free and holds no cached contents; allocate instead");
            }
            unlink(block);
            freeCount--;
            cachedFreeCount--;
        }
        refCount[block]++;
    }

    /** Drops a reference; at zero the block becomes free (cached at the back of the queue if it has a hash). */
    public void release(int block) {
        check(block);
        if (refCount[block] == 0) {
            throw new IllegalStateException("KV block " + block + " released more often than retained (double free)");
        }
        if (--refCount[block] > 0) {
            return;
        }
        freeCount++;
        if (hashOf[block] != null) {
            linkBefore(head, block); // the back: most recently used
            cachedFreeCount++;
        } else {
            linkBefore(next[head], block); // the front: reused first
        }
    }

    /**
     * Copy-on-write: a block that only the caller holds comes back as is; a shared one is copied (all layers, keys
     * and values) into a newly allocated block, the caller's reference moves to the copy, and the copy is returned.
     * The caller must then use the returned id in place of {@code block}.
     *
     * @throws KvCacheFullException when a copy is needed and no block is free
     */
    public int ensureWritable(int block) {
        check(block);
        if (refCount[block] == 0) {
            throw new IllegalStateException("KV block " + block + " is free; it cannot be written");
        }
        if (refCount[block] == 1) {
            return block;
        }
        int copy = allocate();
        storage.copyBlock(block, copy);
        release(block);
        return copy;
    }

    /**
     * Records that an in-use block holds the contents {@code hash} names, so later lookups find it. Returns false,
     * changing nothing, when another block already holds them (two sequences computed the same prefix at once):
     * that block stays the cached one and this one is released without a hash in due course.
     */
    public boolean cache(int block, BlockHash hash) {
        check(block);
        if (refCount[block] == 0) {
            throw new IllegalStateException("KV block " + block + " is free; only blocks in use can be cached");
        }
        if (hashOf[block] != null) {
            if (hashOf[block].equals(hash)) {
                return true;
            }
            throw new IllegalStateException("KV block " + block + " already holds contents " + hashOf[block] + ", not " + hash);
        }
        if (cached.putIfAbsent(hash, block) != null) {
            return false;
        }
        hashOf[block] = hash;
        return true;
    }

    /** The free queue, front (next to be reused or evicted) first. O(blocks): for metrics, debugging and tests. */
    public int[] freeQueue() {
        int[] out = new int[freeCount];
        int i = 0;
        for (int b = next[head]; b != head; b = next[b]) {
            out[i++] = b;
        }
        return i == out.length ? out : Arrays.copyOf(out, i);
    }

    /** The block memory. */
    public KvBlockStorage storage() {
        return storage;
    }

    /** Frees the block memory. */
    @Override
    public void close() {
        storage.close();
    }

    private void check(int block) {
        if (block < 0 || block >= blockCount) {
            throw new IndexOutOfBoundsException("KV block " + block + " is outside 0.." + (blockCount - 1));
        }
    }

    /** Inserts {@code block} just before node {@code at}. */
    private void linkBefore(int at, int block) {
        int p = prev[at];
        next[p] = block;
        prev[block] = p;
        next[block] = at;
        prev[at] = block;
    }

    private void unlink(int block) {
        next[prev[block]] = next[block];
        prev[next[block]] = prev[block];
    }
}
