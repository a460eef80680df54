package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Activations quantize per 32 values as ggml's {@code quantize_row_q8_0_ref}. */
class Q8ActivationsTest {

    @Test
    void eachBlockScalesItsLargestMagnitudeTo127() {
        float[] x = new float[64];
        for (int i = 0; i < 32; i++) {
            x[i] = (i - 16) / 4f;  // -4 .. 3.75
            x[32 + i] = i == 5 ? 0.5f : 0.01f * i;
        }
        Q8Activations q = Q8Activations.of(x, 32, 2);
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
        Q8Activations q = Q8Activations.of(new float[32], 32, 1);
        assertThat(q.scales()).containsExactly(0f);
        assertThat(q.quants()).containsOnly((short) 0);
    }

    @Test
    void rowsThatDoNotFillBlocksAreRefused() {
        assertThatThrownBy(() -> Q8Activations.of(new float[40], 40, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 32");
    }
}
