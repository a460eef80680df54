package dev.gantry.app.bench.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Percentiles as {@code numpy.percentile} computes them (linear between closest ranks), which vLLM reports. */
class DistributionTest {

    @Test
    void percentilesInterpolateBetweenClosestRanksLikeNumpy() {
        // numpy.percentile([4, 1, 3, 2], [50, 99]) == [2.5, 3.97]
        Distribution d = Distribution.of(new double[] {4, 1, 3, 2});
        assertThat(d.mean()).isEqualTo(2.5);
        assertThat(d.p50()).isEqualTo(2.5);
        assertThat(d.p99()).isCloseTo(3.97, within(1e-9));
        assertThat(d.format()).isEqualTo("2.50 / 2.50 / 3.97");
    }

    @Test
    void anEmptySampleFormatsAsADash() {
        assertThat(Distribution.of(new double[0]).format()).isEqualTo("-");
    }
}
