package dev.gantry.engine.kvcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockTableTest {

    private final BlockPool pool = new BlockPool(new KvCacheConfig(16, 1, KvCacheType.F16), new KvShape(1, 32, 32), 6);

    @AfterEach
    void close() {
        pool.close();
    }

    private static int[] tokens(int n) {
        return IntStream.range(0, n).map(i -> 100 + i).toArray();
    }

    @Test
    void positionsMapToSlotsOfTheirLogicalBlock() {
        BlockTable t = new BlockTable(pool);
        assertThat(t.append(tokens(40), 0, 40)).isTrue();
        assertThat(t.numBlocks()).isEqualTo(3);
        assertThat(t.numTokens()).isEqualTo(40);
        for (int p = 0; p < 40; p++) {
            assertThat(t.slot(p)).isEqualTo(t.blockId(p / 16) * 16 + p % 16);
            assertThat(t.tokenAt(p)).isEqualTo(100 + p);
        }
        assertThatThrownBy(() -> t.slot(40)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void blocksAreAllocatedOnlyAsTheyFill() {
        BlockTable t = new BlockTable(pool);
        assertThat(t.blocksNeeded(1)).isEqualTo(1);
        t.append(tokens(1), 0, 1);
        assertThat(t.blocksNeeded(15)).isZero();
        assertThat(t.blocksNeeded(16)).isEqualTo(1);
        int[] ts = tokens(15);
        t.append(ts, 0, 15);
        assertThat(t.numBlocks()).isEqualTo(1);
        assertThat(pool.usedBlockCount()).isEqualTo(1);
    }

    @Test
    void anAppendTheFreeBlocksCannotHoldChangesNothing() {
        BlockTable t = new BlockTable(pool);
        assertThat(t.append(tokens(100), 0, 100)).isFalse();
        assertThat(t.numTokens()).isZero();
        assertThat(pool.freeBlockCount()).isEqualTo(6);
        assertThat(t.append(tokens(96), 0, 96)).isTrue();
        assertThat(t.append(tokens(1), 0, 1)).isFalse();
        assertThat(t.numTokens()).isEqualTo(96);
    }

    @Test
    void aForkSharesEveryBlockAndFreeingBothReturnsThemAll() {
        BlockTable parent = new BlockTable(pool);
        parent.append(tokens(20), 0, 20);
        BlockTable child = parent.fork();
        assertThat(child.blockIds()).containsExactly(parent.blockIds());
        for (int b : parent.blockIds()) {
            assertThat(pool.refCount(b)).isEqualTo(2);
        }
        parent.free();
        assertThat(pool.usedBlockCount()).isEqualTo(2);
        child.free();
        assertThat(pool.freeBlockCount()).isEqualTo(6);
    }

    @Test
    void appendingToASharedPartialBlockCopiesItFirstAndTheOtherHolderKeepsTheOriginal() {
        KvBlockStorage s = pool.storage();
        BlockTable parent = new BlockTable(pool);
        parent.append(tokens(20), 0, 20);
        float[] k = new float[32];
        float[] v = new float[32];
        for (int p = 0; p < 20; p++) {
            k[0] = p;
            s.writeSlot(parent.slot(p), 0, k, 0, v, 0);
        }
        BlockTable child = parent.fork();
        int sharedLast = parent.blockId(1);
        assertThat(parent.blocksNeeded(1)).isEqualTo(1); // the copy

        assertThat(parent.append(new int[] {7}, 0, 1)).isTrue();
        assertThat(parent.blockId(0)).isEqualTo(child.blockId(0)); // full blocks stay shared
        assertThat(parent.blockId(1)).isNotEqualTo(sharedLast);
        assertThat(child.blockId(1)).isEqualTo(sharedLast);
        assertThat(pool.refCount(sharedLast)).isEqualTo(1);
        k[0] = 1000;
        s.writeSlot(parent.slot(20), 0, k, 0, v, 0);

        float[] out = new float[32];
        for (int p = 16; p < 20; p++) {
            s.keyAt(0, parent.blockId(1), p % 16, out, 0);
            assertThat(out[0]).as("copied position %d", p).isEqualTo(p);
        }
        s.keyAt(0, sharedLast, 4, out, 0);
        assertThat(out[0]).as("the original's slot the copy wrote").isZero();
        assertThat(child.append(new int[] {8}, 0, 1)).isTrue();
        assertThat(child.blockId(1)).as("the last holder writes in place").isEqualTo(sharedLast);
    }

    @Test
    void appendingNothingToASharedBlockCopiesNothing() {
        BlockTable parent = new BlockTable(pool);
        parent.append(tokens(5), 0, 5);
        BlockTable child = parent.fork();
        assertThat(parent.append(tokens(0), 0, 0)).isTrue();
        assertThat(parent.blockIds()).containsExactly(child.blockIds());
        assertThat(pool.usedBlockCount()).isEqualTo(1);
    }

    @Test
    void releasingBlocksBeforeAWindowStartFreesOnlyWholeBlocksBehindIt() {
        BlockTable t = new BlockTable(pool);
        t.append(tokens(50), 0, 50);
        int[] ids = t.blockIds();
        assertThat(t.releaseBlocksBefore(31)).isEqualTo(1);
        assertThat(t.releaseBlocksBefore(32)).isEqualTo(1);
        assertThat(t.releaseBlocksBefore(32)).isZero();
        assertThat(t.blockIds()).containsExactly(BlockPool.NO_BLOCK, BlockPool.NO_BLOCK, ids[2], ids[3]);
        assertThat(pool.refCount(ids[0])).isZero();
        assertThatThrownBy(() -> t.slot(31)).isInstanceOf(IllegalStateException.class).hasMessageContaining("sliding window");
        assertThat(t.slot(32)).isEqualTo(ids[2] * 16);
        assertThat(t.tokenAt(0)).isEqualTo(100);
        assertThat(t.append(tokens(20), 0, 20)).isTrue();
        t.free();
        assertThat(pool.freeBlockCount()).isEqualTo(6);
    }

    @Test
    void truncatingDropsTrailingPositionsAndTheBlocksLeftEmpty() {
        BlockTable t = new BlockTable(pool);
        t.append(tokens(40), 0, 40);
        t.truncate(17);
        assertThat(t.numTokens()).isEqualTo(17);
        assertThat(t.numBlocks()).isEqualTo(2);
        assertThat(pool.usedBlockCount()).isEqualTo(2);
        t.truncate(16);
        assertThat(t.numBlocks()).isEqualTo(1);
        assertThatThrownBy(() -> t.truncate(17)).isInstanceOf(IllegalArgumentException.class);
    }
}
