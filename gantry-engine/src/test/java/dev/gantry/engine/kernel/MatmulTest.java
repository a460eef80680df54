package dev.gantry.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Quantizer;
import dev.gantry.engine.tensor.Repacking;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.WeightFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

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
        // as the engine loads it: Q4_0, Q4_K and Q6_K interleaved for integer products
        return Repacking.forKernels(new Tensor("w", type, new long[] {cols, rows}, data), Arena.ofAuto());
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

    static Stream<Arguments> fusedPairs() {
        // the second tensor's rows start at the first's slice end: 32 (a whole group of interleaved rows) or not
        return Stream.of(Arguments.of(GgmlType.F16, GgmlType.Q4_0, 8), Arguments.of(GgmlType.Q8_0, GgmlType.Q4_0, 8),
                Arguments.of(GgmlType.Q4_K, GgmlType.Q6_K, 8), Arguments.of(GgmlType.Q4_K, GgmlType.Q6_K, 32),
                Arguments.of(GgmlType.Q4_0, GgmlType.Q4_0, 32), Arguments.of(GgmlType.Q4_0, GgmlType.Q4_0, 8));
    }

    @ParameterizedTest
    @MethodSource("fusedPairs")
    void fusedSlicesEqualSeparateProducts(GgmlType typeA, GgmlType typeB, int skip) {
        Random rnd = new Random(7);
        int cols = 512;
        int rowsA = skip + 64;
        for (int tokens : new int[] {1, 5}) {
            Tensor a = random(typeA, rowsA, cols, rnd);
            Tensor b = random(typeB, 96, cols, rnd);
            float[] x = floats(tokens * cols, rnd);
            try (ComputePool pool = new ComputePool(2)) {
                float[] outA = new float[tokens * rowsA];
                float[] outB = new float[tokens * 96];
                // a's rows skip.. only, into columns skip.. of outA, as a fused qkv slice does
                Matmul.apply(pool, x, tokens, new Matmul.Slice(a, skip, 64, outA, skip, rowsA), Matmul.Slice.of(b, outB));
                float[] refA = new float[tokens * rowsA];
                float[] refB = new float[tokens * 96];
                Matmul.apply(pool, a, x, tokens, refA);
                Matmul.apply(pool, b, x, tokens, refB);
                for (int t = 0; t < tokens; t++) {
                    for (int r = 0; r < rowsA; r++) {
                        assertThat(outA[t * rowsA + r]).as("%d tokens: a's row %d, token %d", tokens, r, t)
                                .isEqualTo(r < skip ? 0f : refA[t * rowsA + r]);
                    }
                }
                assertThat(outB).as("%d tokens", tokens).containsExactly(refB);
            }
        }
    }
}
