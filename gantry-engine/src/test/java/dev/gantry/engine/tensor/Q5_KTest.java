package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class Q5_KTest {

    @Test
    void fifthBitsComeFromBitPairsOfQh() {
        MemorySegment block = BlockBytes.zeroed(176);
        BlockBytes.half(block, 0, 0.5f);
        BlockBytes.half(block, 2, 0.25f);
        Q4_KTest.packScales(block, 4, Q4_KTest.SCALES, Q4_KTest.MINS);
        int[] q = new int[256];
        for (int i = 0; i < 256; i++) {
            q[i] = (i * 11 + 3) % 32;
        }
        for (int c = 0; c < 4; c++) {
            for (int l = 0; l < 32; l++) {
                int lo = q[64 * c + l];
                int hi = q[64 * c + 32 + l];
                BlockBytes.u8(block, 48 + 32 * c + l, (lo & 0xF) | ((hi & 0xF) << 4));
                BlockBytes.or8(block, 16 + l, ((lo >> 4) << (2 * c)) | ((hi >> 4) << (2 * c + 1)));
            }
        }
        float[] expected = new float[256];
        for (int i = 0; i < 256; i++) {
            int s = i / 32;
            expected[i] = (0.5f * Q4_KTest.SCALES[s]) * q[i] - 0.25f * Q4_KTest.MINS[s];
        }
        BlockBytes.assertDecodesTo(new Q5_K(), block, expected);
    }

    @Test
    void roundTripErrorIsThatOfFiveBitsWithAFittedMin() {
        float[] x = BlockBytes.gaussian(256 * 8, 10);
        assertThat(BlockBytes.relativeRmsError(x, BlockBytes.roundTrip(GgmlType.Q5_K, x))).isLessThan(0.04);
    }
}
