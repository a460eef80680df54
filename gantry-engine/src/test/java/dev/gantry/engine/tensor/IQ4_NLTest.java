package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class IQ4_NLTest {

    /** ggml-common.h kvalues_iq4nl, copied here so the test does not trust the class's own table. */
    static final int[] LEVELS = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

    @Test
    void nibblesIndexTheNonLinearLevels() {
        MemorySegment block = BlockBytes.zeroed(18);
        BlockBytes.half(block, 0, 0.5f);
        float[] expected = new float[32];
        for (int j = 0; j < 16; j++) {
            int hi = (j * 3 + 1) % 16;
            BlockBytes.u8(block, 2 + j, j | (hi << 4));
            expected[j] = 0.5f * LEVELS[j];
            expected[j + 16] = 0.5f * LEVELS[hi];
        }
        BlockBytes.assertDecodesTo(new IQ4_NL(), block, expected);
    }
}
