package dev.gantry.knowledge.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankFusionTest {

    private static List<RankedChunk> list(int... docs) {
        return java.util.stream.IntStream.range(0, docs.length).mapToObj(i -> new RankedChunk(docs[i], i + 1, 1f)).toList();
    }

    @Test
    void scoreIsTheWeightedSumOfReciprocalRanks() {
        List<FusedChunk> fused = new RankFusion(1.0, 2.0, 60).fuse(list(7, 8), list(8, 9), 10);
        assertThat(fused).extracting(FusedChunk::docId).containsExactly(8, 9, 7);
        assertThat(fused.getFirst().score()).isCloseTo(1.0 / 62 + 2.0 / 61, within(1e-12));
        assertThat(fused.getFirst().keywordRank()).isEqualTo(2);
        assertThat(fused.getFirst().vectorRank()).isEqualTo(1);
        assertThat(fused.get(2).vectorRank()).isZero();
    }

    @Test
    void aChunkBothListsAgreeOnBeatsEachListsOwnFavourite() {
        List<FusedChunk> fused = new RankFusion(1, 1, 60).fuse(list(1, 3, 4), list(2, 3, 5), 1);
        assertThat(fused).extracting(FusedChunk::docId).containsExactly(3);
    }

    @Test
    void zeroWeightIgnoresAList() {
        List<FusedChunk> fused = new RankFusion(0, 1, 60).fuse(list(1, 2), list(3, 4), 2);
        assertThat(fused).extracting(FusedChunk::docId).containsExactly(3, 4);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> new RankFusion(0, 0, 60)).hasMessageContaining("weights");
        assertThatThrownBy(() -> new RankFusion(1, 1, 0)).hasMessageContaining("k must be");
    }
}
