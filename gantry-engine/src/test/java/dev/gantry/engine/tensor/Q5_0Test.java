package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class Q5_0Test {

    @Test
    void bitJOfQhIsTheFifthBitOfWeightJ() {
        MemorySegment block = BlockBytes.zeroed(22);
        BlockBytes.half(block, 0, 1.0f);
        int qh = 0xA5C3_0F96;
        block.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2, qh);
        float[] expected = new float[32];
        for (int j = 0; j < 16; j++) {
            int lo = j;
            int hi = (7 * j + 3) % 16;
            BlockBytes.u8(block, 6 + j, lo | (hi << 4));
            expected[j] = (lo | (((qh >>> j) & 1) << 4)) - 16;
            expected[j + 16] = (hi | (((qh >>> (j + 16)) & 1) << 4)) - 16;
        }
        BlockBytes.assertDecodesTo(new Q5_0(), block, expected);
    }

    @Test
    void integersFromMinusSixteenToFifteenRoundTripExactly() {
        float[] x = new float[64];
        for (int i = 0; i < 64; i++) {
            x[i] = (i * 7) % 32 - 16;
        }
        assertThat(BlockBytes.roundTrip(GgmlType.Q5_0, x)).containsExactly(x);
    }

    @Test
    void roundTripErrorIsAtMostOneStep() {
        float[] x = BlockBytes.gaussian(32 * 40, 7);
        float[] y = BlockBytes.roundTrip(GgmlType.Q5_0, x);
        for (int b = 0; b < 40; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[32 * b + j]));
            }
            for (int j = 0; j < 32; j++) {
                assertThat(Math.abs(x[32 * b + j] - y[32 * b + j])).isLessThanOrEqualTo(amax / 16 * 1.002f);
            }
        }
        assertThat(BlockBytes.relativeRmsError(x, y)).isLessThan(0.055);
    }
}
