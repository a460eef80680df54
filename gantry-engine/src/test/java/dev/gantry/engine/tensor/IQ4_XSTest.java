package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class IQ4_XSTest {

    @Test
    void subBlockScalesAreSixBitsSplitOverScalesLAndScalesH() {
        MemorySegment block = BlockBytes.zeroed(136);
        BlockBytes.half(block, 0, 0.25f);
        int[] ls = {0, 63, 32, 17, 48, 5, 40, 33};
        int scalesH = 0;
        for (int ib = 0; ib < 8; ib++) {
            BlockBytes.or8(block, 4 + ib / 2, (ls[ib] & 0xF) << (4 * (ib % 2)));
            scalesH |= (ls[ib] >> 4) << (2 * ib);
        }
        block.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2, (short) scalesH);
        float[] expected = new float[256];
        for (int ib = 0; ib < 8; ib++) {
            float dl = 0.25f * (ls[ib] - 32);
            for (int j = 0; j < 16; j++) {
                int lo = (j + ib) % 16;
                int hi = (5 * j + 2 * ib) % 16;
                BlockBytes.u8(block, 8 + 16 * ib + j, lo | (hi << 4));
                expected[32 * ib + j] = dl * IQ4_NLTest.LEVELS[lo];
                expected[32 * ib + j + 16] = dl * IQ4_NLTest.LEVELS[hi];
            }
        }
        BlockBytes.assertDecodesTo(new IQ4_XS(), block, expected);
    }
}
