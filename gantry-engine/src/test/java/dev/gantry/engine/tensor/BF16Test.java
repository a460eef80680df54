package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class BF16Test {

    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void decodesTheUpperHalfOfABinary32() {
        MemorySegment s = BlockBytes.zeroed(6);
        s.set(LE_SHORT, 0, (short) 0x3F80);
        s.set(LE_SHORT, 2, (short) 0xC0A0);
        s.set(LE_SHORT, 4, (short) 0x3EAB);
        BlockBytes.assertDecodesTo(new BF16(), s, new float[] {1.0f, -5.0f, Float.intBitsToFloat(0x3EAB0000)});
    }

    @Test
    void quantizingRoundsToNearestEvenAndKeepsNanANan() {
        float[] x = {1.0f + 0x1p-8f, 1.0f + 3 * 0x1p-8f, Float.intBitsToFloat(0x7F80_0001), -1.0f};
        MemorySegment q = BlockBytes.zeroed(8);
        new BF16().quantize(x, 0, q, 0, 4);
        assertThat(q.get(LE_SHORT, 0)).isEqualTo((short) 0x3F80);
        assertThat(q.get(LE_SHORT, 2)).isEqualTo((short) 0x3F82);
        assertThat(q.get(LE_SHORT, 4)).isEqualTo((short) 0x7FC0); // truncation would have made it infinity
        assertThat(q.get(LE_SHORT, 6)).isEqualTo((short) 0xBF80);
    }

    @Test
    void roundTripKeepsEightSignificantBits() {
        float[] x = BlockBytes.gaussian(1000, 3);
        float[] y = BlockBytes.roundTrip(GgmlType.BF16, x);
        for (int i = 0; i < x.length; i++) {
            assertThat(Math.abs(x[i] - y[i])).isLessThanOrEqualTo(Math.abs(x[i]) * 0x1p-8f);
        }
    }
}
