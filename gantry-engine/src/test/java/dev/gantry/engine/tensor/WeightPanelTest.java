package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WeightPanelTest {

    /**
     * Random bytes (every bit pattern a format allows, subnormal and huge scales included), odd row counts and
     * token counts that fill no kernel tile, and for the element formats rows that end mid-vector.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K"})
    void everyRowTimesEveryTokenIsBitForBitTheFormatsDot(GgmlType type) {
        WeightFormat format = WeightFormat.of(type);
        Random rnd = new Random(type.ordinal());
        int[] lengths = type.blockSize() == 1 ? new int[] {1, 7, 64, 131, 172, 515} : new int[] {type.blockSize(), 3 * type.blockSize()};
        WeightPanel panel = new WeightPanel();
        for (int n : lengths) {
            for (int rows : new int[] {1, 2, 5}) {
                long rowBytes = type.byteSize(n);
                MemorySegment data = RandomBlocks.of(type, n * rows, 0, rnd);
                panel.load(format, data, 0, rowBytes, rows, n);
                for (int tokens : new int[] {1, 2, 3, 4, 5, 7, 9, 17, 40}) {
                    int xStride = n + 3;
                    float[] x = RandomBlocks.floats(tokens * xStride + 1, rnd);
                    int outStride = rows + 2;
                    float[] out = new float[tokens * outStride + 1];
                    panel.multiply(x, 1, xStride, tokens, out, 1, outStride);
                    for (int t = 0; t < tokens; t++) {
                        for (int r = 0; r < rows; r++) {
                            float alone = format.dot(data, r * rowBytes, x, 1 + t * xStride, n);
                            assertThat(out[1 + t * outStride + r]).as("n=%d rows=%d tokens=%d: row %d token %d",
                                    n, rows, tokens, r, t).isEqualTo(alone);
                        }
                        for (int gap = rows; gap < outStride; gap++) {
                            assertThat(out[1 + t * outStride + gap]).as("n=%d rows=%d tokens=%d: column %d of token %d, "
                                    + "outside the rows", n, rows, tokens, gap, t).isZero();
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q2_K", "Q3_K", "IQ4_NL"})
    void formatsWithoutAPanelKernelAreRefused(GgmlType type) {
        WeightFormat format = WeightFormat.of(type);
        assertThat(WeightPanel.supports(format)).isFalse();
        MemorySegment data = RandomBlocks.of(type, 256, 0, new Random(1));
        assertThatThrownBy(() -> new WeightPanel().load(format, data, 0, type.byteSize(256), 1, 256))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining(type.name());
    }
}
