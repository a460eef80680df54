package dev.gantry.engine.kvcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KvCacheConfigTest {

    private static final KvShape TINY = new KvShape(2, 128, 128); // the tiny-* test models: 2 KV heads of 64

    @Test
    void defaultsAreSixteenTokenBlocksInHalfPrecision() {
        KvCacheConfig c = KvCacheConfig.of(1 << 20);
        assertThat(c.blockSize()).isEqualTo(16);
        assertThat(c.type()).isEqualTo(KvCacheType.F16);
    }

    @Test
    void aBlockHoldsKeysAndValuesOfEveryLayerForBlockSizeTokens() {
        // F16: (128 + 128) elements x 2 bytes x 16 tokens x 2 layers
        assertThat(KvCacheConfig.of(1 << 20).blockBytes(TINY)).isEqualTo(256 * 2 * 16 * 2);
        // Q8_0: 4 blocks of 34 bytes per 128-element row
        assertThat(KvCacheConfig.of(1 << 20).withType(KvCacheType.Q8_0).blockBytes(TINY)).isEqualTo(2 * 4 * 34 * 16 * 2);
    }

    @Test
    void theBudgetDividedByTheBlockBytesGivesTheBlockCount() {
        assertThat(KvCacheConfig.of(1 << 20).blockCount(TINY)).isEqualTo((1 << 20) / 16384);
        assertThat(KvCacheConfig.of(16384 * 3 + 16383).blockCount(TINY)).isEqualTo(3);
        assertThat(KvCacheConfig.of(1 << 20).withBlockSize(32).blockCount(TINY)).isEqualTo((1 << 20) / 32768);
    }

    @Test
    void aBudgetBelowOneBlockIsRejectedNamingBothSizes() {
        assertThatThrownBy(() -> KvCacheConfig.of(16383).blockCount(TINY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16383 bytes")
                .hasMessageContaining("one block of 16384 bytes");
    }

    @Test
    void q8_0NeedsRowsOfWholeThirtyTwoElementBlocks() {
        KvCacheConfig q8 = KvCacheConfig.of(1 << 20).withType(KvCacheType.Q8_0);
        assertThatThrownBy(() -> q8.blockBytes(new KvShape(2, 48, 128)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of 32")
                .hasMessageContaining("48");
    }

    @Test
    void invalidSettingsAreRejectedWithTheOffendingValue() {
        assertThatThrownBy(() -> new KvCacheConfig(0, 1024, KvCacheType.F16)).hasMessageContaining("block size").hasMessageContaining("0");
        assertThatThrownBy(() -> new KvCacheConfig(4096, 1024, KvCacheType.F16)).hasMessageContaining("4096");
        assertThatThrownBy(() -> new KvCacheConfig(16, 0, KvCacheType.F16)).hasMessageContaining("memory");
        assertThatThrownBy(() -> new KvCacheConfig(16, 1024, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new KvShape(0, 64, 64)).hasMessageContaining("layers=0");
        assertThatThrownBy(() -> new KvShape(2, 64, -1)).hasMessageContaining("vDim=-1");
    }

    @Test
    void aBudgetWithMoreSlotsThanAnIntCanNumberIsRejected() {
        assertThatThrownBy(() -> KvCacheConfig.of(Long.MAX_VALUE / 2).blockCount(new KvShape(1, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more slots than an int");
    }
}
