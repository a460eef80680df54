package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class F32Test {

    @Test
    void decodesLittleEndianBinary32() {
        MemorySegment s = BlockBytes.zeroed(8);
        s.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, Float.floatToIntBits(1.5f));
        s.set(ValueLayout.JAVA_BYTE, 4, (byte) 0x00);
        s.set(ValueLayout.JAVA_BYTE, 5, (byte) 0x00);
        s.set(ValueLayout.JAVA_BYTE, 6, (byte) 0x10);
        s.set(ValueLayout.JAVA_BYTE, 7, (byte) 0xC0); // 0xC0100000 = -2.25
        BlockBytes.assertDecodesTo(new F32(), s, new float[] {1.5f, -2.25f});
    }

    @Test
    void quantizingCopiesTheFloatsExactly() {
        float[] x = BlockBytes.gaussian(37, 1);
        assertThat(BlockBytes.roundTrip(GgmlType.F32, x)).containsExactly(x);
    }
}
