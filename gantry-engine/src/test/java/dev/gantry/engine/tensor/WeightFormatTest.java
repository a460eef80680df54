package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every format's Vector API {@code dot} against its own scalar reference: {@code dequantize} followed by a plain dot
 * product accumulated in double.
 */
class WeightFormatTest {

    static final List<GgmlType> FORMATS = List.of(
            GgmlType.F32, GgmlType.F16, GgmlType.BF16,
            GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1,
            GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K,
            GgmlType.IQ4_NL, GgmlType.IQ4_XS);

    static final List<GgmlType> BLOCK_FORMATS = FORMATS.stream().filter(t -> t.blockSize() > 1).toList();

    static Stream<GgmlType> formats() {
        return FORMATS.stream();
    }

    static Stream<GgmlType> blockFormats() {
        return BLOCK_FORMATS.stream();
    }

    static Stream<Arguments> blockCounts() {
        List<Arguments> cases = new ArrayList<>();
        for (GgmlType t : BLOCK_FORMATS) {
            for (int blocks : new int[] {1, 2, 3, 7, 33}) {
                cases.add(Arguments.of(t, blocks));
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> oddLengths() {
        List<Arguments> cases = new ArrayList<>();
        for (GgmlType t : List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16)) {
            for (int n : new int[] {1, 3, 17, 67, 1025}) {
                cases.add(Arguments.of(t, n));
            }
        }
        return cases.stream();
    }

    /** The reference: decode, then multiply and sum in double. Also returns sum |w x| as the error scale. */
    static double[] reference(WeightFormat f, MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float[] w = new float[n];
        f.dequantize(data, offset, w, 0, n);
        double dot = 0;
        double magnitude = 0;
        for (int i = 0; i < n; i++) {
            dot += (double) w[i] * x[xOffset + i];
            magnitude += Math.abs((double) w[i] * x[xOffset + i]);
        }
        return new double[] {dot, magnitude};
    }

    static void assertDotMatchesReference(WeightFormat f, MemorySegment data, long offset, float[] x, int xOffset, int n) {
        double[] ref = reference(f, data, offset, x, xOffset, n);
        float dot = f.dot(data, offset, x, xOffset, n);
        assertThat(Double.isFinite(ref[0])).as("reference is finite").isTrue();
        // float accumulation over n terms: allow 1e-5 of sum |w x| (a single misplaced weight costs far more
        // for small n; the unit-vector test below pins every position exactly)
        assertThat((double) dot).as("%s dot of %d weights at offset %d", f.type(), n, offset)
                .isCloseTo(ref[0], offset(1e-5 * ref[1] + 1e-30));
    }

    @Test
    void everyFormatIsRegisteredUnderItsOwnType() {
        for (GgmlType t : FORMATS) {
            assertThat(WeightFormat.of(t).type()).isEqualTo(t);
        }
    }

    @Test
    void anUnsupportedTypeIsRefusedByName() {
        assertThatThrownBy(() -> WeightFormat.of(GgmlType.IQ2_XXS))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("IQ2_XXS");
    }

    @ParameterizedTest
    @MethodSource("blockCounts")
    void dotMatchesTheScalarReferenceOnRandomBlocks(GgmlType type, int blocks) {
        Random rnd = new Random(31L * type.ordinal() + blocks);
        WeightFormat f = WeightFormat.of(type);
        int n = blocks * type.blockSize();
        for (long pad : new long[] {0, 1, 3}) {
            MemorySegment data = RandomBlocks.of(type, n, pad, rnd);
            float[] x = RandomBlocks.floats(n + 5, rnd);
            assertDotMatchesReference(f, data, pad, x, 0, n);
            assertDotMatchesReference(f, data, pad, x, 5, n);
        }
    }

    @ParameterizedTest
    @MethodSource("oddLengths")
    void dotMatchesTheScalarReferenceForOddLengthsAndUnalignedOffsets(GgmlType type, int n) {
        Random rnd = new Random(n);
        WeightFormat f = WeightFormat.of(type);
        for (long pad : new long[] {0, 1, 2, 6}) {
            MemorySegment data = RandomBlocks.of(type, n, pad, rnd);
            float[] x = RandomBlocks.floats(n + 3, rnd);
            for (int xOffset = 0; xOffset <= 3; xOffset++) {
                assertDotMatchesReference(f, data, pad, x, xOffset, n);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void dotWithAUnitVectorPicksOutEachDecodedWeight(GgmlType type) {
        Random rnd = new Random(type.ordinal());
        WeightFormat f = WeightFormat.of(type);
        int n = 2 * Math.max(type.blockSize(), 64);
        MemorySegment data = RandomBlocks.of(type, n, 1, rnd);
        float[] w = new float[n];
        f.dequantize(data, 1, w, 0, n);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1;
            float picked = f.dot(data, 1, x, 0, n);
            x[i] = 0;
            assertThat(picked).as("%s weight %d", type, i).isCloseTo(w[i], offset(Math.abs(w[i]) * 1e-6f));
        }
    }

    @ParameterizedTest
    @MethodSource("blockFormats")
    void aLengthThatIsNotAWholeNumberOfBlocksIsRefused(GgmlType type) {
        WeightFormat f = WeightFormat.of(type);
        MemorySegment data = RandomBlocks.of(type, 2 * type.blockSize(), 0, new Random(1));
        float[] x = new float[2 * type.blockSize()];
        assertThatThrownBy(() -> f.dot(data, 0, x, 0, type.blockSize() + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(type.name()).hasMessageContaining(String.valueOf(type.blockSize()));
        assertThatThrownBy(() -> f.dequantize(data, 0, x, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void dotRowsEqualsOneDotPerRow(GgmlType type) {
        Random rnd = new Random(7);
        WeightFormat f = WeightFormat.of(type);
        // unblocked formats: columns past the vector loop too (the rows' leftovers)
        int n = 2 * Math.max(type.blockSize(), 32) + (type.blockSize() == 1 ? 45 : 0);
        int rows = 7;
        long stride = type.byteSize(n) + 3;
        MemorySegment data = Arena.ofAuto().allocate(rows * stride + 2);
        for (int r = 0; r < rows; r++) {
            RandomBlocks.fill(type, n, data, 2 + r * stride, rnd);
        }
        float[] x = RandomBlocks.floats(n, rnd);
        float[] out = new float[rows + 1];
        f.dotRows(data, 2, stride, rows, x, 0, n, out, 1);
        for (int r = 0; r < rows; r++) {
            assertThat(out[r + 1]).isEqualTo(f.dot(data, 2 + r * stride, x, 0, n));
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void dotTokensGivesEveryTokenExactlyItsOwnDot(GgmlType type) {
        Random rnd = new Random(11 + type.ordinal());
        WeightFormat f = WeightFormat.of(type);
        int n = 3 * Math.max(type.blockSize(), 32) + (type.blockSize() == 1 ? 5 : 0);
        MemorySegment data = RandomBlocks.of(type, n, 3, rnd);
        int xStride = n + 7;
        // every tile width and remainder the formats use (1, 2, 4 and the leftovers of 7 tokens)
        for (int tokens : new int[] {1, 2, 3, 4, 5, 7, 9}) {
            float[] x = RandomBlocks.floats(2 + tokens * xStride, rnd);
            int outStride = 3;
            float[] out = new float[1 + tokens * outStride];
            f.dotTokens(data, 3, x, 2, xStride, tokens, n, out, 1, outStride);
            for (int t = 0; t < tokens; t++) {
                assertThat(out[1 + t * outStride]).as("%s token %d of %d", type, t, tokens)
                        .isEqualTo(f.dot(data, 3, x, 2 + t * xStride, n));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void compiledKernelsKeepMatchingTheReference(GgmlType type) {
        // enough calls for the JIT to compile the kernel with its vector intrinsics, checked along the way
        Random rnd = new Random(11);
        WeightFormat f = WeightFormat.of(type);
        int n = 3 * Math.max(type.blockSize(), 32) + (type.blockSize() == 1 ? 5 : 0);
        MemorySegment data = RandomBlocks.of(type, n, 1, rnd);
        float[] x = RandomBlocks.floats(n, rnd);
        double[] ref = reference(f, data, 1, x, 0, n);
        float first = f.dot(data, 1, x, 0, n);
        for (int i = 0; i < 20_000; i++) {
            float again = f.dot(data, 1, x, 0, n);
            if (again != first && Math.abs(again - ref[0]) > 1e-5 * ref[1]) {
                throw new AssertionError(type + " call " + i + " gave " + again + ", reference " + ref[0]);
            }
        }
        assertThat((double) f.dot(data, 1, x, 0, n)).isCloseTo(ref[0], offset(1e-5 * ref[1]));
    }
}
