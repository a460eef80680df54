package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class Q4_0Test {

    @Test
    void lowNibblesHoldTheFirstHalfAndHighNibblesTheSecond() {
        MemorySegment block = BlockBytes.zeroed(18);
        BlockBytes.half(block, 0, 2.0f);
        float[] expected = new float[32];
        for (int j = 0; j < 16; j++) {
            BlockBytes.u8(block, 2 + j, j | ((15 - j) << 4));
            expected[j] = (j - 8) * 2.0f;
            expected[j + 16] = (7 - j) * 2.0f;
        }
        BlockBytes.assertDecodesTo(new Q4_0(), block, expected);
    }

    @Test
    void integersFromMinusEightToSevenRoundTripExactly() {
        // the value of largest magnitude is -8, so d = -8 / -8 = 1 and every integer lands on a quant
        float[] x = new float[64];
        for (int i = 0; i < 64; i++) {
            x[i] = (i * 5) % 16 - 8;
        }
        assertThat(BlockBytes.roundTrip(GgmlType.Q4_0, x)).containsExactly(x);
    }

    @Test
    void roundTripErrorIsAtMostOneStep() {
        // one step, not half: the side opposite the largest magnitude is clipped at quant 15, i.e. 7 steps
        float[] x = BlockBytes.gaussian(32 * 40, 5);
        float[] y = BlockBytes.roundTrip(GgmlType.Q4_0, x);
        for (int b = 0; b < 40; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[32 * b + j]));
            }
            for (int j = 0; j < 32; j++) {
                assertThat(Math.abs(x[32 * b + j] - y[32 * b + j])).isLessThanOrEqualTo(amax / 8 * 1.002f);
            }
        }
        assertThat(BlockBytes.relativeRmsError(x, y)).isLessThan(0.11);
    }
}
