package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each repacked layout holds its type's numbers, and its kernels compute bit for bit what its reference does (the
 * file layout's kernels, F16's and BF16's for their pairs; for Q8_0, F16's order over the dequantized weights): decode, token tiles and panels alike.
 */
class RepackingTest {

    private static final int ROWS = 5;

    /** A matrix of random blocks, {@code ROWS} rows of {@code n}, and its repacked copy. */
    private record Matrix(Tensor gguf, Tensor lanes) {

        static Matrix random(GgmlType type, int n, long seed) {
            MemorySegment data = RandomBlocks.of(type, n * ROWS, 0, new Random(seed));
            Tensor gguf = new Tensor("w", type, new long[] {n, ROWS}, data);
            return new Matrix(gguf, Repacking.forKernels(gguf, Arena.ofAuto()));
        }

        WeightFormat file() {
            return gguf.format();
        }

        long offset(Tensor t, int row) {
            return row * t.rowBytes();
        }

        /** What every kernel of the repacked layout must give for row {@code r} and the activations at {@code xOffset}. */
        float expected(int r, float[] x, int xOffset) {
            int n = gguf.cols();
            if (gguf.type() != GgmlType.Q8_0) {
                return file().dot(gguf.data(), offset(gguf, r), x, xOffset, n);
            }
            // Q8_0Lanes: F16's one accumulator of 16 lanes over the dequantized weights, then its lane sum
            float[] w = new float[n];
            file().dequantize(gguf.data(), offset(gguf, r), w, 0, n);
            float[] lanes = new float[Simd.WIDE];
            for (int i = 0; i < n; i++) {
                lanes[i % Simd.WIDE] = Math.fma(w[i], x[xOffset + i], lanes[i % Simd.WIDE]);
            }
            return Simd.sumWide(lanes, 0);
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (int blocks : new int[] {1, 2, 3, 64}) {
            cases.add(Arguments.of(GgmlType.Q8_0, blocks * 32));
        }
        // F16Pairs: rows shorter than a chunk, whole chunks, one of F16's steps after them, and a tail
        for (int n : F16Pairs.fits() ? new int[] {8, 16, 32, 48, 50, 64, 100, 2048} : new int[0]) {
            cases.add(Arguments.of(GgmlType.F16, n));
        }
        // BF16Pairs: rows shorter than a group of four vectors, whole groups, and groups with a tail
        for (int n : new int[] {8, 16, 48, 64, 100, 128, 2048, 2056}) {
            cases.add(Arguments.of(GgmlType.BF16, n));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyRowDecodesToTheSameWeights(GgmlType type, int n) {
        Matrix m = Matrix.random(type, n, n);
        assertThat(m.lanes().repacked()).isTrue();
        for (int r = 0; r < ROWS; r++) {
            float[] expected = new float[n];
            float[] actual = new float[n];
            m.file().dequantize(m.gguf().data(), m.offset(m.gguf(), r), expected, 0, n);
            m.lanes().format().dequantize(m.lanes().data(), m.offset(m.lanes(), r), actual, 0, n);
            assertThat(actual).as("row %d", r).containsExactly(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void dotsAreTheReferencesBitForBit(GgmlType type, int n) {
        Matrix m = Matrix.random(type, n, 100 + n);
        WeightFormat lanes = m.lanes().format();
        float[] x = RandomBlocks.floats(7 * n, new Random(n));
        for (int r = 0; r < ROWS; r++) {
            long l = m.offset(m.lanes(), r);
            float[] expected = new float[7];
            for (int t = 0; t < 7; t++) {
                expected[t] = m.expected(r, x, t * n);
                assertThat(lanes.dot(m.lanes().data(), l, x, t * n, n)).as("row %d token %d", r, t).isEqualTo(expected[t]);
            }
            // seven tokens: whole tiles, then those left alone
            float[] actual = new float[7];
            lanes.dotTokens(m.lanes().data(), l, x, 0, n, 7, n, actual, 0, 1);
            assertThat(actual).as("row %d", r).containsExactly(expected);
        }
        float[] expected = new float[ROWS];
        float[] actual = new float[ROWS];
        for (int r = 0; r < ROWS; r++) {
            expected[r] = m.expected(r, x, 0);
        }
        lanes.dotRows(m.lanes().data(), 0, m.lanes().rowBytes(), ROWS, x, 0, n, actual, 0);
        assertThat(actual).containsExactly(expected);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aPanelOfRepackedRowsGivesEveryTokenItsReference(GgmlType type, int n) {
        Matrix m = Matrix.random(type, n, 7);
        int tokens = 19;
        float[] x = RandomBlocks.floats(tokens * n, new Random(3));
        float[] expected = new float[tokens * ROWS];
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < ROWS; r++) {
                expected[t * ROWS + r] = m.expected(r, x, t * n);
            }
        }
        float[] actual = new float[tokens * ROWS];
        WeightPanel panel = new WeightPanel();
        panel.load(m.lanes().format(), m.lanes().data(), 0, m.lanes().rowBytes(), ROWS, n);
        panel.multiply(x, 0, n, tokens, actual, 0, ROWS);
        assertThat(actual).containsExactly(expected);
    }

    @Test
    void otherTypesKeepTheFileLayout() {
        Tensor q41 = new Tensor("w", GgmlType.Q4_1, new long[] {256, 2},
                RandomBlocks.of(GgmlType.Q4_1, 2 * 256, 0, new Random(1)));
        assertThat(Repacking.forKernels(q41, Arena.ofAuto())).isSameAs(q41);
        assertThat(q41.repacked()).isFalse();
        assertThat(q41.format()).isSameAs(WeightFormat.of(GgmlType.Q4_1));
    }

    @Test
    void f16RowsWithAnInfinityGiveTheFilesResultThroughTheFullConversion() {
        assumeTrue(F16Pairs.fits(), "F16 keeps the file's layout at this vector width");
        int n = 48;
        MemorySegment data = RandomBlocks.of(GgmlType.F16, n * ROWS, 0, new Random(5));
        short inf = Float.floatToFloat16(Float.POSITIVE_INFINITY);
        data.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * (n + 3), inf); // row 1, inside the first chunk
        data.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * (2 * n + 40), inf); // row 2, after the chunks at 512 bits
        Tensor gguf = new Tensor("w", GgmlType.F16, new long[] {n, ROWS}, data);
        Tensor pairs = Repacking.forKernels(gguf, Arena.ofAuto());
        float[] x = new float[2 * n];
        Arrays.fill(x, 0.25f);
        for (int r = 0; r < ROWS; r++) {
            float expected = gguf.format().dot(data, r * gguf.rowBytes(), x, 0, n);
            assertThat(pairs.format().dot(pairs.data(), r * pairs.rowBytes(), x, 0, n)).as("row %d", r)
                    .isEqualTo(expected);
            float[] out = new float[2];
            pairs.format().dotTokens(pairs.data(), r * pairs.rowBytes(), x, 0, n, 2, n, out, 0, 1);
            assertThat(out).as("row %d, two tokens", r).containsExactly(expected, expected);
        }
        assertThat(gguf.format().dot(data, gguf.rowBytes(), x, 0, n)).isEqualTo(Float.POSITIVE_INFINITY);
    }
}
