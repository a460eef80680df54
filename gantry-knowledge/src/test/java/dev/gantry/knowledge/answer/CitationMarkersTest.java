package dev.gantry.knowledge.answer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CitationMarkersTest {
    @Test
    void findsSingleListedAndAdjacentMarkersInOrderOfFirstUse() {
        assertThat(CitationMarkers.cited("Leave is 16 weeks [2]. It is paid [1, 3][2]. See also [3][1].", 3))
                .containsExactly(2, 1, 3);
    }

    @Test
    void ignoresNumbersThatAreNotSources() {
        assertThat(CitationMarkers.cited("As [0] and [7] say, and [x] or [ 1 ]... [1]", 3)).containsExactly(1);
    }
}
