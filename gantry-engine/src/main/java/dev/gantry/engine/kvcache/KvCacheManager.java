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
 * <p>NOTE: a block is offered to the prefix cache only once committed, i.e. after its K/V were written, so a step
 * that fails never leaves garbage behind a hash. Not thread-safe: the engine loop owns it (see {@link BlockPool}).
 */
public final class KvCacheManager implements AutoCloseable {

    private final BlockPool pool;
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
        this.prefixCache = new PrefixCache(pool);
        this.blockSize = pool.blockSize();
    }

    public int blockSize() {
        return blockSize;
    }

    public BlockPool pool() {
        return pool;
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
        return prefixCache.longestPrefix(tokens, tokens.length - 1, extraKeys).tokens();
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
        if (seq.table.numTokens() != seq.computed) {
            throw new IllegalStateException("sequence " + seqId + " has " + (seq.table.numTokens() - seq.computed)
                    + " scheduled tokens not committed; call commitComputed after each step");
        }
        checkFits(seqId, tokens, seq.computed + numNewTokens);
        return seq.table.append(tokens, seq.computed, numNewTokens);
    }

    /**
     * After a step: the first {@code numComputedTokens} tokens of the sequence now have their keys and values
     * written. Slots scheduled beyond that (rejected speculative tokens) are dropped; newly full blocks are hashed
     * and cached for other sequences to share.
     */
    public void commitComputed(long seqId, int numComputedTokens) {
        Sequence seq = sequence(seqId);
        if (numComputedTokens < seq.computed || numComputedTokens > seq.table.numTokens()) {
            throw new IllegalArgumentException("sequence " + seqId + ": computed tokens can go from " + seq.computed
                    + " up to its " + seq.table.numTokens() + " slots, not to " + numComputedTokens);
        }
        seq.computed = numComputedTokens;
        if (numComputedTokens < seq.table.numTokens()) {
            seq.table.truncate(numComputedTokens);
        }
        prefixCache.registerComputed(seq.table, numComputedTokens, seq.extraKeys);
    }

    /** Tokens whose keys and values are in the cache (adopted from the prefix cache or committed). */
    public int computedTokens(long seqId) {
        return sequence(seqId).computed;
    }

    /** Tokens with slots: computed ones plus those scheduled in the current step. */
    public int numTokens(long seqId) {
        return sequence(seqId).table.numTokens();
    }

    public boolean contains(long seqId) {
        return sequences.containsKey(seqId);
    }

    public Set<Long> sequenceIds() {
        return Set.copyOf(sequences.keySet());
    }

    /** The KV slot of token {@code position} of a sequence ({@code block * blockSize + offset}). */
    public int slot(long seqId, int position) {
        return sequence(seqId).table.slot(position);
    }

    /** A copy of a sequence's physical block ids, logical order; {@link BlockPool#NO_BLOCK} where released. */
    public int[] blockIds(long seqId) {
        return sequence(seqId).table.blockIds();
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
        if (parent.table.numTokens() != parent.computed) {
            throw new IllegalStateException("sequence " + parentId + " has scheduled tokens not committed; fork between steps");
        }
        sequences.put(childId, new Sequence(parent.table.fork(), parent.computed, parent.extraKeys));
    }

    /** Releases all blocks of a sequence (finished, cancelled, preempted); false if it holds none. */
    public boolean free(long seqId) {
        Sequence seq = sequences.remove(seqId);
        if (seq == null) {
            return false;
        }
        seq.table.free();
        return true;
    }

    /**
     * Sliding window: releases the sequence's blocks wholly before {@code position}. Call it only when no layer
     * attends before {@code position} any more; blocks hold every layer, so a model with global layers keeps them.
     */
    public int releaseBlocksBefore(long seqId, int position) {
        return sequence(seqId).table.releaseBlocksBefore(position);
    }

    /** Stores a token's key and value for one layer: {@link KvBlockStorage#write}. */
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
        PrefixMatch match = prefixCache.longestPrefix(tokens, tokens.length - 1, extraKeys);
        checkFits(seqId, tokens, match.tokens() + numNewTokens);
        int revived = 0;
        for (int block : match.blockIds()) {
            if (pool.refCount(block) == 0) {
                revived++;
            }
        }
        int fresh = Math.ceilDiv(match.tokens() + numNewTokens, blockSize) - match.blocks();
        if (revived + fresh > pool.freeBlockCount()) {
            return false;
        }
        BlockTable table = new BlockTable(pool);
        table.adopt(match, tokens);
        if (!table.append(tokens, match.tokens(), numNewTokens)) {
            throw new IllegalStateException("KV pool accounting is off: " + fresh + " blocks were free but could not be allocated");
        }
        sequences.put(seqId, new Sequence(table, match.tokens(), extraKeys));
        prefixCache.recordQuery(tokens.length, match.tokens());
        return true;
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

    /** What the manager keeps per sequence beyond its table. */
    private static final class Sequence {
        final BlockTable table;
        final ExtraKeys extraKeys;
        int computed;

        Sequence(BlockTable table, int computed, ExtraKeys extraKeys) {
            this.table = table;
            this.computed = computed;
            this.extraKeys = extraKeys;
        }
    }
}
