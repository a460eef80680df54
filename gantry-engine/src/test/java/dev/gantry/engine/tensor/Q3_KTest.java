package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class Q3_KTest {

    @Test
    void decodesSixBitScalesLowBitPairsAndTheHighBitMask() {
        MemorySegment block = BlockBytes.zeroed(110);
        BlockBytes.half(block, 108, 0.5f);
        int[] s = new int[16];
        for (int k = 0; k < 16; k++) {
            s[k] = (k * 11 + 7) % 64; // stored biased by 32
            // low nibble: byte k (k < 8) or the high nibble of byte k - 8; high 2 bits: byte 8 + k % 4 at 2(k / 4)
            BlockBytes.or8(block, 96 + k % 8, (s[k] & 0xF) << (k < 8 ? 0 : 4));
            BlockBytes.or8(block, 96 + 8 + k % 4, (s[k] >> 4) << (2 * (k / 4)));
        }
        int[] q = new int[256];
        for (int i = 0; i < 256; i++) {
            q[i] = (i * 5 + i / 16) % 8;
            BlockBytes.or8(block, i % 32, (q[i] >> 2) << (i / 32)); // hmask: weight i at bit i / 32 of byte i % 32
        }
        for (int h = 0; h < 2; h++) {
            for (int j = 0; j < 4; j++) {
                for (int l = 0; l < 32; l++) {
                    BlockBytes.or8(block, 32 + 32 * h + l, (q[128 * h + 32 * j + l] & 3) << (2 * j));
                }
            }
        }
        float[] expected = new float[256];
        for (int i = 0; i < 256; i++) {
            expected[i] = (0.5f * (s[i / 16] - 32)) * (q[i] - 4);
        }
        BlockBytes.assertDecodesTo(new Q3_K(), block, expected);
    }

    @Test
    void roundTripErrorIsThatOfThreeBits() {
        float[] x = BlockBytes.gaussian(256 * 8, 13);
        assertThat(BlockBytes.relativeRmsError(x, BlockBytes.roundTrip(GgmlType.Q3_K, x))).isLessThan(0.2);
    }
}
