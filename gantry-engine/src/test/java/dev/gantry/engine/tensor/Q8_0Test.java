package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class Q8_0Test {

    @Test
    void decodesQuantsTimesTheBlockScale() {
        MemorySegment block = BlockBytes.zeroed(34);
        BlockBytes.half(block, 0, 0.5f);
        float[] expected = new float[32];
        for (int j = 0; j < 32; j++) {
            int q = j * 8 - 128; // -128 .. 120
            BlockBytes.u8(block, 2 + j, q);
            expected[j] = q * 0.5f;
        }
        BlockBytes.assertDecodesTo(new Q8_0(), block, expected);
    }

    @Test
    void quantizingRoundsHalvesAwayFromZeroLikeCRoundf() {
        float[] x = new float[32];
        x[0] = 127; // amax 127: d = 1, so quants are roundf(x)
        x[1] = 2.5f;
        x[2] = -2.5f;
        x[3] = 0.49999997f;
        x[4] = -126.5f;
        MemorySegment q = BlockBytes.zeroed(34);
        new Q8_0().quantize(x, 0, q, 0, 32);
        assertThat(Simd.f16(q, 0)).isEqualTo(1.0f);
        assertThat(q.get(ValueLayout.JAVA_BYTE, 2)).isEqualTo((byte) 127);
        assertThat(q.get(ValueLayout.JAVA_BYTE, 3)).isEqualTo((byte) 3);
        assertThat(q.get(ValueLayout.JAVA_BYTE, 4)).isEqualTo((byte) -3);
        assertThat(q.get(ValueLayout.JAVA_BYTE, 5)).isEqualTo((byte) 0);
        assertThat(q.get(ValueLayout.JAVA_BYTE, 6)).isEqualTo((byte) -127);
    }

    @Test
    void roundTripErrorIsAtMostHalfAStep() {
        float[] x = BlockBytes.gaussian(32 * 40, 4);
        float[] y = BlockBytes.roundTrip(GgmlType.Q8_0, x);
        for (int b = 0; b < 40; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[32 * b + j]));
            }
            float step = amax / 127;
            for (int j = 0; j < 32; j++) {
                // half a step, plus what rounding d to binary16 moves the largest quant
                assertThat(Math.abs(x[32 * b + j] - y[32 * b + j])).isLessThanOrEqualTo(step * 0.5f + amax * 0x1p-11f);
            }
        }
    }

    @Test
    void anAllZeroBlockQuantizesToZeros() {
        MemorySegment q = BlockBytes.zeroed(34);
        q.fill((byte) 7);
        new Q8_0().quantize(new float[32], 0, q, 0, 32);
        for (int i = 0; i < 34; i++) {
            assertThat(q.get(ValueLayout.JAVA_BYTE, i)).isZero();
        }
    }
}
