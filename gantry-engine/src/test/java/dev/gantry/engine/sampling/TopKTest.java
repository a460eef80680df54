package dev.gantry.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {

    @Test
    void selectionEqualsTheFirstKOfAFullSortWithTiesByLowerId() {
        SplittableRandom random = new SplittableRandom(17);
        for (int c = 0; c < 2_000; c++) {
            int n = 1 + random.nextInt(300);
            int k = 1 + random.nextInt(n + 5);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(10);
                v[i] = kind == 0 ? Float.NEGATIVE_INFINITY : random.nextInt(kind < 5 ? 5 : 1_000) - 2;
            }
            int[] expected = IntStream.range(0, n).filter(i -> v[i] != Float.NEGATIVE_INFINITY).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -v[i]).thenComparingInt(i -> i))
                    .limit(k).mapToInt(Integer::intValue).toArray();
            int[] out = new int[Math.min(k, n)];
            int got = TopK.select(v, n, k, out);
            int index = c;
            assertThat(Arrays.copyOf(out, got)).as(() -> "case " + index + ": k=" + k + " of " + Arrays.toString(v)).isEqualTo(expected);
        }
    }
}
