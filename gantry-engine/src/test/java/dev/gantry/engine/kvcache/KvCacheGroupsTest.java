package dev.gantry.engine.kvcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KvCacheGroupsTest {

    @Test
    void layersThatAllAttendAlikeFormOneGroup() {
        KvCacheGroups g = KvCacheGroups.single(22);
        assertThat(g.groupCount()).isEqualTo(1);
        assertThat(g.groupSize()).isEqualTo(22);
        assertThat(g.sliding(0)).isFalse();
        assertThat(IntStream.range(0, 22).map(g::slotInBlock).toArray()).isEqualTo(IntStream.range(0, 22).toArray());
    }

    @Test
    void gemma3sFiveLocalLayersToOneGlobalGroupByTheSmallerCount() {
        int[] windows = new int[26];
        for (int l = 0; l < 26; l++) {
            windows[l] = l % 6 < 5 ? 512 : 0; // 4 global layers (5, 11, 17, 23), 22 local ones
        }
        KvCacheGroups g = KvCacheGroups.of(windows);
        assertThat(g.groupSize()).isEqualTo(4);
        assertThat(g.groupCount()).as("one global group, then 22 local layers in groups of 4").isEqualTo(1 + 6);
        assertThat(g.window(0)).isZero();
        for (int group = 1; group < 7; group++) {
            assertThat(g.window(group)).isEqualTo(512);
        }
        assertThat(g.group(5)).isZero();
        assertThat(g.group(23)).isZero();
        Set<String> places = new HashSet<>();
        for (int l = 0; l < 26; l++) {
            assertThat(g.window(g.group(l))).isEqualTo(windows[l]);
            assertThat(g.slotInBlock(l)).isBetween(0, 3);
            assertThat(places.add(g.group(l) + "/" + g.slotInBlock(l))).as("layer %d has a place of its own", l).isTrue();
        }
    }

    @Test
    void aSequenceHoldsTheWholeContextInGlobalGroupsAndAWindowInSlidingOnes() {
        KvCacheGroups g = KvCacheGroups.of(new int[] {64, 0});
        assertThat(g.blocksFor(1000, 1, 16)).as("63 earlier positions span 4 blocks, plus the current one")
                .isEqualTo(63 + 4 + 1 + 1);
        assertThat(g.blocksFor(1000, 512, 16)).isEqualTo(63 + 4 + 1 + 32);
        assertThat(g.blocksFor(20, 512, 16)).as("never more than the sequence's own blocks").isEqualTo(2 + 2);
    }

    @Test
    void negativeWindowsAndNoLayersAreRejected() {
        assertThatThrownBy(() -> KvCacheGroups.of(new int[] {0, -1})).hasMessageContaining("layer 1").hasMessageContaining("-1");
        assertThatThrownBy(() -> KvCacheGroups.of(new int[0])).hasMessageContaining("at least one layer");
        assertThatThrownBy(() -> KvCacheGroups.single(2).group(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
