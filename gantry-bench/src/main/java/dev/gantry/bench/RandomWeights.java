package dev.gantry.bench;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Quantizer;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.WeightFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Random weight matrices and activations for the benchmarks, reproducible from a seed. Weights are about
 * N(0, 0.02), like the synthetic models of {@code gantry bench --synthetic}, and are written through the format's
 * own {@link Quantizer}, so every block is one the engine could have loaded from a file.
 *
 * <p>Only the first {@value #DISTINCT_ROWS} rows are quantized; the rest of the matrix repeats them. The kernels'
 * speed does not depend on the values, but quantizing 11 million weights with the K-quants' scale search would
 * make every trial's setup take seconds on a loaded machine. The matrix still occupies its full size in memory,
 * so it streams from RAM exactly as a real one does.
 */
record RandomWeights(long seed) {

    /** Far more rows than any cache or branch predictor could tell apart from a fully random matrix. */
    static final int DISTINCT_ROWS = 256;

    /** Standard deviation of the weights (the synthetic models' N(0, 0.02)). */
    private static final double WEIGHT_SIGMA = 0.02;

    /**
     * The fp16 block scale written into formats without a quantizer (IQ4_NL, IQ4_XS): 2^-12 keeps their weights
     * (scale x sub-scale x a level of at most 127) in the range of the others, and is a normal half.
     */
    private static final short RAW_BLOCK_SCALE = Float.floatToFloat16(0x1p-12f);

    /** GGUF data is little-endian. */
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A {@code shape.rows()} x {@code shape.cols()} matrix of {@code type} in {@code arena} (64-byte aligned). */
    Tensor matrix(Arena arena, GgmlType type, MatrixShape shape) {
        int rows = shape.rows();
        int cols = shape.cols();
        long rowBytes = type.byteSize(cols);
        MemorySegment data = arena.allocate(rowBytes * rows, 64);
        int distinct = Math.min(rows, DISTINCT_ROWS);
        SplittableRandom random = new SplittableRandom(seed);
        if (WeightFormat.of(type) instanceof Quantizer quantizer) {
            float[] row = new float[cols];
            for (int r = 0; r < distinct; r++) {
                for (int i = 0; i < cols; i++) {
                    row[i] = (float) (random.nextGaussian() * WEIGHT_SIGMA);
                }
                quantizer.quantize(row, 0, data, r * rowBytes, cols);
            }
        } else {
            writeRawBlocks(data, type, distinct * rowBytes, random);
        }
        for (int r = distinct; r < rows; r += distinct) {
            long count = Math.min(distinct, rows - r);
            MemorySegment.copy(data, 0, data, r * rowBytes, count * rowBytes);
        }
        return new Tensor("bench." + type + "." + shape, type, new long[] {cols, rows}, data);
    }

    /** {@code n} activations, N(0, 1) as the normed hidden state entering a matmul is. */
    float[] activations(int n) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /**
     * Random bytes for the formats that cannot encode: their level indices and sub-block scales may take any bit
     * pattern, but the fp16 scale {@code d} that opens each block (ggml {@code block_iq4_nl}, {@code block_iq4_xs})
     * must be a finite number.
     */
    private static void writeRawBlocks(MemorySegment data, GgmlType type, long bytes, SplittableRandom random) {
        switch (type) {
            case IQ4_NL, IQ4_XS -> {
                for (long i = 0; i < bytes; i++) {
                    data.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt(256));
                }
                for (long b = 0; b < bytes; b += type.blockBytes()) {
                    data.set(LE_SHORT, b, RAW_BLOCK_SCALE);
                }
            }
            default -> throw new UnsupportedOperationException(
                    "cannot write random " + type + " weights: it has no quantizer and no known raw block layout");
        }
    }
}
