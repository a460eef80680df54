package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Q4_0 rows interleaved for integer products give llama.cpp's formula ({@code ggml_vec_dot_q4_0_q8_0}: per block the
 * exact sum of quant products, times {@code d_w * d_x}) in scalar order, bit for bit, whatever the kernel;
 * {@link InterleavedFormatsTest} checks the layout and the kernels against the scalar dot.
 */
class Q4_0InterleavedTest {

    /** Two whole groups and part of a third, padded at load. */
    private static final int ROWS = 2 * ShortLanes.ROWS + 5;

    private static Tensor file(int n, long seed) {
        MemorySegment data = RandomBlocks.of(GgmlType.Q4_0, n * ROWS, 0, new Random(seed));
        return new Tensor("w", GgmlType.Q4_0, new long[] {n, ROWS}, data);
    }

    /** The formula over the file's blocks, with the activations quantized as {@link Q8Activations} does. */
    private static float reference(Tensor file, int row, Q8Activations x, int token) {
        int n = file.cols();
        float acc = 0;
        for (int b = 0; b < n / 32; b++) {
            long block = row * file.rowBytes() + b * 18L;
            int sum = 0;
            for (int j = 0; j < 32; j++) {
                int qs = file.data().get(ValueLayout.JAVA_BYTE, block + 2 + j % 16) & 0xFF;
                int q = (j < 16 ? qs & 0xF : qs >> 4) - 8;
                sum += q * x.quants()[token * n + b * 32 + j];
            }
            acc = Math.fma(sum, Simd.f16(file.data(), block) * x.scales()[token * (n / 32) + b], acc);
        }
        return acc;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7})
    void multiplyGivesEveryRowAndTokenTheFormulaBitForBit(int tokens) {
        int n = 256;
        Tensor file = file(n, tokens);
        Tensor packed = Repacking.forKernels(file, Arena.ofAuto());
        float[] x = RandomBlocks.floats(tokens * n, new Random(tokens));
        Q8Activations q = Q8Activations.of(Q8Activations.Grid.Q8_0, x, n, tokens);
        float[] out = new float[tokens * ROWS];
        Q4_0Interleaved.INSTANCE.multiply(packed.data(), 0, ROWS, q, out, 0, ROWS);
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < ROWS; r++) {
                float expected = reference(file, r, q, t);
                assertThat(out[t * ROWS + r]).as("row %d token %d", r, t).isEqualTo(expected);
                assertThat(packed.format().dot(packed.data(), r * packed.rowBytes(), x, t * n, n))
                        .as("dot of row %d token %d", r, t).isEqualTo(expected);
            }
        }
    }

    @Test
    void aBlockOfExtremeQuantsDoesNotOverflowItsSixteenBitSum() {
        // every weight quant -8 and every activation quant -127: the largest block sum, 32 * 8 * 127 = 32512
        int n = 64;
        MemorySegment data = Arena.ofAuto().allocate(18L * (n / 32) * ROWS);
        for (long b = 0; b < data.byteSize() / 18; b++) {
            data.set(Simd.LE_SHORT, 18 * b, Float.floatToFloat16(1f));
        }
        Tensor file = new Tensor("w", GgmlType.Q4_0, new long[] {n, ROWS}, data);
        Tensor packed = Repacking.forKernels(file, Arena.ofAuto());
        float[] x = new float[n];
        Arrays.fill(x, -1f);
        Q8Activations q = Q8Activations.of(Q8Activations.Grid.Q8_0, x, n, 1);
        float[] out = new float[ROWS];
        Q4_0Interleaved.INSTANCE.multiply(packed.data(), 0, ROWS, q, out, 0, ROWS);
        float d = Float.float16ToFloat(Float.floatToFloat16(1 / 127f));
        float block = 32512 * d;
        assertThat(out).containsOnly(Math.fma(32512, d, block));
    }
}
