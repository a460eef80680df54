package dev.gantry.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** LayerNorm gives zero mean and unit variance before gain and bias, and agrees with a double-precision reference. */
class LayerNormTest {

    @Test
    void matchesADoublePrecisionReference() {
        Random random = new Random(7);
        int n = 384;
        float[] x = new float[n + 3];
        float[] w = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 3 + 1);
        }
        for (int i = 0; i < n; i++) {
            w[i] = (float) random.nextGaussian();
            b[i] = (float) random.nextGaussian();
        }
        float[] y = new float[n];
        LayerNorm.apply(x, 3, w, b, y, 0, n, 1e-12f);
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += x[3 + i];
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            var += (x[3 + i] - mean) * (x[3 + i] - mean);
        }
        var /= n;
        for (int i = 0; i < n; i++) {
            double expected = (x[3 + i] - mean) / Math.sqrt(var + 1e-12) * w[i] + b[i];
            assertThat((double) y[i]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void normalizesInPlaceWithoutGainOrBias() {
        float[] x = {1, 2, 3, 4};
        LayerNorm.apply(x, 0, null, null, x, 0, 4, 0);
        double s = 0;
        double s2 = 0;
        for (float v : x) {
            s += v;
            s2 += v * v;
        }
        assertThat(s).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(s2 / 4).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-5));
    }
}
