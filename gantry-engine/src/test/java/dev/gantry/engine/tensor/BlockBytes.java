package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

/** Hand-building blocks byte by byte for known-value tests, and the checks those tests share. */
final class BlockBytes {

    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private BlockBytes() {
    }

    static MemorySegment zeroed(long bytes) {
        return Arena.ofAuto().allocate(bytes, 1);
    }

    /** Writes a value that binary16 represents exactly (the test would be meaningless otherwise). */
    static void half(MemorySegment s, long at, float exactValue) {
        short bits = Float.floatToFloat16(exactValue);
        if (Float.float16ToFloat(bits) != exactValue) {
            throw new IllegalArgumentException(exactValue + " is not a binary16 value");
        }
        s.set(LE_SHORT, at, bits);
    }

    static void u8(MemorySegment s, long at, int value) {
        s.set(ValueLayout.JAVA_BYTE, at, (byte) value);
    }

    static void or8(MemorySegment s, long at, int bits) {
        s.set(ValueLayout.JAVA_BYTE, at, (byte) (s.get(ValueLayout.JAVA_BYTE, at) | bits));
    }

    /** Decoding gives exactly {@code expected}, and the kernel's dot with a random x agrees with it. */
    static void assertDecodesTo(WeightFormat f, MemorySegment block, float[] expected) {
        float[] got = new float[expected.length];
        f.dequantize(block, 0, got, 0, expected.length);
        assertThat(got).as("%s decoded", f.type()).containsExactly(expected);
        float[] x = RandomBlocks.floats(expected.length, new Random(3));
        double dot = 0;
        double magnitude = 0;
        for (int i = 0; i < expected.length; i++) {
            dot += (double) expected[i] * x[i];
            magnitude += Math.abs((double) expected[i] * x[i]);
        }
        assertThat((double) f.dot(block, 0, x, 0, expected.length)).as("%s dot", f.type())
                .isCloseTo(dot, offset(1e-6 * magnitude));
    }

    /** Roughly Gaussian test weights (sum of uniforms), as trained weights look. */
    static float[] gaussian(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian() * 0.05f;
        }
        return x;
    }

    /** Quantizes and decodes {@code x} with one format. */
    static float[] roundTrip(GgmlType type, float[] x) {
        MemorySegment q = zeroed(type.byteSize(x.length));
        Quantizer.of(type).quantize(x, 0, q, 0, x.length);
        float[] y = new float[x.length];
        WeightFormat.of(type).dequantize(q, 0, y, 0, x.length);
        return y;
    }

    /** sqrt(sum (x - y)^2 / sum x^2). */
    static double relativeRmsError(float[] x, float[] y) {
        double err = 0;
        double norm = 0;
        for (int i = 0; i < x.length; i++) {
            err += ((double) x[i] - y[i]) * ((double) x[i] - y[i]);
            norm += (double) x[i] * x[i];
        }
        return Math.sqrt(err / norm);
    }
}
