package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class Q2_KTest {

    @Test
    void decodesFourBitScalesAndMinsOverSubBlocksOfSixteen() {
        MemorySegment block = BlockBytes.zeroed(84);
        BlockBytes.half(block, 80, 0.5f);
        BlockBytes.half(block, 82, 0.25f);
        for (int k = 0; k < 16; k++) {
            BlockBytes.u8(block, k, k | ((15 - k) << 4));
        }
        int[] q = new int[256];
        for (int i = 0; i < 256; i++) {
            q[i] = (i * 3 + i / 16) % 4;
        }
        // weight 128h + 32j + l (l < 32) sits in bits 2j, 2j+1 of qs[32h + l]
        for (int h = 0; h < 2; h++) {
            for (int j = 0; j < 4; j++) {
                for (int l = 0; l < 32; l++) {
                    BlockBytes.or8(block, 16 + 32 * h + l, q[128 * h + 32 * j + l] << (2 * j));
                }
            }
        }
        float[] expected = new float[256];
        for (int i = 0; i < 256; i++) {
            int k = i / 16;
            expected[i] = (0.5f * k) * q[i] - 0.25f * (15 - k);
        }
        BlockBytes.assertDecodesTo(new Q2_K(), block, expected);
    }

    @Test
    void roundTripErrorIsThatOfTwoBitsWithAFittedMin() {
        float[] x = BlockBytes.gaussian(256 * 8, 12);
        assertThat(BlockBytes.relativeRmsError(x, BlockBytes.roundTrip(GgmlType.Q2_K, x))).isLessThan(0.4);
    }
}
