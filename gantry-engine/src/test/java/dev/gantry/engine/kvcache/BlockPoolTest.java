package dev.gantry.engine.kvcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockPoolTest {

    private static final KvShape SHAPE = new KvShape(2, 32, 32);
    private BlockPool pool;

    private BlockPool pool(int blocks) {
        pool = new BlockPool(new KvCacheConfig(4, 1, KvCacheType.F16), SHAPE, blocks);
        return pool;
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    private static BlockHash hash(int i) {
        return new BlockHash(i, ~i);
    }

    @Test
    void theBudgetConstructorPreallocatesEveryBlockItHolds() {
        KvCacheConfig c = KvCacheConfig.of(10 * KvCacheConfig.of(1).blockBytes(SHAPE) + 5);
        try (BlockPool p = new BlockPool(c, SHAPE)) {
            assertThat(p.blockCount()).isEqualTo(10);
            assertThat(p.freeBlockCount()).isEqualTo(10);
            assertThat(p.storage().keys(1).byteSize()).isEqualTo(10 * 16 * 64);
        }
    }

    @Test
    void allocatingPastTheLastFreeBlockFailsFastWithoutTouchingTheOthers() {
        BlockPool p = pool(3);
        int a = p.allocate();
        int b = p.allocate();
        int c = p.allocate();
        assertThat(new int[] {a, b, c}).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(p.freeBlockCount()).isZero();
        assertThatThrownBy(p::allocate).isInstanceOf(KvCacheFullException.class).hasMessageContaining("all 3 KV blocks");
        assertThat(p.usedBlockCount()).isEqualTo(3);
        p.release(b);
        assertThat(p.allocate()).isEqualTo(b);
    }

    @Test
    void referenceCountsFollowRetainAndReleaseAndADoubleFreeIsCaught() {
        BlockPool p = pool(2);
        int a = p.allocate();
        p.retain(a);
        assertThat(p.refCount(a)).isEqualTo(2);
        p.release(a);
        assertThat(p.freeBlockCount()).isEqualTo(1);
        p.release(a);
        assertThat(p.refCount(a)).isZero();
        assertThat(p.freeBlockCount()).isEqualTo(2);
        assertThatThrownBy(() -> p.release(a)).isInstanceOf(IllegalStateException.class).hasMessageContaining("double free");
    }

    @Test
    void aFreeBlockWithoutCachedContentsCannotBeRetained() {
        BlockPool p = pool(2);
        assertThatThrownBy(() -> p.retain(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("allocate instead");
    }

    @Test
    void releasedCachedBlocksAreEvictedLeastRecentlyReleasedFirst() {
        BlockPool p = pool(4);
        for (int i = 0; i < 4; i++) {
            assertThat(p.allocate()).isEqualTo(i);
            assertThat(p.cache(i, hash(i))).isTrue();
        }
        p.release(2);
        p.release(0);
        p.release(3);
        p.release(1);
        assertThat(p.freeQueue()).containsExactly(2, 0, 3, 1);
        assertThat(p.cachedFreeBlockCount()).isEqualTo(4);

        assertThat(p.allocate()).isEqualTo(2);
        assertThat(p.cachedBlock(hash(2))).isEqualTo(BlockPool.NO_BLOCK);
        assertThat(p.hashOf(2)).isNull();
        assertThat(p.cachedBlock(hash(0))).isEqualTo(0);
        assertThat(p.evictions()).isEqualTo(1);
        assertThat(p.allocate()).isEqualTo(0);
        assertThat(p.freeQueue()).containsExactly(3, 1);
    }

    @Test
    void revivingACachedBlockTakesItOutOfTheQueueAndItsNextReleaseMakesItTheNewest() {
        BlockPool p = pool(3);
        for (int i = 0; i < 3; i++) {
            p.allocate();
            p.cache(i, hash(i));
        }
        p.release(0);
        p.release(1);
        p.release(2);
        p.retain(0); // a prefix hit
        assertThat(p.refCount(0)).isEqualTo(1);
        assertThat(p.hashOf(0)).isEqualTo(hash(0));
        assertThat(p.freeQueue()).containsExactly(1, 2);
        assertThat(p.cachedFreeBlockCount()).isEqualTo(2);
        p.release(0);
        assertThat(p.freeQueue()).containsExactly(1, 2, 0);
    }

    @Test
    void blocksWithoutAHashAreReusedBeforeAnyCachedBlockIsEvicted() {
        BlockPool p = pool(3);
        int cachedOne = p.allocate();
        int plain = p.allocate();
        p.cache(cachedOne, hash(7));
        p.release(cachedOne);
        p.release(plain);
        assertThat(p.freeQueue()).containsExactly(plain, 2, cachedOne);
        p.allocate();
        p.allocate();
        assertThat(p.cachedBlock(hash(7))).isEqualTo(cachedOne);
        assertThat(p.evictions()).isZero();
    }

    @Test
    void cachingContentsAnotherBlockAlreadyHoldsIsDeclined() {
        BlockPool p = pool(2);
        int a = p.allocate();
        int b = p.allocate();
        assertThat(p.cache(a, hash(1))).isTrue();
        assertThat(p.cache(b, hash(1))).isFalse();
        assertThat(p.hashOf(b)).isNull();
        assertThat(p.cachedBlock(hash(1))).isEqualTo(a);
        assertThatThrownBy(() -> p.cache(a, hash(2))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ensureWritableReturnsAnUnsharedBlockAsIs() {
        BlockPool p = pool(2);
        int a = p.allocate();
        assertThat(p.ensureWritable(a)).isEqualTo(a);
        assertThat(p.freeBlockCount()).isEqualTo(1);
    }

    @Test
    void copyOnWriteGivesTheWriterACopyAndLeavesTheOriginalIntact() {
        BlockPool p = pool(2);
        KvBlockStorage s = p.storage();
        int a = p.allocate();
        float[] k = new float[32];
        float[] v = new float[32];
        for (int t = 0; t < 4; t++) {
            k[0] = t;
            v[0] = -t;
            s.write(a, t, 1, k, 0, v, 0);
        }
        p.retain(a); // a second holder
        int copy = p.ensureWritable(a);
        assertThat(copy).isNotEqualTo(a);
        assertThat(p.refCount(a)).isEqualTo(1);
        assertThat(p.refCount(copy)).isEqualTo(1);

        k[0] = 99;
        s.write(copy, 2, 1, k, 0, v, 0);
        float[] out = new float[32];
        s.keyAt(1, a, 2, out, 0);
        assertThat(out[0]).isEqualTo(2);
        s.keyAt(1, copy, 2, out, 0);
        assertThat(out[0]).isEqualTo(99);
        s.keyAt(1, copy, 3, out, 0);
        assertThat(out[0]).isEqualTo(3);
        s.valueAt(1, copy, 1, out, 0);
        assertThat(out[0]).isEqualTo(-1);
    }

    @Test
    void copyOnWriteWithNoFreeBlockFailsAndChangesNothing() {
        BlockPool p = pool(1);
        int a = p.allocate();
        p.retain(a);
        assertThatThrownBy(() -> p.ensureWritable(a)).isInstanceOf(KvCacheFullException.class);
        assertThat(p.refCount(a)).isEqualTo(2);
    }
}
