package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class SimdTest {

    /** The order {@link Simd#sum} promises: lane i adds lane i ^ k, for k from half the lanes down to 1. */
    private static float tree(float[] lanes) {
        float[] s = lanes.clone();
        for (int k = s.length / 2; k >= 1; k /= 2) {
            float[] next = new float[s.length];
            for (int i = 0; i < s.length; i++) {
                next[i] = s[i] + s[i ^ k];
            }
            s = next;
        }
        return s[0];
    }

    @Test
    void theLaneSumFollowsItsFixedTreeWhateverTheJitTier() {
        // values of mixed magnitude, so any other order rounds differently; many calls, so C2 compiles the sum
        Random rnd = new Random(3);
        float[] lanes = new float[Simd.LANES];
        for (int round = 0; round < 50_000; round++) {
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(8) - 4));
            }
            float sum = Simd.sum(FloatVector.fromArray(Simd.F, lanes, 0));
            assertThat(sum).as("round %d", round).isEqualTo(tree(lanes));
        }
    }

    @Test
    void twoAndFourLaneSumsAtOnceAreEachTheFixedTree() {
        Random rnd = new Random(4);
        float[] lanes = new float[4 * Simd.LANES];
        float[] out = new float[9];
        for (int round = 0; round < 50_000; round++) {
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(8) - 4));
            }
            Simd.sum4(FloatVector.fromArray(Simd.F, lanes, 0), FloatVector.fromArray(Simd.F, lanes, Simd.LANES),
                    FloatVector.fromArray(Simd.F, lanes, 2 * Simd.LANES),
                    FloatVector.fromArray(Simd.F, lanes, 3 * Simd.LANES), out, 1, 2);
            for (int k = 0; k < 4; k++) {
                float[] one = java.util.Arrays.copyOfRange(lanes, k * Simd.LANES, (k + 1) * Simd.LANES);
                assertThat(out[1 + 2 * k]).as("round %d, vector %d", round, k).isEqualTo(tree(one));
            }
            Simd.sum2(FloatVector.fromArray(Simd.F, lanes, Simd.LANES), FloatVector.fromArray(Simd.F, lanes, 0), out, 0, 3);
            assertThat(out[0]).as("round %d, sum2 first", round).isEqualTo(tree(java.util.Arrays.copyOfRange(lanes,
                    Simd.LANES, 2 * Simd.LANES)));
            assertThat(out[3]).as("round %d, sum2 second", round).isEqualTo(tree(java.util.Arrays.copyOfRange(lanes,
                    0, Simd.LANES)));
        }
    }

    @Test
    void aVectorOfLaneSumsIsEachTheFixedTree() {
        Random rnd = new Random(5);
        float[] lanes = new float[Simd.LANES * Simd.LANES + 3];
        float[] out = new float[Simd.LANES + 2];
        for (int round = 0; round < 20_000; round++) {
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(8) - 4));
            }
            float[] expected = new float[Simd.LANES];
            for (int k = 0; k < Simd.LANES; k++) {
                expected[k] = tree(java.util.Arrays.copyOfRange(lanes, 3 + k * Simd.LANES, 3 + (k + 1) * Simd.LANES));
            }
            Simd.sums(lanes, 3, out, 1);
            for (int k = 0; k < Simd.LANES; k++) {
                assertThat(out[1 + k]).as("round %d, vector %d", round, k).isEqualTo(expected[k]);
            }
        }
    }
}
