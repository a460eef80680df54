package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class F16Test {

    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static MemorySegment halves(int... bits) {
        MemorySegment s = BlockBytes.zeroed(2L * bits.length);
        for (int i = 0; i < bits.length; i++) {
            s.set(LE_SHORT, 2L * i, (short) bits[i]);
        }
        return s;
    }

    @Test
    void decodesKnownBitPatterns() {
        MemorySegment s = halves(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x8400, 0x3555);
        BlockBytes.assertDecodesTo(new F16(), s, new float[] {1.0f, -2.0f, 65504.0f, 0x1p-24f, -0x1p-14f, 0.33325195f});
    }

    @Test
    void theKernelWidensSubnormalsInfinitiesAndNanLikeTheScalarPath() {
        int n = 4 * Simd.LANES + 3; // vector body and scalar tail
        float[] ones = new float[n];
        Arrays.fill(ones, 1.0f);
        int[] specials = {0x0001, 0x03FF, 0x7BFF, 0x7C00, 0xFC00, 0x7E00};
        for (int bits : specials) {
            int[] all = new int[n];
            Arrays.fill(all, bits);
            float value = Float.float16ToFloat((short) bits);
            float dot = new F16().dot(halves(all), 0, ones, 0, n);
            if (Float.isNaN(value)) {
                assertThat(dot).as("sum of %d x 0x%04x", n, bits).isNaN();
            } else {
                assertThat(dot).as("sum of %d x 0x%04x", n, bits).isEqualTo(n * value);
            }
        }
    }

    @Test
    void aRowWithOneInfOrNanAmongFiniteHalvesGivesItsInfOrNanInEveryKernel() {
        java.util.Random rnd = new java.util.Random(5);
        int n = 4 * Simd.WIDE + 5;
        int[] special = {0x7C00, 0xFC00, 0x7E01};
        for (int bits : special) {
            int[] row = new int[n];
            for (int i = 0; i < n; i++) {
                row[i] = Float.floatToFloat16((float) rnd.nextGaussian());
            }
            row[Simd.WIDE + 3] = bits; // inside a vector step, not the scalar tail
            MemorySegment s = halves(row);
            float[] x = new float[3 * n];
            Arrays.fill(x, 0.5f);
            float expected = Float.float16ToFloat((short) bits) * 0.5f;
            F16 f = new F16();
            float dot = f.dot(s, 0, x, 0, n);
            float[] tokens = new float[3];
            f.dotTokens(s, 0, x, 0, n, 3, n, tokens, 0, 1);
            if (Float.isNaN(expected)) {
                assertThat(dot).isNaN();
            } else {
                assertThat(dot).isEqualTo(expected);
            }
            for (float t : tokens) {
                assertThat(Float.floatToRawIntBits(t)).as("token of 0x%04x", bits).isEqualTo(Float.floatToRawIntBits(dot));
            }
        }
    }

    @Test
    void toFloatsConvertsEveryHalfOfAnyLengthExactly() {
        java.util.Random rnd = new java.util.Random(3);
        int[] all = new int[80];
        for (int i = 0; i < all.length; i++) {
            all[i] = rnd.nextInt(1 << 16); // every class of half: subnormals, infinities and NaNs included
        }
        all[5] = 0x7C00;
        all[6] = 0x0001;
        MemorySegment s = halves(all);
        for (int n = 0; n <= 40; n++) {
            for (int start = 0; start < 3; start++) {
                float[] out = new float[n + 2];
                F16.toFloats(s, 2L * start, out, 1, n);
                for (int i = 0; i < n; i++) {
                    assertThat(Float.floatToRawIntBits(out[1 + i])).as("n %d, half %d", n, start + i)
                            .isEqualTo(Float.floatToRawIntBits(Float.float16ToFloat((short) all[start + i])));
                }
                assertThat(out[0]).isZero();
                assertThat(out[n + 1]).isZero();
            }
        }
    }

    @Test
    void quantizingRoundsToNearestEven() {
        float[] x = {1.0f + 0x1p-11f, 1.0f + 3 * 0x1p-11f, 65520.0f, -0.0f};
        MemorySegment q = BlockBytes.zeroed(8);
        new F16().quantize(x, 0, q, 0, 4);
        assertThat(q.get(LE_SHORT, 0)).isEqualTo((short) 0x3C00); // halfway, down to even
        assertThat(q.get(LE_SHORT, 2)).isEqualTo((short) 0x3C02); // halfway, up to even
        assertThat(q.get(LE_SHORT, 4)).isEqualTo((short) 0x7C00); // past the largest half: infinity
        assertThat(q.get(LE_SHORT, 6)).isEqualTo((short) 0x8000);
    }

    @Test
    void roundTripErrorIsWithinHalfAnUlp() {
        float[] x = BlockBytes.gaussian(1000, 2);
        float[] y = BlockBytes.roundTrip(GgmlType.F16, x);
        for (int i = 0; i < x.length; i++) {
            assertThat(Math.abs(x[i] - y[i])).isLessThanOrEqualTo(Math.max(Math.abs(x[i]) * 0x1p-11f, 0x1p-25f));
        }
        assertThat(BlockBytes.relativeRmsError(x, y)).isLessThan(3e-4);
    }
}
