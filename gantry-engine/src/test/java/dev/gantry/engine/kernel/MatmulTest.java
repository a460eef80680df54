package dev.gantry.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Quantizer;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.WeightFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MatmulTest {

    private static Tensor random(GgmlType type, int rows, int cols, Random rnd) {
        long rowBytes = type.byteSize(cols);
        MemorySegment data = Arena.ofAuto().allocate(rowBytes * rows, 64);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                row[c] = (float) rnd.nextGaussian();
            }
            ((Quantizer) WeightFormat.of(type)).quantize(row, 0, data, r * rowBytes, cols);
        }
        return new Tensor("w", type, new long[] {cols, rows}, data);
    }

    private static float[] floats(int n, Random rnd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q6_K", "Q5_K"})
    void everyTokenOfABatchGetsExactlyWhatItGetsAlone(GgmlType type) {
        Random rnd = new Random(type.ordinal());
        int rows = 37;
        int cols = 512;
        Tensor w = random(type, rows, cols, rnd);
        // 7 tokens go through the formats' tile kernels, 23 through weight panels
        for (int tokens : new int[] {7, 23}) {
            float[] x = floats(tokens * cols, rnd);
            try (ComputePool pool = new ComputePool(2)) {
                float[] batch = new float[tokens * rows];
                Matmul.apply(pool, w, x, tokens, batch);
                for (int t = 0; t < tokens; t++) {
                    float[] alone = new float[rows];
                    float[] xt = Arrays.copyOfRange(x, t * cols, (t + 1) * cols);
                    Matmul.apply(pool, w, xt, 1, alone);
                    for (int r = 0; r < rows; r++) {
                        assertThat(batch[t * rows + r]).as("%d tokens: token %d row %d", tokens, t, r).isEqualTo(alone[r]);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F16", "Q8_0"})
    void fusedSlicesEqualSeparateProducts(GgmlType type) {
        Random rnd = new Random(7);
        int cols = 256;
        int tokens = 5;
        Tensor a = random(type, 40, cols, rnd);
        Tensor b = random(GgmlType.Q4_0, 24, cols, rnd);
        float[] x = floats(tokens * cols, rnd);
        try (ComputePool pool = new ComputePool(2)) {
            float[] outA = new float[tokens * 40];
            float[] outB = new float[tokens * 24];
            // a's rows 8..39 only, into columns 8.. of outA, as a fused qkv slice does
            Matmul.apply(pool, x, tokens, new Matmul.Slice(a, 8, 32, outA, 8, 40), Matmul.Slice.of(b, outB));
            float[] refA = new float[tokens * 40];
            float[] refB = new float[tokens * 24];
            Matmul.apply(pool, a, x, tokens, refA);
            Matmul.apply(pool, b, x, tokens, refB);
            for (int t = 0; t < tokens; t++) {
                for (int r = 0; r < 40; r++) {
                    assertThat(outA[t * 40 + r]).isEqualTo(r < 8 ? 0f : refA[t * 40 + r]);
                }
            }
            assertThat(outB).containsExactly(refB);
        }
    }
}
