package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Q6_K rows interleaved for integer products: the sums that could overflow 16 bits do not. */
class Q6_KInterleavedTest {

    private static final int ROWS = ShortLanes.ROWS;

    @Test
    void aSubBlockOfExtremeQuantsDoesNotOverflowItsSixteenBitSums() {
        // every quant 0 (weight quant -32), every scale 1, d = 1, every activation quant -127: each half sub-block's
        // sum is the largest, 8 * 32 * 127 = 32512
        int n = 256;
        MemorySegment data = Arena.ofAuto().allocate((long) Q6_K.BYTES * ROWS);
        for (int r = 0; r < ROWS; r++) {
            long block = (long) r * Q6_K.BYTES;
            for (int s = 0; s < 16; s++) {
                data.set(ValueLayout.JAVA_BYTE, block + 192 + s, (byte) 1);
            }
            data.set(Simd.LE_SHORT, block + 208, Float.floatToFloat16(1f));
        }
        Tensor packed = Repacking.forKernels(new Tensor("w", GgmlType.Q6_K, new long[] {n, ROWS}, data), Arena.ofAuto());
        float[] x = new float[n];
        Arrays.fill(x, -1f);
        Q8Activations q = Q8Activations.of(Q8Activations.Grid.Q8_K, x, n, 1);
        float[] out = new float[ROWS];
        Q6_KInterleaved.INSTANCE.multiply(packed.data(), 0, ROWS, q, out, 0, ROWS);
        float dx = q.scales()[0];
        float acc = 0;
        for (int h = 0; h < 32; h++) {
            acc = Math.fma(32512, dx, acc);
        }
        assertThat(out).containsOnly(acc);
    }
}
