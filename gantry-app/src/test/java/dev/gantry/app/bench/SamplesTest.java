package dev.gantry.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

/** Statistics as llama-bench computes them, checked on numbers llama-bench printed itself. */
class SamplesTest {

    @Test
    void reproducesLlamaBenchStatistics() {
        // llama-bench -p 16 -r 2 on stories260K printed: avg_ns 948651361, stddev_ns 1271832693,
        // avg_ts 166.502714, stddev_ts 223.225943, samples_ts [8.65814, 324.347].
        Samples s = new Samples(16, new long[] {1847972883L, 49329840L});
        assertThat(s.avgNs()).isEqualTo(948651361L);
        assertThat(s.stddevNs()).isBetween(1271832691L, 1271832695L);
        assertThat(s.avgTs()).isCloseTo(166.502714, offset(1e-5));
        assertThat(s.stddevTs()).isCloseTo(223.225943, offset(1e-5));
        assertThat(s.ts()).containsExactly(new double[] {8.65814, 324.347}, offset(1e-3));
    }

    @Test
    void oneRepetitionHasNoDeviation() {
        Samples s = new Samples(64, new long[] {2_000_000_000L});
        assertThat(s.avgTs()).isEqualTo(32.0);
        assertThat(s.stddevTs()).isZero();
        assertThat(s.stddevNs()).isZero();
    }
}
