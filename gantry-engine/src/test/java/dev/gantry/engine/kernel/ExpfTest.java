package dev.gantry.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

class ExpfTest {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    @Test
    void vectorLanesAreBitIdenticalToTheScalarFormIncludingTheEdges() {
        Random random = new Random(7);
        float[] x = new float[F.length() * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 30);
        }
        float[] edges = {0f, -0f, 1f, -1f, 88.7f, 88.8f, -87.3f, -103.9f, -104f, -150f, 200f, -200f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f};
        System.arraycopy(edges, 0, x, 0, edges.length);
        for (int off = 0; off < x.length; off += F.length()) {
            float[] lanes = Expf.exp(FloatVector.fromArray(F, x, off)).toArray();
            float[] silu = Expf.silu(FloatVector.fromArray(F, x, off)).toArray();
            for (int i = 0; i < lanes.length; i++) {
                float v = x[off + i];
                // bit for bit, NaN payloads aside
                assertThat(Float.floatToIntBits(lanes[i])).as("exp(%s)", v).isEqualTo(Float.floatToIntBits(Expf.exp(v)));
                assertThat(Float.floatToIntBits(silu[i])).as("silu(%s)", v).isEqualTo(Float.floatToIntBits(Expf.silu(v)));
            }
        }
    }

    @Test
    void staysWithinTwoUlpOfTheCorrectlyRoundedExponential() {
        Random random = new Random(11);
        for (int k = 0; k < 200_000; k++) {
            float x = -87f + random.nextFloat() * 175f;
            float exact = (float) Math.exp(x);
            assertThat(Math.abs(Expf.exp(x) - exact)).as("exp(%s)", x).isLessThanOrEqualTo(2 * Math.ulp(exact));
        }
    }

    @Test
    void saturatesToZeroAndInfinityAndPropagatesNaN() {
        assertThat(Expf.exp(Float.NEGATIVE_INFINITY)).isEqualTo(0f);
        assertThat(Expf.exp(-200f)).isEqualTo(0f);
        assertThat(Expf.exp(Float.POSITIVE_INFINITY)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Expf.exp(100f)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Expf.exp(Float.NaN)).isNaN();
        assertThat(Expf.exp(0f)).isEqualTo(1f);
        assertThat(Expf.exp(-100f)).isPositive().isLessThan(Float.MIN_NORMAL);
    }
}
