package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every format whose rows are interleaved for integer products ({@link ShortLanes}) holds the file's weights; its
 * scalar dot is the product of those weights with the activations as quantized (to rounding); and every kernel
 * gives the scalar dot's bits, for any number of tokens and any range of rows, a padded last group included.
 */
class InterleavedFormatsTest {

    /** Two whole groups and part of a third. */
    private static final int ROWS = 2 * ShortLanes.ROWS + 3;

    private static final List<GgmlType> TYPES = List.of(GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);

    private static Tensor file(GgmlType type, int n, long seed) {
        MemorySegment data = RandomBlocks.of(type, n * ROWS, 0, new Random(seed));
        return new Tensor("w", type, new long[] {n, ROWS}, data);
    }

    static Stream<Arguments> widths() {
        List<Arguments> cases = new ArrayList<>();
        for (GgmlType type : TYPES) {
            for (int blocks : new int[] {1, 2, 8}) {
                cases.add(Arguments.of(type, blocks * Math.max(256, type.blockSize())));
            }
        }
        cases.add(Arguments.of(GgmlType.Q4_0, 96));
        return cases.stream();
    }

    static Stream<Arguments> tokenCounts() {
        List<Arguments> cases = new ArrayList<>();
        for (GgmlType type : TYPES) {
            for (int tokens : new int[] {1, 2, 3, 4, 9}) {
                cases.add(Arguments.of(type, tokens));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("widths")
    void everyRowDecodesToTheFilesWeights(GgmlType type, int n) {
        Tensor file = file(type, n, n);
        Tensor packed = Repacking.forKernels(file, Arena.ofAuto());
        assertThat(packed.format()).isInstanceOf(Q8Products.class);
        for (int r = 0; r < ROWS; r++) {
            float[] expected = new float[n];
            float[] actual = new float[n];
            file.format().dequantize(file.data(), r * file.rowBytes(), expected, 0, n);
            packed.format().dequantize(packed.data(), r * packed.rowBytes(), actual, 0, n);
            assertThat(actual).as("row %d", r).containsExactly(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("tokenCounts")
    void everyKernelGivesTheScalarDotWhichIsTheProductOfTheQuantizedValues(GgmlType type, int tokens) {
        int n = 512;
        Tensor file = file(type, n, 31 + tokens);
        Tensor packed = Repacking.forKernels(file, Arena.ofAuto());
        Q8Products format = (Q8Products) packed.format();
        float[] x = RandomBlocks.floats(tokens * n, new Random(tokens));
        Q8Activations q = Q8Activations.of(format.activations(), x, n, tokens);
        int stride = ROWS + 2;
        float[] out = new float[tokens * stride];
        Arrays.fill(out, Float.NaN);
        // rows 1 .. ROWS: cuts the first group and ends in the padded last one
        format.multiply(packed.data(), 1, ROWS - 1, q, out, 1, stride);
        float[] w = new float[n];
        for (int t = 0; t < tokens; t++) {
            assertThat(out[t * stride]).as("slot before the rows").isNaN();
            assertThat(out[t * stride + ROWS]).as("slot after the rows").isNaN();
            for (int r = 1; r < ROWS; r++) {
                float dot = format.dot(packed.data(), r * packed.rowBytes(), x, t * n, n);
                assertThat(out[t * stride + r]).as("row %d token %d", r, t).isEqualTo(dot);
                file.format().dequantize(file.data(), r * file.rowBytes(), w, 0, n);
                double exact = 0;
                double magnitude = 0;
                for (int i = 0; i < n; i++) {
                    double p = (double) w[i] * q.quants()[t * n + i] * q.scales()[(t * n + i) / Q8Activations.BLOCK];
                    exact += p;
                    magnitude += Math.abs(p);
                }
                assertThat((double) dot).as("row %d token %d", r, t).isCloseTo(exact, within(1e-5 * magnitude + 1e-30));
            }
        }
    }
}
