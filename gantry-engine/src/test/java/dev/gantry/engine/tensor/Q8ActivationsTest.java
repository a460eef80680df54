package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Activations quantize as ggml's {@code quantize_row_q8_0_ref} (per 32 values) and {@code quantize_row_q8_K_ref}
 * (per 256).
 */
class Q8ActivationsTest {

    @Test
    void eachBlockScalesItsLargestMagnitudeTo127() {
        float[] x = new float[64];
        for (int i = 0; i < 32; i++) {
            x[i] = (i - 16) / 4f;  // -4 .. 3.75
            x[32 + i] = i == 5 ? 0.5f : 0.01f * i;
        }
        Q8Activations q = Q8Activations.of(Q8Activations.Grid.Q8_0, x, 32, 2);
        assertThat(q.scales()).containsExactly(Float.float16ToFloat(Float.floatToFloat16(4 / 127f)),
                Float.float16ToFloat(Float.floatToFloat16(0.5f / 127f)));
        assertThat(q.quants()[0]).isEqualTo((short) -127);
        assertThat(q.quants()[31]).isEqualTo((short) Math.rint(3.75f * (127 / 4f)));
        assertThat(q.quants()[16]).isZero();
        assertThat(q.quants()[32 + 5]).isEqualTo((short) 127);
        assertThat(q.quants()[32 + 3]).isEqualTo((short) Math.rint(0.03f * (127 / 0.5f)));
    }

    @Test
    void aBlockOfZerosHasZeroScaleAndQuants() {
        Q8Activations q = Q8Activations.of(Q8Activations.Grid.Q8_0, new float[32], 32, 1);
        assertThat(q.scales()).containsExactly(0f);
        assertThat(q.quants()).containsOnly((short) 0);
    }

    @Test
    void rowsThatDoNotFillBlocksAreRefused() {
        assertThatThrownBy(() -> Q8Activations.of(Q8Activations.Grid.Q8_0, new float[40], 40, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 32");
    }

    @Test
    void q8KScalesEach256ByItsSignedLargestValueAndSumsEachBlockOf32() {
        float[] x = new float[256];
        for (int i = 0; i < 256; i++) {
            x[i] = (i % 7 - 3) / 8f;
        }
        x[100] = -2f;
        Q8Activations q = Q8Activations.of(Q8Activations.Grid.Q8_K, x, 256, 1);
        float iscale = -127f / -2f;
        assertThat(q.scales()).hasSize(8).containsOnly(1 / iscale);
        assertThat(q.quants()[100]).isEqualTo((short) -127);
        assertThat(q.quants()[0]).isEqualTo((short) Math.rint(iscale * (-3 / 8f)));
        for (int b = 0; b < 8; b++) {
            int sum = 0;
            for (int i = 32 * b; i < 32 * b + 32; i++) {
                sum += q.quants()[i];
            }
            assertThat(q.sums()[b]).as("block %d", b).isEqualTo((float) sum);
        }
    }

    @Test
    void q8_0HasNoSums() {
        assertThat(Q8Activations.of(Q8Activations.Grid.Q8_0, new float[64], 64, 1).sums()).isNull();
    }

    /** ggml's reference quantizers, a value at a time. */
    private static short[] reference(Q8Activations.Grid grid, float[] x, float[] scales) {
        short[] q = new short[x.length];
        for (int b = 0; b < x.length / grid.block; b++) {
            int from = b * grid.block;
            float amax = 0;
            float max = 0;
            for (int i = from; i < from + grid.block; i++) {
                if (Math.abs(x[i]) > amax) {
                    amax = Math.abs(x[i]);
                    max = x[i];
                }
            }
            float scale = grid == Q8Activations.Grid.Q8_0 ? (amax != 0 ? 127f / amax : 0) : (amax != 0 ? -127f / max : 0);
            for (int i = from; i < from + grid.block; i++) {
                q[i] = (short) Math.min(127, (int) Math.rint(x[i] * scale));
            }
            float d = grid == Q8Activations.Grid.Q8_0 ? Float.float16ToFloat(Float.floatToFloat16(amax / 127f))
                    : (amax != 0 ? 1 / scale : 0);
            Arrays.fill(scales, from / 32, (from + grid.block) / 32, d);
        }
        return q;
    }

    @ParameterizedTest
    @EnumSource(Q8Activations.Grid.class)
    void vectorQuantizationIsTheReferenceValueForValue(Q8Activations.Grid grid) {
        Random rnd = new Random(grid.ordinal());
        int cols = 1024;
        float[] x = new float[3 * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian() * (i % 97 == 0 ? 8 : 1);
        }
        // a block of zeros, halves that round to ties, and the largest magnitude twice with both signs
        Arrays.fill(x, 256, 512, 0f);
        for (int i = 512; i < 768; i++) {
            x[i] = (i % 9 - 4) * 0.5f;
        }
        x[800] = -50f;
        x[900] = 50f;
        x[1100] = 50f;
        x[1200] = -50f;
        Q8Activations q = Q8Activations.of(grid, x, cols, 3);
        float[] scales = new float[x.length / 32];
        assertThat(q.quants()).containsExactly(reference(grid, x, scales));
        assertThat(q.scales()).containsExactly(scales);
    }
}
