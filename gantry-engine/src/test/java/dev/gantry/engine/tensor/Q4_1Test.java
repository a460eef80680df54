package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class Q4_1Test {

    @Test
    void decodesQuantTimesScalePlusMin() {
        MemorySegment block = BlockBytes.zeroed(20);
        BlockBytes.half(block, 0, 0.5f);
        BlockBytes.half(block, 2, -1.0f);
        float[] expected = new float[32];
        for (int j = 0; j < 16; j++) {
            int lo = (3 * j) % 16;
            int hi = 15 - j;
            BlockBytes.u8(block, 4 + j, lo | (hi << 4));
            expected[j] = lo * 0.5f - 1.0f;
            expected[j + 16] = hi * 0.5f - 1.0f;
        }
        BlockBytes.assertDecodesTo(new Q4_1(), block, expected);
    }

    @Test
    void roundTripErrorIsAboutHalfAStep() {
        float[] x = BlockBytes.gaussian(32 * 40, 6);
        float[] y = BlockBytes.roundTrip(GgmlType.Q4_1, x);
        for (int b = 0; b < 40; b++) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int j = 0; j < 32; j++) {
                min = Math.min(min, x[32 * b + j]);
                max = Math.max(max, x[32 * b + j]);
            }
            float step = (max - min) / 15;
            for (int j = 0; j < 32; j++) {
                // half a step, plus binary16 rounding of d (times up to 15) and of the min
                float slack = (Math.abs(max) + Math.abs(min)) * 0x1p-10f * 16;
                assertThat(Math.abs(x[32 * b + j] - y[32 * b + j])).isLessThanOrEqualTo(step * 0.5f + slack);
            }
        }
        assertThat(BlockBytes.relativeRmsError(x, y)).isLessThan(0.08);
    }
}
