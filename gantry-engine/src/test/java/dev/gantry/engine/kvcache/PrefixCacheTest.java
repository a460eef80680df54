package dev.gantry.engine.kvcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrefixCacheTest {

    private final BlockPool pool = new BlockPool(new KvCacheConfig(4, 1, KvCacheType.F16), new KvShape(1, 32, 32), 8);
    private final PrefixCache cache = new PrefixCache(pool);

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void aBlockHashDependsOnItsTokensItsParentAndItsExtraKeyOnly() {
        int[] a = {9, 1, 2, 3, 4, 9};
        int[] b = {7, 1, 2, 3, 4, 7};
        BlockHash h = cache.hash(BlockHash.ROOT, a, 1, null);
        assertThat(cache.hash(BlockHash.ROOT, b, 1, null)).isEqualTo(h);
        assertThat(cache.hash(BlockHash.ROOT, new int[] {1, 2, 3, 5}, 0, null)).isNotEqualTo(h);
        assertThat(cache.hash(new BlockHash(0, 1), a, 1, null)).isNotEqualTo(h);
        byte[] lora = "adapter-a".getBytes(StandardCharsets.UTF_8);
        BlockHash withKey = cache.hash(BlockHash.ROOT, a, 1, lora);
        assertThat(withKey).isNotEqualTo(h);
        assertThat(cache.hash(BlockHash.ROOT, a, 1, lora.clone())).isEqualTo(withKey);
        assertThat(cache.hash(BlockHash.ROOT, a, 1, new byte[0])).isNotEqualTo(h);
    }

    @Test
    void theLongestPrefixStopsAtTheFirstUncachedBlockAndAtTheTokenLimit() {
        int[] tokens = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
        BlockHash h0 = cache.hash(BlockHash.ROOT, tokens, 0, null);
        BlockHash h1 = cache.hash(h0, tokens, 4, null);
        BlockHash h2 = cache.hash(h1, tokens, 8, null);
        int b0 = pool.allocate();
        int b2 = pool.allocate();
        pool.cache(b0, h0);
        pool.cache(b2, h2); // block 1 missing: block 2 is unreachable
        PrefixMatch m = cache.longestPrefix(tokens, 13, ExtraKeys.NONE);
        assertThat(m.tokens()).isEqualTo(4);
        assertThat(m.blockIds()).containsExactly(b0);
        assertThat(m.hashes()).containsExactly(h0);

        int b1 = pool.allocate();
        pool.cache(b1, h1);
        assertThat(cache.longestPrefix(tokens, 13, ExtraKeys.NONE).blockIds()).containsExactly(b0, b1, b2);
        assertThat(cache.longestPrefix(tokens, 11, ExtraKeys.NONE).blockIds()).containsExactly(b0, b1);
        assertThat(cache.longestPrefix(tokens, 3, ExtraKeys.NONE).tokens()).isZero();
        assertThat(cache.longestPrefix(tokens, 13, ExtraKeys.sequence(new byte[] {1})).tokens()).isZero();
    }

    @Test
    void statsCountQueriedAndHitTokens() {
        assertThat(cache.stats().hitRate()).isZero();
        cache.recordQuery(100, 64);
        cache.recordQuery(100, 0);
        assertThat(cache.stats()).isEqualTo(new PrefixCacheStats(2, 200, 64));
        assertThat(cache.stats().hitRate()).isEqualTo(0.32);
    }
}
