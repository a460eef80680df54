package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class Q4_KTest {

    static final int[] SCALES = {10, 17, 24, 31, 38, 45, 52, 59};
    static final int[] MINS = {63, 57, 51, 45, 39, 33, 27, 21};

    /** The 12-byte K_SCALE_SIZE packing, written from its description in ggml-quants.c get_scale_min_k4. */
    static void packScales(MemorySegment block, long at, int[] sc, int[] mn) {
        for (int j = 0; j < 4; j++) {
            BlockBytes.u8(block, at + j, sc[j] | ((sc[j + 4] >> 4) << 6));
            BlockBytes.u8(block, at + j + 4, mn[j] | ((mn[j + 4] >> 4) << 6));
            BlockBytes.u8(block, at + j + 8, (sc[j + 4] & 0xF) | ((mn[j + 4] & 0xF) << 4));
        }
    }

    @Test
    void decodesSixBitScalesAndMinsOverChunksOfSixtyFour() {
        MemorySegment block = BlockBytes.zeroed(144);
        BlockBytes.half(block, 0, 1.0f);
        BlockBytes.half(block, 2, 0.5f);
        packScales(block, 4, SCALES, MINS);
        int[] q = new int[256];
        for (int i = 0; i < 256; i++) {
            q[i] = (i * 7 + i / 32) % 16;
        }
        for (int c = 0; c < 4; c++) {
            for (int l = 0; l < 32; l++) {
                BlockBytes.u8(block, 16 + 32 * c + l, q[64 * c + l] | (q[64 * c + 32 + l] << 4));
            }
        }
        float[] expected = new float[256];
        for (int i = 0; i < 256; i++) {
            int s = i / 32;
            expected[i] = (1.0f * SCALES[s]) * q[i] - 0.5f * MINS[s];
        }
        BlockBytes.assertDecodesTo(new Q4_K(), block, expected);
    }

    @Test
    void roundTripErrorIsThatOfFourBitsWithAFittedMin() {
        float[] x = BlockBytes.gaussian(256 * 8, 9);
        assertThat(BlockBytes.relativeRmsError(x, BlockBytes.roundTrip(GgmlType.Q4_K, x))).isLessThan(0.08);
    }

    @Test
    void aConstantBlockDecodesToNearlyThatConstant() {
        float[] x = new float[256];
        java.util.Arrays.fill(x, -0.75f);
        float[] y = BlockBytes.roundTrip(GgmlType.Q4_K, x);
        for (float v : y) {
            assertThat(v).isCloseTo(-0.75f, org.assertj.core.api.Assertions.offset(0.75f / 63));
        }
    }
}
