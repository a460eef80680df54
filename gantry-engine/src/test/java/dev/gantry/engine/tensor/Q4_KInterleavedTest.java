package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Q4_K rows interleaved for integer products hold the file's weights; the scalar dot is the product of those weights
 * with the activations as quantized (to rounding), and every kernel gives the scalar dot's bits, for any number of
 * tokens and any range of rows.
 */
class Q4_KInterleavedTest {

    private static final int ROWS = 2 * ShortLanes.ROWS + 3;

    private static Tensor file(int n, long seed) {
        MemorySegment data = RandomBlocks.of(GgmlType.Q4_K, n * ROWS, 0, new Random(seed));
        return new Tensor("w", GgmlType.Q4_K, new long[] {n, ROWS}, data);
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 512, 2048})
    void everyRowDecodesToTheFilesWeights(int n) {
        Tensor file = file(n, n);
        Tensor packed = Repacking.forKernels(file, Arena.ofAuto());
        assertThat(packed.format()).isSameAs(Q4_KInterleaved.INSTANCE);
        for (int r = 0; r < ROWS; r++) {
            float[] expected = new float[n];
            float[] actual = new float[n];
            file.format().dequantize(file.data(), r * file.rowBytes(), expected, 0, n);
            packed.format().dequantize(packed.data(), r * packed.rowBytes(), actual, 0, n);
            assertThat(actual).as("row %d", r).containsExactly(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 9})
    void everyKernelGivesTheScalarDotWhichIsTheProductOfTheQuantizedValues(int tokens) {
        int n = 512;
        Tensor file = file(n, 31 + tokens);
        Tensor packed = Repacking.forKernels(file, Arena.ofAuto());
        float[] x = RandomBlocks.floats(tokens * n, new Random(tokens));
        Q8Activations q = Q8Activations.of(Q8Activations.Grid.Q8_K, x, n, tokens);
        int stride = ROWS + 2;
        float[] out = new float[tokens * stride];
        Arrays.fill(out, Float.NaN);
        // rows 1 .. ROWS: cuts the first group and ends in the padded last one
        Q4_KInterleaved.INSTANCE.multiply(packed.data(), 1, ROWS - 1, q, out, 1, stride);
        float[] w = new float[n];
        for (int t = 0; t < tokens; t++) {
            assertThat(out[t * stride]).isNaN();
            assertThat(out[t * stride + ROWS]).isNaN();
            for (int r = 1; r < ROWS; r++) {
                float dot = packed.format().dot(packed.data(), r * packed.rowBytes(), x, t * n, n);
                assertThat(out[t * stride + r]).as("row %d token %d", r, t).isEqualTo(dot);
                file.format().dequantize(file.data(), r * file.rowBytes(), w, 0, n);
                double exact = 0;
                double magnitude = 0;
                for (int i = 0; i < n; i++) {
                    double p = (double) w[i] * q.quants()[t * n + i] * q.scales()[(t * n + i) / 32];
                    exact += p;
                    magnitude += Math.abs(p);
                }
                assertThat((double) dot).as("row %d token %d", r, t).isCloseTo(exact,
                        org.assertj.core.data.Offset.offset(1e-5 * magnitude + 1e-30));
            }
        }
    }
}
