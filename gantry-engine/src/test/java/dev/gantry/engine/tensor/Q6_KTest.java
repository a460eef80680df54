package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class Q6_KTest {

    @Test
    void decodesLowNibblesHighBitPairsAndSignedScales() {
        MemorySegment block = BlockBytes.zeroed(210);
        BlockBytes.half(block, 208, 0.5f);
        int[] sc = new int[16];
        for (int k = 0; k < 16; k++) {
            sc[k] = (k - 8) * 9; // -72 .. 63
            BlockBytes.u8(block, 192 + k, sc[k]);
        }
        int[] q = new int[256];
        for (int i = 0; i < 256; i++) {
            q[i] = (i * 13 + 5) % 64;
        }
        for (int h = 0; h < 2; h++) {
            int e = 128 * h;
            for (int l = 0; l < 32; l++) {
                BlockBytes.u8(block, 64 * h + l, (q[e + l] & 0xF) | ((q[e + l + 64] & 0xF) << 4));
                BlockBytes.u8(block, 64 * h + l + 32, (q[e + l + 32] & 0xF) | ((q[e + l + 96] & 0xF) << 4));
                BlockBytes.u8(block, 128 + 32 * h + l, (q[e + l] >> 4) | ((q[e + l + 32] >> 4) << 2)
                        | ((q[e + l + 64] >> 4) << 4) | ((q[e + l + 96] >> 4) << 6));
            }
        }
        float[] expected = new float[256];
        for (int i = 0; i < 256; i++) {
            expected[i] = 0.5f * sc[i / 16] * (q[i] - 32);
        }
        BlockBytes.assertDecodesTo(new Q6_K(), block, expected);
    }

    @Test
    void roundTripErrorIsThatOfSixBits() {
        float[] x = BlockBytes.gaussian(256 * 8, 11);
        assertThat(BlockBytes.relativeRmsError(x, BlockBytes.roundTrip(GgmlType.Q6_K, x))).isLessThan(0.02);
    }

    @Test
    void anAllZeroBlockQuantizesToZeroBytes() {
        MemorySegment q = BlockBytes.zeroed(210);
        q.fill((byte) 1);
        new Q6_K().quantize(new float[256], 0, q, 0, 256);
        for (int i = 0; i < 210; i++) {
            assertThat(q.get(ValueLayout.JAVA_BYTE, i)).isZero();
        }
    }
}
