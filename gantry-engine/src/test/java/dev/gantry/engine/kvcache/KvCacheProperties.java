package dev.gantry.engine.kvcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Random schedules over a small pool, run the way the scheduler and runner will drive the cache: submit, prefill in
 * chunks, decode, roll back, fork, cancel, finish, preempt, and squeeze the pool so that cached blocks get evicted;
 * over plain models and hybrid ones whose sliding-window layers release blocks as the window moves. After every
 * operation the pool's books must balance, a sliding group must hold exactly the blocks its window needs, and
 * every sequence must read back the keys its own tokens produced, whoever else shares its blocks.
 */
class KvCacheProperties {

    private static final int BLOCK = 4;
    private static final int BLOCKS_PER_GROUP = 12;
    private static final int DIM = 32;
    private static final int[][] BASES = {
        {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20},
        {1, 2, 3, 4, 5, 6, 7, 8, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41},
        {50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69},
    };

    enum Kind { SUBMIT, STEP, STEP_ROLLBACK, FORK, CANCEL, SQUEEZE }

    record Op(Kind kind, int a, int b) {
    }

    @Provide
    Arbitrary<List<Op>> schedules() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.frequency(
                        Tuple.of(3, Kind.SUBMIT), Tuple.of(5, Kind.STEP), Tuple.of(1, Kind.STEP_ROLLBACK),
                        Tuple.of(1, Kind.FORK), Tuple.of(1, Kind.CANCEL), Tuple.of(1, Kind.SQUEEZE)),
                Arbitraries.integers().between(0, 999),
                Arbitraries.integers().between(0, 999)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(80);
    }

    /** Attention windows per layer: plain, Gemma 2's alternation, Gemma 3's five local layers to one global one. */
    @Provide
    Arbitrary<int[]> layouts() {
        return Arbitraries.of(5, 8, 9).flatMap(w -> Arbitraries.of(
                new int[] {0, 0}, new int[] {w, 0, w, 0}, new int[] {w, w, w, w, w, 0}));
    }

    @Property(tries = 400)
    void randomSchedulesNeverLeakDoubleFreeOrCorruptABlock(@ForAll("schedules") List<Op> ops, @ForAll("layouts") int[] windows) {
        try (Harness h = new Harness(windows)) {
            for (Op op : ops) {
                h.apply(op);
                h.checkBooks();
                h.checkContents();
            }
            h.freeAll();
            assertThat(h.kv.usage().usedBlocks()).isZero();
            assertThat(h.kv.pool().freeBlockCount()).isEqualTo(h.blocks);
            assertThat(h.kv.pool().freeQueue()).hasSize(h.blocks).doesNotHaveDuplicates();
            for (int b = 0; b < h.blocks; b++) {
                assertThat(h.kv.pool().refCount(b)).isZero();
            }
        }
    }

    @Property(tries = 200)
    void aRepeatedPromptReusesExactlyItsFullBlocksAndComputesTheRest(
            @ForAll @IntRange(min = 1, max = 60) int length, @ForAll("blockSizes") int blockSize) {
        int[] prompt = new int[length];
        Arrays.setAll(prompt, i -> 3 * i + 1);
        try (KvCacheManager kv = new KvCacheManager(new BlockPool(new KvCacheConfig(blockSize, 1, KvCacheType.F16),
                new KvShape(1, 32, 32), 2 * 60 + 2))) {
            assertThat(kv.allocateSlots(1, prompt, length)).isTrue();
            kv.commitComputed(1, length);
            int[] first = kv.blockIds(1, 0);
            int expectedBlocks = (length - 1) / blockSize;
            assertThat(kv.computedPrefix(prompt)).isEqualTo(expectedBlocks * blockSize);
            assertThat(kv.allocateSlots(2, prompt, length - expectedBlocks * blockSize)).isTrue();
            int[] second = kv.blockIds(2, 0);
            assertThat(Arrays.copyOf(second, expectedBlocks)).containsExactly(Arrays.copyOf(first, expectedBlocks));
            for (int i = expectedBlocks; i < second.length; i++) {
                assertThat(first).as("block %d is computed anew", i).doesNotContain(second[i]);
            }
        }
    }

    @Provide
    Arbitrary<Integer> blockSizes() {
        return Arbitraries.of(1, 2, 4, 16);
    }

    /** The cache under test plus a model of what each sequence should hold. */
    private static final class Harness implements AutoCloseable {
        final KvCacheGroups groups;
        final int blocks;
        final KvCacheManager kv;
        final Map<Long, int[]> tokens = new LinkedHashMap<>();   // running: its tokens so far
        final List<int[]> preempted = new ArrayList<>();
        long nextId = 1;
        int uniqueToken = 1000;

        Harness(int[] windows) {
            groups = KvCacheGroups.of(windows);
            blocks = BLOCKS_PER_GROUP * groups.groupCount();
            kv = new KvCacheManager(new BlockPool(new KvCacheConfig(BLOCK, 1, KvCacheType.F16),
                    new KvShape(groups, DIM, DIM), blocks));
        }

        void apply(Op op) {
            switch (op.kind()) {
                case SUBMIT -> submit(op);
                case STEP -> step(pick(op.a()), op.b(), false);
                case STEP_ROLLBACK -> step(pick(op.a()), op.b(), true);
                case FORK -> fork(pick(op.a()));
                case CANCEL -> cancel(pick(op.a()));
                case SQUEEZE -> squeeze(op.a());
            }
        }

        private Long pick(int a) {
            if (tokens.isEmpty()) {
                return null;
            }
            List<Long> ids = new ArrayList<>(tokens.keySet());
            return ids.get(a % ids.size());
        }

        private void submit(Op op) {
            int[] prompt;
            if (op.a() % 4 == 0 && !preempted.isEmpty()) {
                prompt = preempted.remove(op.b() % preempted.size()); // recompute a preempted sequence
            } else {
                int[] base = BASES[op.a() % BASES.length];
                prompt = Arrays.copyOf(base, 1 + op.b() % base.length);
                if (op.a() / BASES.length % 3 == 1) {
                    prompt[prompt.length - 1] = 90 + op.b() % 5;
                }
            }
            long id = nextId++;
            int cached = kv.computedPrefix(prompt);
            assertThat(cached).isLessThan(prompt.length).isEqualTo(cached / BLOCK * BLOCK);
            int n = Math.min(prompt.length - cached, 1 + op.b() % 7);
            if (kv.allocateSlots(id, prompt, n)) {
                assertThat(kv.computedTokens(id)).as("the prefix adopted is the one looked up").isEqualTo(cached);
                tokens.put(id, prompt);
                runStep(id, cached, n, false);
            } else {
                assertThat(kv.contains(id)).isFalse();
            }
        }

        private void step(Long id, int b, boolean rollback) {
            if (id == null) {
                return;
            }
            int[] t = tokens.get(id);
            int computed = kv.computedTokens(id);
            int n;
            if (computed < t.length) {
                n = Math.min(t.length - computed, 1 + b % 6); // a prefill chunk
            } else {
                t = Arrays.copyOf(t, t.length + 1);          // decode: the token sampled last step
                t[t.length - 1] = 70 + b % 4;
                tokens.put(id, t);
                n = 1;
            }
            if (kv.allocateSlots(id, t, n)) {
                runStep(id, computed, n, rollback);
            } else {
                preempted.add(t);                             // recompute later
                cancel(id);
            }
        }

        /** The runner's part: write each scheduled token's K/V, then commit (all of them, or all but one). */
        private void runStep(long id, int from, int n, boolean rollback) {
            int[] t = tokens.get(id);
            for (int p = from; p < from + n; p++) {
                for (int layer = 0; layer < groups.layers(); layer++) {
                    int slot = kv.slot(id, groups.group(layer), p);
                    float[] k = new float[DIM];
                    float[] v = new float[DIM];
                    Arrays.fill(k, expected(t, p, layer));
                    Arrays.fill(v, -expected(t, p, layer));
                    kv.write(slot / BLOCK, slot % BLOCK, layer, k, 0, v, 0);
                }
            }
            kv.commitComputed(id, rollback && n > 1 ? from + n - 1 : from + n);
        }

        private void fork(Long id) {
            if (id == null) {
                return;
            }
            long child = nextId++;
            kv.fork(id, child);
            tokens.put(child, tokens.get(id).clone());
        }

        private void cancel(Long id) {
            if (id == null) {
                return;
            }
            assertThat(kv.free(id)).isTrue();
            assertThat(kv.free(id)).as("a second free is a no-op").isFalse();
            tokens.remove(id);
        }

        /** A burst of unseen tokens that takes most of the pool for one step, then finishes. */
        private void squeeze(int a) {
            int[] prompt = new int[BLOCK * (1 + a % BLOCKS_PER_GROUP)];
            for (int i = 0; i < prompt.length; i++) {
                prompt[i] = uniqueToken++;
            }
            long id = nextId++;
            if (kv.allocateSlots(id, prompt, prompt.length)) {
                tokens.put(id, prompt);
                runStep(id, 0, prompt.length, false);
                cancel(id);
            }
        }

        void freeAll() {
            for (Long id : new ArrayList<>(tokens.keySet())) {
                cancel(id);
            }
        }

        /** Every reference a table holds is one reference count, and free blocks are exactly the queue. */
        void checkBooks() {
            BlockPool pool = kv.pool();
            int[] refs = new int[blocks];
            assertThat(kv.sequenceIds()).isEqualTo(tokens.keySet());
            for (long id : tokens.keySet()) {
                for (int g = 0; g < groups.groupCount(); g++) {
                    int[] table = kv.blockIds(id, g);
                    int released = readableFrom(id, g) / BLOCK;
                    for (int i = 0; i < table.length; i++) {
                        assertThat(table[i] == BlockPool.NO_BLOCK)
                                .as("seq %d group %d block %d released iff wholly before the window", id, g, i)
                                .isEqualTo(i < released);
                        if (table[i] != BlockPool.NO_BLOCK) {
                            refs[table[i]]++;
                        }
                    }
                }
            }
            int free = 0;
            int cachedFree = 0;
            Set<Integer> queue = new HashSet<>();
            for (int b : pool.freeQueue()) {
                assertThat(queue.add(b)).as("block %d queued twice", b).isTrue();
            }
            for (int b = 0; b < blocks; b++) {
                assertThat(pool.refCount(b)).as("references to block %d", b).isEqualTo(refs[b]);
                assertThat(queue.contains(b)).as("block %d queued iff free", b).isEqualTo(refs[b] == 0);
                if (refs[b] == 0) {
                    free++;
                    if (pool.hashOf(b) != null) {
                        cachedFree++;
                    }
                }
                if (pool.hashOf(b) != null) {
                    assertThat(pool.cachedBlock(pool.hashOf(b))).isEqualTo(b);
                }
            }
            assertThat(pool.freeBlockCount()).isEqualTo(free);
            assertThat(pool.cachedFreeBlockCount()).isEqualTo(cachedFree);
            assertThat(kv.usage()).isEqualTo(new KvUsage(blocks - free, cachedFree, blocks));
            assertThat(kv.prefixHitRate()).isBetween(0.0, 1.0);
        }

        /** The first position the next query of a sequence attends to in a group. */
        int readableFrom(long id, int group) {
            return groups.sliding(group) ? Math.max(0, kv.computedTokens(id) - groups.window(group) + 1) : 0;
        }

        /** Each sequence reads, at every computed position its next query sees, the K/V its own prefix wrote. */
        void checkContents() {
            float[] row = new float[DIM];
            for (Map.Entry<Long, int[]> e : tokens.entrySet()) {
                long id = e.getKey();
                int computed = kv.computedTokens(id);
                for (int layer = 0; layer < groups.layers(); layer++) {
                    int g = groups.group(layer);
                    for (int p = readableFrom(id, g); p < computed; p++) {
                        int slot = kv.slot(id, g, p);
                        kv.storage().keyAt(layer, slot / BLOCK, slot % BLOCK, row, 0);
                        assertThat(row[0]).as("seq %d position %d layer %d", id, p, layer).isEqualTo(expected(e.getValue(), p, layer));
                        kv.storage().valueAt(layer, slot / BLOCK, slot % BLOCK, row, 0);
                        assertThat(row[DIM - 1]).isEqualTo(-expected(e.getValue(), p, layer));
                    }
                }
            }
        }

        /** What a model would store at {@code p}: a function of the whole prefix up to it (exact in binary16). */
        static float expected(int[] t, int p, int layer) {
            int h = layer + 1;
            for (int i = 0; i <= p; i++) {
                h = h * 31 + t[i] + 1;
            }
            return (h & 2047) + 1;
        }

        @Override
        public void close() {
            kv.close();
        }
    }
}
