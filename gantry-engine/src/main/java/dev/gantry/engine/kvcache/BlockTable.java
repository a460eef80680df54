package dev.gantry.engine.kvcache;

import java.util.Arrays;

/**
 * One sequence's view of the pool (PagedAttention's block table): logical block {@code i} holds token positions
 * {@code [i * blockSize, (i + 1) * blockSize)} in physical block {@link #blockId(int)}, so position {@code p} lives
 * in slot {@code blockId(p / blockSize) * blockSize + p % blockSize}. It also keeps the token ids (prefix hashes
 * are computed from them) and the hashes of its full, computed blocks, each chained to the one before.
 *
 * <p>Sharing: {@link #fork()} shares every block (reference counts up); the one block that can be shared and still
 * be written is a partially filled last block, and {@link #append} copies it first (copy-on-write). Full blocks are
 * never written again, which is what lets the prefix cache share them.
 *
 * <p>Sliding window: {@link #releaseBlocksBefore(int)} gives back blocks no query will attend to again. Their
 * entries become {@link BlockPool#NO_BLOCK}; positions, token ids and hashes stay, so the sequence goes on as before.
 * Not thread-safe (see {@link BlockPool}).
 */
public final class BlockTable {

    private final BlockPool pool;
    private final int group;
    private final int blockSize;
    private int[] blocks = new int[4];
    private int numBlocks;
    private int[] tokens = new int[64];
    private int numTokens;
    private BlockHash[] hashes = new BlockHash[4]; // (logical block) -> hash of a full computed block, chained
    private int numHashed;
    private int released;                           // logical blocks [0, released) went back to the pool

    /** A table in the first (or only) KV cache group. */
    public BlockTable(BlockPool pool) {
        this(pool, 0);
    }

    /** A table of KV cache group {@code group} ({@link KvCacheGroups}), which seeds its chain of block hashes. */
    public BlockTable(BlockPool pool, int group) {
        this.pool = pool;
        this.group = group;
        this.blockSize = pool.blockSize();
    }

    public int group() {
        return group;
    }

    /** Token positions with a slot. */
    public int numTokens() {
        return numTokens;
    }

    /** Logical blocks, including released ones. */
    public int numBlocks() {
        return numBlocks;
    }

    /** Leading logical blocks released by a sliding window. */
    public int releasedBlocks() {
        return released;
    }

    /** The physical block of logical block {@code i}, or {@link BlockPool#NO_BLOCK} once released. */
    public int blockId(int i) {
        if (i < 0 || i >= numBlocks) {
            throw new IndexOutOfBoundsException("logical block " + i + " is outside 0.." + (numBlocks - 1));
        }
        return blocks[i];
    }

    /** A copy of the physical block ids, logical order (the array an attention kernel walks). */
    public int[] blockIds() {
        return Arrays.copyOf(blocks, numBlocks);
    }

    /** The KV slot of token position {@code position}. */
    public int slot(int position) {
        checkPosition(position);
        int block = blocks[position / blockSize];
        if (block == BlockPool.NO_BLOCK) {
            throw new IllegalStateException("position " + position + " is in a block released by the sliding window");
        }
        return block * blockSize + position % blockSize;
    }

    public int tokenAt(int position) {
        checkPosition(position);
        return tokens[position];
    }

    /** Leading logical blocks whose {@link BlockHash} is known (full and computed). */
    public int hashedBlocks() {
        return numHashed;
    }

    public BlockHash hash(int i) {
        if (i < 0 || i >= numHashed) {
            throw new IndexOutOfBoundsException("logical block " + i + " has no hash (" + numHashed + " hashed)");
        }
        return hashes[i];
    }

    /** Free blocks that appending {@code count} tokens takes: new blocks, plus one if a shared last block is copied. */
    public int blocksNeeded(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("cannot append " + count + " tokens");
        }
        if (count == 0) {
            return 0;
        }
        int fresh = Math.ceilDiv(numTokens + count, blockSize) - numBlocks;
        return fresh + (lastBlockShared() ? 1 : 0);
    }

    /**
     * Gives slots to {@code src[off..off+len)} at positions {@code numTokens()...}, allocating blocks as they fill
     * and copying a shared last block before it is written. All or nothing: returns false, changing nothing, when the
     * pool has fewer free blocks than {@link #blocksNeeded}.
     */
    public boolean append(int[] src, int off, int len) {
        int needed = blocksNeeded(len);
        if (len == 0) {
            return true;
        }
        if (needed > pool.freeBlockCount()) {
            return false;
        }
        if (lastBlockShared()) {
            blocks[numBlocks - 1] = pool.ensureWritable(blocks[numBlocks - 1]);
        }
        int target = numTokens + len;
        while (numBlocks * blockSize < target) {
            addBlock(pool.allocate());
        }
        tokens = grow(tokens, target);
        System.arraycopy(src, off, tokens, numTokens, len);
        numTokens = target;
        return true;
    }

    /** A new table sharing every block of this one (each retained once more), with the same tokens and hashes. */
    public BlockTable fork() {
        BlockTable child = new BlockTable(pool, group);
        for (int i = 0; i < numBlocks; i++) {
            if (blocks[i] != BlockPool.NO_BLOCK) {
                pool.retain(blocks[i]);
            }
        }
        child.blocks = Arrays.copyOf(blocks, Math.max(4, numBlocks));
        child.numBlocks = numBlocks;
        child.tokens = Arrays.copyOf(tokens, Math.max(64, numTokens));
        child.numTokens = numTokens;
        child.hashes = Arrays.copyOf(hashes, Math.max(4, numHashed));
        child.numHashed = numHashed;
        child.released = released;
        return child;
    }

    /**
     * Releases every block, last first, so that under LRU the tail of a prefix (the part fewest other prompts share)
     * is evicted before its head; the table is then empty.
     */
    public void free() {
        for (int i = numBlocks - 1; i >= released; i--) {
            pool.release(blocks[i]);
        }
        numBlocks = 0;
        numTokens = 0;
        numHashed = 0;
        released = 0;
    }

    /**
     * Sliding window: releases the blocks that lie wholly before {@code position}, the first position any later
     * query attends to ({@code pos - window + 1} for the earliest query still to come). Returns how many were
     * released. The caller decides per call: a model whose global layers attend to everything (Gemma 2/3) must keep
     * the blocks, since the table's blocks hold every layer.
     */
    public int releaseBlocksBefore(int position) {
        if (position < 0 || position > numTokens) {
            throw new IndexOutOfBoundsException("window start " + position + " is outside 0.." + numTokens);
        }
        int before = Math.min(position / blockSize, numBlocks);
        int count = 0;
        for (; released < before; released++) {
            pool.release(blocks[released]);
            blocks[released] = BlockPool.NO_BLOCK;
            count++;
        }
        return count;
    }

    /**
     * Forgets positions from {@code keep} on (rejected speculative tokens, a step that failed), releasing blocks
     * that no longer hold any position. Hashed (cached) blocks are immutable, so positions in them cannot be dropped.
     */
    public void truncate(int keep) {
        int floor = Math.max(numHashed, released) * blockSize;
        if (keep < floor || keep > numTokens) {
            throw new IllegalArgumentException("cannot truncate to " + keep + " tokens: " + numTokens + " tokens, the first "
                    + floor + " in cached or released blocks");
        }
        int keepBlocks = Math.ceilDiv(keep, blockSize);
        for (int i = numBlocks - 1; i >= keepBlocks; i--) {
            pool.release(blocks[i]);
        }
        numBlocks = keepBlocks;
        numTokens = keep;
    }

    /**
     * Starts an empty table on a cached prefix: retains (or revives) the matched blocks. Leading
     * {@link BlockPool#NO_BLOCK} entries (a sliding window's match) count as released.
     */
    void adopt(PrefixMatch match, int[] src) {
        if (numBlocks != 0) {
            throw new IllegalStateException("a prefix can only be adopted by an empty block table");
        }
        int[] ids = match.blockIds();
        BlockHash[] matched = match.hashes();
        tokens = grow(tokens, match.tokens());
        System.arraycopy(src, 0, tokens, 0, match.tokens());
        numTokens = match.tokens();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == BlockPool.NO_BLOCK) {
                if (released != i) {
                    throw new IllegalArgumentException("a prefix match can lack only leading blocks, not block " + i);
                }
                released++;
            } else {
                pool.retain(ids[i]);
            }
            addBlock(ids[i]);
            setHash(i, matched[i]);
        }
    }

    /** Records the hash of logical block {@code i}, the next unhashed one. */
    void setHash(int i, BlockHash hash) {
        if (i != numHashed || (i + 1) * blockSize > numTokens) {
            throw new IllegalStateException("block " + i + " cannot be hashed now (" + numHashed + " hashed, "
                    + numTokens + " tokens)");
        }
        if (i == hashes.length) {
            hashes = Arrays.copyOf(hashes, 2 * i);
        }
        hashes[i] = hash;
        numHashed++;
    }

    /** The token ids, positions {@code [0, numTokens())} valid; read-only by contract. */
    int[] tokenArray() {
        return tokens;
    }

    private boolean lastBlockShared() {
        return numTokens % blockSize != 0 && pool.refCount(blocks[numBlocks - 1]) > 1;
    }

    private void addBlock(int block) {
        if (numBlocks == blocks.length) {
            blocks = Arrays.copyOf(blocks, 2 * numBlocks);
        }
        blocks[numBlocks++] = block;
    }

    private void checkPosition(int position) {
        if (position < 0 || position >= numTokens) {
            throw new IndexOutOfBoundsException("position " + position + " is outside 0.." + (numTokens - 1));
        }
    }

    private static int[] grow(int[] a, int size) {
        return size <= a.length ? a : Arrays.copyOf(a, Math.max(size, 2 * a.length));
    }
}
