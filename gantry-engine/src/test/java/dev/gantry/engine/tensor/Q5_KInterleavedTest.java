package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Q5_K rows interleaved for integer products: the sums that could overflow 16 bits do not. */
class Q5_KInterleavedTest {

    private static final int ROWS = ShortLanes.ROWS;

    @Test
    void aSubBlockOfExtremeQuantsSumsEachHalfWithinSixteenBits() {
        // every quant 0 (-16 in the lanes), every scale 1 and min 0, d = 1, every activation quant -127: each half
        // sub-block's sum is the largest, 16 * 16 * 127 = 32512, the two together twice what 16 bits hold; the exact
        // sub-block sum S' + 16 * B is 65024 - 16 * 32 * 127 = 0, where a sum wrapped in 16 bits would leave -65536
        int n = 256;
        MemorySegment data = Arena.ofAuto().allocate((long) Q5_K.BYTES * ROWS);
        for (int r = 0; r < ROWS; r++) {
            long block = (long) r * Q5_K.BYTES;
            data.set(Simd.LE_SHORT, block, Float.floatToFloat16(1f));
            for (int j = 0; j < 4; j++) {
                data.set(ValueLayout.JAVA_BYTE, block + 4 + j, (byte) 1);
                data.set(ValueLayout.JAVA_BYTE, block + 12 + j, (byte) 1);
            }
        }
        Tensor file = new Tensor("w", GgmlType.Q5_K, new long[] {n, ROWS}, data);
        float[] weights = new float[n];
        file.format().dequantize(data, 0, weights, 0, n);
        assertThat(weights).containsOnly(0f);
        Tensor packed = Repacking.forKernels(file, Arena.ofAuto());
        float[] x = new float[4 * n];
        Arrays.fill(x, -1f);
        Q8Activations q = Q8Activations.of(Q8Activations.Grid.Q8_K, x, n, 4);
        assertThat(q.quants()).containsOnly((short) -127);
        float[] out = new float[4 * ROWS];
        Arrays.fill(out, Float.NaN);
        Q5_KInterleaved.INSTANCE.multiply(packed.data(), 0, ROWS, q, out, 0, ROWS);
        assertThat(out).containsOnly(0f);
        Q8Activations one = Q8Activations.of(Q8Activations.Grid.Q8_K, x, n, 1);
        Q5_KInterleaved.INSTANCE.multiply(packed.data(), 0, ROWS, one, out, 0, ROWS);
        assertThat(out).containsOnly(0f);
    }
}
