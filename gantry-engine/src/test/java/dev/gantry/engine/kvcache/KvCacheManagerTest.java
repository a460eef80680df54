package dev.gantry.engine.kvcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KvCacheManagerTest {

    private KvCacheManager kv;

    private KvCacheManager manager(int blockSize, int blocks) {
        kv = new KvCacheManager(new BlockPool(new KvCacheConfig(blockSize, 1, KvCacheType.F16), new KvShape(2, 32, 32), blocks));
        return kv;
    }

    @AfterEach
    void close() {
        if (kv != null) {
            kv.close();
        }
    }

    private static int[] prompt(int start, int n) {
        return IntStream.range(start, start + n).toArray();
    }

    /** Prefill a whole prompt in one step and commit it. */
    private static void run(KvCacheManager kv, long id, int[] tokens) {
        int cached = kv.computedPrefix(tokens);
        assertThat(kv.allocateSlots(id, tokens, tokens.length - cached)).isTrue();
        kv.commitComputed(id, tokens.length);
    }

    @Test
    void aRepeatedPromptReusesExactlyItsFullBlocks() {
        KvCacheManager kv = manager(16, 10);
        int[] p = prompt(0, 40);
        run(kv, 1, p);
        int[] first = kv.blockIds(1, 0);
        kv.free(1);

        assertThat(kv.computedPrefix(p)).isEqualTo(32);
        assertThat(kv.allocateSlots(2, p, 8)).isTrue();
        assertThat(kv.computedTokens(2)).isEqualTo(32);
        int[] second = kv.blockIds(2, 0);
        assertThat(Arrays.copyOf(second, 2)).containsExactly(first[0], first[1]);
        assertThat(kv.pool().hashOf(second[2])).as("a partial block is never a cache hit").isNull();
        assertThat(kv.usage().usedBlocks()).isEqualTo(3);
        assertThat(kv.prefixStats()).isEqualTo(new PrefixCacheStats(2, 80, 32));
        assertThat(kv.prefixHitRate()).isEqualTo(0.4);
    }

    @Test
    void aFullyCachedPromptStillLeavesItsLastTokenToCompute() {
        KvCacheManager kv = manager(16, 10);
        int[] p = prompt(0, 32);
        run(kv, 1, p);
        assertThat(kv.computedPrefix(p)).isEqualTo(16);
        assertThat(kv.computedPrefix(Arrays.copyOf(p, 33))).isEqualTo(32);
    }

    @Test
    void runningSequencesShareCachedBlocksWithNewOnes() {
        KvCacheManager kv = manager(4, 10);
        int[] p = prompt(0, 9);
        run(kv, 1, p);
        run(kv, 2, p);
        assertThat(kv.blockIds(2, 0)[0]).isEqualTo(kv.blockIds(1, 0)[0]);
        assertThat(kv.pool().refCount(kv.blockIds(1, 0)[1])).isEqualTo(2);
        assertThat(kv.usage()).isEqualTo(new KvUsage(4, 0, 10));
    }

    @Test
    void blocksAreSharedOnlyOnceTheirTokensAreCommitted() {
        KvCacheManager kv = manager(4, 10);
        int[] p = prompt(0, 9);
        assertThat(kv.allocateSlots(1, p, 9)).isTrue();
        assertThat(kv.computedPrefix(p)).isZero();
        kv.commitComputed(1, 5);
        assertThat(kv.computedPrefix(p)).isEqualTo(4);
        assertThat(kv.numTokens(1)).as("slots past the committed tokens are dropped").isEqualTo(5);
    }

    @Test
    void decodingOneTokenAStepCachesEachBlockAsItFills() {
        KvCacheManager kv = manager(4, 10);
        int[] tokens = prompt(0, 3);
        run(kv, 1, tokens);
        for (int step = 0; step < 6; step++) {
            tokens = Arrays.copyOf(tokens, tokens.length + 1);
            tokens[tokens.length - 1] = 50 + step;
            assertThat(kv.allocateSlots(1, tokens, 1)).isTrue();
            assertThat(kv.slot(1, 0, tokens.length - 1)).isEqualTo(kv.blockIds(1, 0)[(tokens.length - 1) / 4] * 4 + (tokens.length - 1) % 4);
            kv.commitComputed(1, tokens.length);
        }
        kv.free(1);
        // the next turn of the conversation: prompt and answer so far, plus a new message
        int[] nextTurn = Arrays.copyOf(tokens, tokens.length + 3);
        assertThat(kv.computedPrefix(nextTurn)).isEqualTo(8);
    }

    @Test
    void outOfBlocksAnswersFalseAndChangesNothing() {
        KvCacheManager kv = manager(4, 3);
        run(kv, 1, prompt(0, 8));
        KvUsage before = kv.usage();
        assertThat(kv.allocateSlots(2, prompt(100, 8), 8)).isFalse();
        assertThat(kv.contains(2)).isFalse();
        assertThat(kv.usage()).isEqualTo(before);
        assertThat(kv.prefixStats().queries()).isEqualTo(1);

        int[] longer = Arrays.copyOf(prompt(0, 8), 13);
        assertThat(kv.allocateSlots(1, longer, 5)).isFalse();
        assertThat(kv.numTokens(1)).isEqualTo(8);
        assertThat(kv.allocateSlots(1, longer, 4)).isTrue();
    }

    @Test
    void aPrefixHitOnFreeCachedBlocksCountsThemAgainstTheFreeBlocks() {
        KvCacheManager kv = manager(4, 3);
        int[] p = prompt(0, 9);
        run(kv, 1, p); // 3 blocks, 2 of them cached
        kv.free(1);
        assertThat(kv.usage()).isEqualTo(new KvUsage(0, 2, 3));
        assertThat(kv.allocateSlots(2, Arrays.copyOf(p, 13), 5)).as("2 revived + 2 new > 3").isFalse();
        assertThat(kv.computedPrefix(p)).isEqualTo(8);
        assertThat(kv.allocateSlots(2, p, 1)).isTrue();
        assertThat(kv.computedTokens(2)).isEqualTo(8);
    }

    @Test
    void schedulingAgainBeforeCommittingIsAnError() {
        KvCacheManager kv = manager(4, 10);
        int[] p = prompt(0, 9);
        kv.allocateSlots(1, p, 4);
        assertThatThrownBy(() -> kv.allocateSlots(1, p, 4)).isInstanceOf(IllegalStateException.class).hasMessageContaining("commitComputed");
        assertThatThrownBy(() -> kv.commitComputed(1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kv.allocateSlots(3, p, 10)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only 9 tokens");
        assertThatThrownBy(() -> kv.computedTokens(42)).hasMessageContaining("42");
    }

    @Test
    void extraKeysKeepTenantsOrAdaptersApart() {
        KvCacheManager kv = manager(4, 10);
        int[] p = prompt(0, 9);
        ExtraKeys alice = ExtraKeys.sequence("tenant-alice".getBytes(StandardCharsets.UTF_8));
        ExtraKeys bob = ExtraKeys.sequence("tenant-bob".getBytes(StandardCharsets.UTF_8));
        assertThat(kv.allocateSlots(1, p, 9, alice)).isTrue();
        kv.commitComputed(1, 9);
        assertThat(kv.computedPrefix(p, alice)).isEqualTo(8);
        assertThat(kv.computedPrefix(p, bob)).isZero();
        assertThat(kv.computedPrefix(p)).isZero();
    }

    @Test
    void aForkedSequenceSharesItsParentsBlocksUntilEitherWrites() {
        KvCacheManager kv = manager(4, 10);
        int[] p = prompt(0, 6);
        run(kv, 1, p);
        kv.fork(1, 2);
        assertThat(kv.blockIds(2, 0)).containsExactly(kv.blockIds(1, 0));
        assertThat(kv.computedTokens(2)).isEqualTo(6);
        int[] p1 = Arrays.copyOf(p, 7);
        p1[6] = 77;
        assertThat(kv.allocateSlots(2, p1, 1)).isTrue();
        assertThat(kv.blockIds(2, 0)[1]).isNotEqualTo(kv.blockIds(1, 0)[1]);
        assertThatThrownBy(() -> kv.fork(1, 2)).hasMessageContaining("already exists");
        kv.free(1);
        kv.free(2);
        assertThat(kv.usage().usedBlocks()).isZero();
        assertThat(kv.free(2)).isFalse();
    }

    /** Blocks of 4 tokens over a global layer and a layer with a window of 8: two groups of one layer each. */
    private KvCacheManager hybrid(int blocks) {
        kv = new KvCacheManager(new BlockPool(new KvCacheConfig(4, 1, KvCacheType.F16),
                new KvShape(KvCacheGroups.of(new int[] {0, 8}), 32, 32), blocks));
        return kv;
    }

    @Test
    void aSlidingGroupReleasesTheBlocksBehindItsWindowAtEachCommit() {
        KvCacheManager kv = hybrid(20);
        run(kv, 1, prompt(0, 18));
        // the next query, at 18, sees 11..18: blocks 0 and 1 (positions 0..7) are behind the window
        assertThat(kv.blockIds(1, 1)).startsWith(BlockPool.NO_BLOCK, BlockPool.NO_BLOCK).hasSize(5);
        assertThat(kv.blockIds(1, 1)[2]).isNotEqualTo(BlockPool.NO_BLOCK);
        assertThat(kv.blockIds(1, 0)).hasSize(5).doesNotContain(BlockPool.NO_BLOCK);
        assertThat(kv.usage().usedBlocks()).isEqualTo(5 + 3);

        assertThat(kv.allocateSlots(1, prompt(0, 19), 1)).isTrue();
        kv.commitComputed(1, 19);
        assertThat(kv.blockIds(1, 1)[2]).as("position 11 is out of the window of the query at 19").isEqualTo(BlockPool.NO_BLOCK);
        assertThat(kv.usage().usedBlocks()).isEqualTo(5 + 2);
    }

    @Test
    void aSequenceOfAHybridModelNeedsOnlyItsWindowOfSlidingBlocks() {
        KvCacheManager kv = hybrid(20);
        assertThat(kv.blocksFor(64, 4)).as("16 global blocks, a window of 8 and a chunk of 4 over 4 sliding ones")
                .isEqualTo(16 + 2 + 1 + 1);
        int[] tokens = prompt(0, 64);
        for (int n = 4; n <= 64; n += 4) {
            assertThat(kv.allocateSlots(1, tokens, 4)).as("chunk ending at %d", n).isTrue();
            kv.commitComputed(1, n);
        }
        assertThat(kv.usage().usedBlocks()).isLessThanOrEqualTo(20);
    }

    @Test
    void aPrefixHitOnAHybridModelNeedsOnlyTheSlidingBlocksInsideTheWindow() {
        KvCacheManager kv = hybrid(24);
        int[] p = prompt(0, 40);
        run(kv, 1, p); // 10 global blocks; the sliding group released its blocks 0..7 at the commit
        kv.free(1);
        // evict the sliding group's blocks 0..5, the least recently released: all 4 never-used blocks go first
        int[] other = prompt(100, 40);
        assertThat(kv.allocateSlots(2, other, 4 * 5)).isTrue();
        kv.free(2);

        // resuming at 36 needs sliding positions 29..35 (blocks 7 and 8) and every global block before 36
        assertThat(kv.computedPrefix(p)).isEqualTo(36);
        assertThat(kv.allocateSlots(3, p, 4)).isTrue();
        assertThat(kv.computedTokens(3)).isEqualTo(36);
        assertThat(kv.blockIds(3, 1)).startsWith(BlockPool.NO_BLOCK, BlockPool.NO_BLOCK, BlockPool.NO_BLOCK,
                BlockPool.NO_BLOCK, BlockPool.NO_BLOCK, BlockPool.NO_BLOCK, BlockPool.NO_BLOCK).hasSize(10);
        assertThat(kv.blockIds(3, 0)).hasSize(10).doesNotContain(BlockPool.NO_BLOCK);
    }

    @Test
    void aPrefixWhoseSlidingWindowWasEvictedIsNotAHit() {
        KvCacheManager kv = hybrid(24);
        int[] p = prompt(0, 40);
        run(kv, 1, p);
        kv.free(1);
        int[] other = prompt(100, 40);
        assertThat(kv.allocateSlots(2, other, 4 * 6)).isTrue(); // 4 never used, then sliding blocks 0..7
        kv.free(2);

        assertThat(kv.computedPrefix(p)).as("block 7 is gone, and no earlier run of two blocks is cached").isZero();
    }

    @Test
    void keysWrittenThroughTheManagerAreReadAtTheSequencesSlot() {
        KvCacheManager kv = manager(4, 10);
        run(kv, 1, prompt(0, 6));
        int slot = kv.slot(1, 0, 5);
        float[] k = new float[32];
        float[] v = new float[32];
        k[3] = 0.25f;
        v[31] = -8;
        kv.write(slot / 4, slot % 4, 1, k, 0, v, 0);
        float[] out = new float[32];
        kv.storage().keyAt(1, slot / 4, slot % 4, out, 0);
        assertThat(out[3]).isEqualTo(0.25f);
        kv.storage().valueAt(1, slot / 4, slot % 4, out, 0);
        assertThat(out[31]).isEqualTo(-8);
    }

    @Test
    void finishedPromptsAreEvictedLeastRecentlyUsedFirstAndAHitRenewsThem() {
        KvCacheManager kv = manager(4, 6);
        int[] a = prompt(0, 8);
        int[] b = prompt(100, 8);
        int[] c = prompt(200, 8);
        for (int[] p : new int[][] {a, b, c}) {
            run(kv, p[0], p);
            kv.free(p[0]);
        }
        assertThat(kv.usage()).isEqualTo(new KvUsage(0, 6, 6));
        run(kv, 1, prompt(300, 8)); // needs 2 blocks: A's go
        kv.free(1);
        assertThat(kv.computedPrefix(Arrays.copyOf(a, 9))).isZero();
        assertThat(kv.computedPrefix(Arrays.copyOf(b, 9))).isEqualTo(8);
        assertThat(kv.computedPrefix(Arrays.copyOf(c, 9))).isEqualTo(8);

        int[] bAgain = Arrays.copyOf(b, 9);
        run(kv, 2, bAgain); // a hit on B makes it the most recent; its third block evicts C's last
        kv.free(2);
        run(kv, 3, prompt(400, 8)); // reuses B's uncached third block, then evicts C's first
        kv.free(3);
        assertThat(kv.computedPrefix(Arrays.copyOf(c, 9))).isZero();
        assertThat(kv.computedPrefix(Arrays.copyOf(b, 9))).isEqualTo(8);
        assertThat(kv.pool().evictions()).isEqualTo(4);
    }
}
