package dev.gantry.engine.kvcache;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The paged KV cache as the scheduler and runner see it (vLLM v1's KVCacheManager): one {@link BlockTable} per
 * sequence over a shared {@link BlockPool}, with prefix caching. The scheduler's view of a sequence is vLLM's: its
 * tokens so far (prompt, then generated), of which the first {@link #computedTokens} have keys and values in the
 * cache; each step schedules some of the rest.
 *
 * <p>Per step, for each scheduled sequence:
 * <ol>
 *   <li>new: {@code cached = computedPrefix(prompt)}, then {@code allocateSlots(id, prompt, n)} adopts exactly those
 *       cached blocks and gives slots to the {@code n} tokens after them;</li>
 *   <li>running: {@code allocateSlots(id, tokens, n)} gives slots to {@code tokens[computed..computed+n)};</li>
 *   <li>{@code false} from either means out of blocks: nothing changed, preempt someone (or wait) and retry;</li>
 *   <li>the runner writes each scheduled token's K/V at {@link #slot} (through {@link #storage()});</li>
 *   <li>after the step, {@code commitComputed(id, computed + n)}: the new full blocks become cached prefixes.</li>
 * </ol>
 * {@code free(id)} on finish, cancel or preemption (recompute), {@code fork} for parallel sampling.
 *
 * <p>Hybrid models ({@link KvCacheGroups}): each sequence has one table per group over the one pool. Slots differ
 * per group ({@link #slot(long, int, int)}), allocation is all or nothing over all groups, a cached prefix is the
 * longest that every group holds, and a sliding-window group gives back, at each commit, the blocks no later query
 * can see (vLLM's HybridKVCacheCoordinator).
 *
 * <p>NOTE: a block is offered to the prefix cache only once committed, i.e. after its K/V were written, so a step
 * that fails never leaves garbage behind a hash. Not thread-safe: the engine loop owns it (see {@link BlockPool}).
 */
public final class KvCacheManager implements AutoCloseable {

    private final BlockPool pool;
    private final KvCacheGroups groups;
    private final PrefixCache prefixCache;
    private final int blockSize;
    private final Map<Long, Sequence> sequences = new HashMap<>();

    /** A cache of as many blocks as the budget holds for this model shape. */
    public KvCacheManager(KvCacheConfig config, KvShape shape) {
        this(new BlockPool(config, shape));
    }

    /** A manager over an existing pool, which it then owns (closes). */
    public KvCacheManager(BlockPool pool) {
        this.pool = pool;
        this.groups = pool.storage().groups();
        this.prefixCache = new PrefixCache(pool);
        this.blockSize = pool.blockSize();
    }

    public int blockSize() {
        return blockSize;
    }

    public BlockPool pool() {
        return pool;
    }

    /** How the model's layers share block tables. */
    public KvCacheGroups groups() {
        return groups;
    }

    /** Blocks a sequence of {@code tokens} holds at most, prefilled in chunks of up to {@code chunkTokens}. */
    public long blocksFor(int tokens, int chunkTokens) {
        return groups.blocksFor(tokens, chunkTokens, blockSize);
    }

    /** Block memory for the runner: writes, and the raw rows an attention kernel reads. */
    public KvBlockStorage storage() {
        return pool.storage();
    }

    /**
     * How many leading tokens of {@code tokens} are cached, in whole blocks, always leaving at least one token to
     * compute (the last token's logits are needed, as in vLLM). Looks only: nothing is retained or counted.
     */
    public int computedPrefix(int[] tokens) {
        return computedPrefix(tokens, ExtraKeys.NONE);
    }

    public int computedPrefix(int[] tokens, ExtraKeys extraKeys) {
        return longestPrefix(tokens, extraKeys)[0].tokens();
    }

    /** As {@link #allocateSlots(long, int[], int, ExtraKeys)} with no extra keys. */
    public boolean allocateSlots(long seqId, int[] tokens, int numNewTokens) {
        return allocateSlots(seqId, tokens, numNewTokens, ExtraKeys.NONE);
    }

    /**
     * Gives slots to the next {@code numNewTokens} tokens of a sequence; all or nothing.
     *
     * <p>For a sequence not seen yet (or freed since), first adopts its cached prefix, the
     * {@link #computedPrefix(int[], ExtraKeys)} of {@code tokens} at this moment, which then counts as computed;
     * {@code extraKeys} (adapter, tenant salt) stays with the sequence. For a running one, {@code tokens} are its
     * tokens so far and the new ones start at {@link #computedTokens}; its previous step must be committed.
     *
     * @return false when the pool lacks free blocks; nothing changed
     */
    public boolean allocateSlots(long seqId, int[] tokens, int numNewTokens, ExtraKeys extraKeys) {
        if (numNewTokens < 0) {
            throw new IllegalArgumentException("sequence " + seqId + ": cannot schedule " + numNewTokens + " tokens");
        }
        Sequence seq = sequences.get(seqId);
        if (seq == null) {
            return admit(seqId, tokens, numNewTokens, extraKeys);
        }
        if (seq.tables[0].numTokens() != seq.computed) {
            throw new IllegalStateException("sequence " + seqId + " has " + (seq.tables[0].numTokens() - seq.computed)
                    + " scheduled tokens not committed; call commitComputed after each step");
        }
        checkFits(seqId, tokens, seq.computed + numNewTokens);
        int needed = 0;
        for (BlockTable table : seq.tables) {
            needed += table.blocksNeeded(numNewTokens);
        }
        if (needed > pool.freeBlockCount()) {
            return false;
        }
        for (BlockTable table : seq.tables) {
            if (!table.append(tokens, seq.computed, numNewTokens)) {
                throw new IllegalStateException("KV pool accounting is off: " + needed + " blocks were free but could not be allocated");
            }
        }
        return true;
    }

    /**
     * After a step: the first {@code numComputedTokens} tokens of the sequence now have their keys and values
     * written. Slots scheduled beyond that (rejected speculative tokens) are dropped; newly full blocks are hashed
     * and cached for other sequences to share; sliding-window groups release the blocks wholly before the window of
     * the next query, at position {@code numComputedTokens} (they stay cached until evicted).
     */
    public void commitComputed(long seqId, int numComputedTokens) {
        Sequence seq = sequence(seqId);
        int slots = seq.tables[0].numTokens();
        if (numComputedTokens < seq.computed || numComputedTokens > slots) {
            throw new IllegalArgumentException("sequence " + seqId + ": computed tokens can go from " + seq.computed
                    + " up to its " + slots + " slots, not to " + numComputedTokens);
        }
        seq.computed = numComputedTokens;
        for (int g = 0; g < seq.tables.length; g++) {
            BlockTable table = seq.tables[g];
            if (numComputedTokens < table.numTokens()) {
                table.truncate(numComputedTokens);
            }
            prefixCache.registerComputed(table, numComputedTokens, seq.extraKeys);
            if (groups.sliding(g)) {
                table.releaseBlocksBefore(Math.max(0, numComputedTokens - groups.window(g) + 1));
            }
        }
    }

    /** Tokens whose keys and values are in the cache (adopted from the prefix cache or committed). */
    public int computedTokens(long seqId) {
        return sequence(seqId).computed;
    }

    /** Tokens with slots: computed ones plus those scheduled in the current step. */
    public int numTokens(long seqId) {
        return sequence(seqId).tables[0].numTokens();
    }

    public boolean contains(long seqId) {
        return sequences.containsKey(seqId);
    }

    public Set<Long> sequenceIds() {
        return Set.copyOf(sequences.keySet());
    }

    /** The KV slot of token {@code position} of a sequence in a group's blocks ({@code block * blockSize + offset}). */
    public int slot(long seqId, int group, int position) {
        return sequence(seqId).tables[group].slot(position);
    }

    /** A copy of a sequence's physical block ids in one group, logical order; {@link BlockPool#NO_BLOCK} where released. */
    public int[] blockIds(long seqId, int group) {
        return sequence(seqId).tables[group].blockIds();
    }

    /** {@link #blockIds(long, int)} of every group, indexed by group: what a forward pass attends through. */
    public int[][] blockTables(long seqId) {
        BlockTable[] tables = sequence(seqId).tables;
        int[][] ids = new int[tables.length][];
        for (int g = 0; g < tables.length; g++) {
            ids[g] = tables[g].blockIds();
        }
        return ids;
    }

    /**
     * A new sequence {@code childId} sharing all of {@code parentId}'s blocks (parallel sampling, beam search):
     * copy-on-write splits their last block when either appends.
     */
    public void fork(long parentId, long childId) {
        Sequence parent = sequence(parentId);
        if (sequences.containsKey(childId)) {
            throw new IllegalStateException("sequence " + childId + " already exists");
        }
        if (parent.tables[0].numTokens() != parent.computed) {
            throw new IllegalStateException("sequence " + parentId + " has scheduled tokens not committed; fork between steps");
        }
        BlockTable[] tables = new BlockTable[parent.tables.length];
        for (int g = 0; g < tables.length; g++) {
            tables[g] = parent.tables[g].fork();
        }
        sequences.put(childId, new Sequence(tables, parent.computed, parent.extraKeys));
    }

    /** Releases all blocks of a sequence (finished, cancelled, preempted); false if it holds none. */
    public boolean free(long seqId) {
        Sequence seq = sequences.remove(seqId);
        if (seq == null) {
            return false;
        }
        for (BlockTable table : seq.tables) {
            table.free();
        }
        return true;
    }

    /** Stores a token's key and value for one layer: {@link KvBlockStorage#write} (the block of the layer's group). */
    public void write(int blockId, int offsetInBlock, int layer, float[] k, int kOff, float[] v, int vOff) {
        pool.storage().write(blockId, offsetInBlock, layer, k, kOff, v, vOff);
    }

    public KvUsage usage() {
        return new KvUsage(pool.usedBlockCount(), pool.cachedFreeBlockCount(), pool.blockCount());
    }

    public PrefixCacheStats prefixStats() {
        return prefixCache.stats();
    }

    public double prefixHitRate() {
        return prefixCache.stats().hitRate();
    }

    /** Frees the block memory; sequences still held are simply dropped. */
    @Override
    public void close() {
        sequences.clear();
        pool.close();
    }

    private boolean admit(long seqId, int[] tokens, int numNewTokens, ExtraKeys extraKeys) {
        PrefixMatch[] matches = longestPrefix(tokens, extraKeys);
        int cached = matches[0].tokens();
        checkFits(seqId, tokens, cached + numNewTokens);
        int needed = 0;
        for (PrefixMatch match : matches) {
            for (int block : match.blockIds()) {
                if (block != BlockPool.NO_BLOCK && pool.refCount(block) == 0) {
                    needed++; // revived from the free queue
                }
            }
            needed += Math.ceilDiv(cached + numNewTokens, blockSize) - match.blocks();
        }
        if (needed > pool.freeBlockCount()) {
            return false;
        }
        BlockTable[] tables = new BlockTable[matches.length];
        for (int g = 0; g < tables.length; g++) {
            tables[g] = new BlockTable(pool, g);
            tables[g].adopt(matches[g], tokens);
        }
        for (BlockTable table : tables) {
            if (!table.append(tokens, cached, numNewTokens)) {
                throw new IllegalStateException("KV pool accounting is off: " + needed + " blocks were free but could not be allocated");
            }
        }
        sequences.put(seqId, new Sequence(tables, cached, extraKeys));
        prefixCache.recordQuery(tokens.length, cached);
        return true;
    }

    /**
     * Each group's match for the longest prefix of {@code tokens} that every group holds, leaving the last token to
     * compute. A group's answer can only shorten the prefix, and a shorter prefix may need other blocks of a
     * sliding group, so groups are asked again until all agree (at worst on none).
     */
    private PrefixMatch[] longestPrefix(int[] tokens, ExtraKeys extraKeys) {
        PrefixMatch[] matches = new PrefixMatch[groups.groupCount()];
        int length = tokens.length - 1;
        boolean agreed;
        do {
            agreed = true;
            for (int g = 0; g < matches.length; g++) {
                if (matches[g] == null || matches[g].tokens() != length) {
                    matches[g] = prefixCache.longestPrefix(tokens, length, extraKeys, g, groups.window(g));
                    if (matches[g].tokens() != length) {
                        length = matches[g].tokens();
                        agreed = false;
                    }
                }
            }
        } while (!agreed);
        return matches;
    }

    private static void checkFits(long seqId, int[] tokens, int target) {
        if (target > tokens.length) {
            throw new IllegalArgumentException("sequence " + seqId + ": slots up to " + target + " asked for, but it has only "
                    + tokens.length + " tokens");
        }
    }

    private Sequence sequence(long seqId) {
        Sequence seq = sequences.get(seqId);
        if (seq == null) {
            throw new IllegalArgumentException("no KV cache sequence " + seqId);
        }
        return seq;
    }

    /** What the manager keeps per sequence: a table per group, and what they share. */
    private static final class Sequence {
        final BlockTable[] tables;
        final ExtraKeys extraKeys;
        int computed;

        Sequence(BlockTable[] tables, int computed, ExtraKeys extraKeys) {
            this.tables = tables;
            this.computed = computed;
            this.extraKeys = extraKeys;
        }
    }
}
