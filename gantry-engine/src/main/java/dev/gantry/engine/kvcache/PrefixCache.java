package dev.gantry.engine.kvcache;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Automatic prefix caching over a {@link BlockPool} (vLLM v1's design): every full, computed block is named by a
 * {@link BlockHash} chained from its parent's, and the pool maps each hash to the block holding it. A new sequence
 * walks its own chain block by block and stops at the first miss: that is the longest cached prefix. Only whole
 * blocks are ever shared, so a shared block is never written again.
 *
 * <p>Released blocks keep their hashes until the pool evicts them (LRU), so a prompt seen before is found as long
 * as its blocks were not needed for something else. Not thread-safe (see {@link BlockPool}).
 */
public final class PrefixCache {

    private final BlockPool pool;
    private final int blockSize;
    private final MessageDigest sha256;
    private final byte[] buffer;
    private long queries;
    private long queriedTokens;
    private long hitTokens;

    public PrefixCache(BlockPool pool) {
        this.pool = pool;
        this.blockSize = pool.blockSize();
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        this.buffer = new byte[16 + 4 * blockSize];
    }

    /**
     * The hash of the block {@code tokens[from..from+blockSize)} after {@code parent}:
     * SHA-256 of (parent, token ids as little-endian int32, extra key with its length), truncated to 128 bits.
     */
    public BlockHash hash(BlockHash parent, int[] tokens, int from, byte[] extraKey) {
        putLong(buffer, 0, parent.high());
        putLong(buffer, 8, parent.low());
        for (int i = 0; i < blockSize; i++) {
            int t = tokens[from + i];
            int o = 16 + 4 * i;
            buffer[o] = (byte) t;
            buffer[o + 1] = (byte) (t >>> 8);
            buffer[o + 2] = (byte) (t >>> 16);
            buffer[o + 3] = (byte) (t >>> 24);
        }
        sha256.update(buffer);
        if (extraKey != null) {
            // length first, so that (tokens, key) pairs cannot run into one another
            sha256.update(new byte[] {1, (byte) (extraKey.length >>> 24), (byte) (extraKey.length >>> 16),
                    (byte) (extraKey.length >>> 8), (byte) extraKey.length});
            sha256.update(extraKey);
        } else {
            sha256.update((byte) 0);
        }
        byte[] d = sha256.digest();
        return new BlockHash(getLong(d, 0), getLong(d, 8));
    }

    /**
     * The longest chain of cached blocks that starts {@code tokens}, covering at most {@code maxTokens} tokens
     * (rounded down to whole blocks), in the first (full-attention) group. Looks only; retains nothing and counts
     * nothing.
     */
    public PrefixMatch longestPrefix(int[] tokens, int maxTokens, ExtraKeys extraKeys) {
        return longestPrefix(tokens, maxTokens, extraKeys, 0, 0);
    }

    /**
     * The longest cached prefix of {@code tokens} in KV cache group {@code group}, at most {@code maxTokens} tokens
     * (rounded down to whole blocks). With full attention ({@code window == 0}) that is the chain of cached blocks
     * from the start. Through a sliding window, computing on from position {@code L} needs only the blocks holding
     * {@code [L - window + 1, L)}, so the match is the longest {@code L} whose last {@code ceil((window - 1) /
     * blockSize)} blocks are cached (vLLM's SlidingWindowManager): the blocks before those are {@link
     * BlockPool#NO_BLOCK}, released as far as the sequence is concerned. Looks only.
     */
    public PrefixMatch longestPrefix(int[] tokens, int maxTokens, ExtraKeys extraKeys, int group, int window) {
        int limit = Math.min(tokens.length, Math.max(0, maxTokens)) / blockSize;
        int[] ids = new int[limit];
        BlockHash[] chain = new BlockHash[limit];
        BlockHash parent = BlockHash.root(group);
        int n = 0;
        for (; n < limit; n++) {
            chain[n] = hash(parent, tokens, n * blockSize, extraKeys.forBlock(n));
            ids[n] = pool.cachedBlock(chain[n]);
            if (window == 0 && ids[n] == BlockPool.NO_BLOCK) {
                break;
            }
            parent = chain[n];
        }
        if (window > 0) {
            int needed = Math.ceilDiv(window - 1, blockSize);
            n = slidingMatch(ids, limit, needed);
            Arrays.fill(ids, 0, Math.max(0, n - needed), BlockPool.NO_BLOCK);
        }
        return new PrefixMatch(n * blockSize, Arrays.copyOf(ids, n), Arrays.copyOf(chain, n));
    }

    /**
     * Blocks of the longest prefix whose last {@code needed} blocks are all cached, or whose every block is: the
     * latest run of {@code needed} cached blocks, else the run of cached blocks at the start.
     */
    private static int slidingMatch(int[] ids, int limit, int needed) {
        if (needed == 0) {
            return limit; // a window of one token: each position attends to itself alone
        }
        int run = 0;
        for (int i = limit - 1; i >= 0; i--) {
            run = ids[i] == BlockPool.NO_BLOCK ? 0 : run + 1;
            if (run == needed) {
                return i + run;
            }
        }
        int start = 0;
        while (start < limit && ids[start] != BlockPool.NO_BLOCK) {
            start++;
        }
        return start;
    }

    /**
     * Names the blocks of {@code table} that are full and lie within its first {@code computedTokens} tokens (their
     * keys and values are written) and offers each live one to the pool's cache. Returns how many blocks were newly
     * hashed. Blocks whose contents another block already holds stay uncached (see {@link BlockPool#cache}).
     */
    public int registerComputed(BlockTable table, int computedTokens, ExtraKeys extraKeys) {
        if (computedTokens > table.numTokens()) {
            throw new IllegalArgumentException(computedTokens + " computed tokens but only " + table.numTokens() + " have slots");
        }
        int full = computedTokens / blockSize;
        int added = 0;
        for (int i = table.hashedBlocks(); i < full; i++) {
            BlockHash parent = i == 0 ? BlockHash.root(table.group()) : table.hash(i - 1);
            BlockHash h = hash(parent, table.tokenArray(), i * blockSize, extraKeys.forBlock(i));
            table.setHash(i, h);
            int block = table.blockId(i);
            if (block != BlockPool.NO_BLOCK) {
                pool.cache(block, h);
            }
            added++;
        }
        return added;
    }

    /** Counts one admitted sequence: {@code queried} prompt tokens of which {@code hits} came from the cache. */
    public void recordQuery(int queried, int hits) {
        queries++;
        queriedTokens += queried;
        hitTokens += hits;
    }

    public PrefixCacheStats stats() {
        return new PrefixCacheStats(queries, queriedTokens, hitTokens);
    }

    private static void putLong(byte[] b, int o, long v) {
        for (int i = 0; i < 8; i++) {
            b[o + i] = (byte) (v >>> (8 * i));
        }
    }

    private static long getLong(byte[] b, int o) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (b[o + i] & 0xFFL) << (8 * i);
        }
        return v;
    }
}
