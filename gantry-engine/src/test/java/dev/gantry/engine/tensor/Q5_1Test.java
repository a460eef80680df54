package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class Q5_1Test {

    @Test
    void decodesFiveBitQuantTimesScalePlusMin() {
        MemorySegment block = BlockBytes.zeroed(24);
        BlockBytes.half(block, 0, 0.25f);
        BlockBytes.half(block, 2, -2.0f);
        int qh = 0x3C5A_F00F;
        block.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4, qh);
        float[] expected = new float[32];
        for (int j = 0; j < 16; j++) {
            int lo = 15 - j;
            int hi = (5 * j) % 16;
            BlockBytes.u8(block, 8 + j, lo | (hi << 4));
            expected[j] = (lo | (((qh >>> j) & 1) << 4)) * 0.25f - 2.0f;
            expected[j + 16] = (hi | (((qh >>> (j + 16)) & 1) << 4)) * 0.25f - 2.0f;
        }
        BlockBytes.assertDecodesTo(new Q5_1(), block, expected);
    }

    @Test
    void roundTripErrorIsAboutHalfAStep() {
        float[] x = BlockBytes.gaussian(32 * 40, 8);
        float[] y = BlockBytes.roundTrip(GgmlType.Q5_1, x);
        for (int b = 0; b < 40; b++) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int j = 0; j < 32; j++) {
                min = Math.min(min, x[32 * b + j]);
                max = Math.max(max, x[32 * b + j]);
            }
            float step = (max - min) / 31;
            float slack = (Math.abs(max) + Math.abs(min)) * 0x1p-10f * 32;
            for (int j = 0; j < 32; j++) {
                assertThat(Math.abs(x[32 * b + j] - y[32 * b + j])).isLessThanOrEqualTo(step * 0.5f + slack);
            }
        }
        assertThat(BlockBytes.relativeRmsError(x, y)).isLessThan(0.04);
    }
}
