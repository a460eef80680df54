package dev.gantry.bench;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.WeightFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a tile kernel saves in prefill: every row of a matrix against {@value #TOKENS} token vectors (the tile
 * {@code Matmul} hands a format), once through {@link WeightFormat#dotTokens}, which unpacks each weight block once
 * for the whole tile, and once as {@value #TOKENS} separate {@link WeightFormat#dot} calls per row. Formats without
 * a tile kernel inherit {@code dotTokens}' default loop over {@code dot}, so for them the two should tie. One op
 * is the whole matrix for all tokens; single-threaded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TokenTileBenchmark {

    /** Matmul's token tile: 16 x 2048 activations are 128 KiB. */
    static final int TOKENS = 16;

    @Param({"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1",
            "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "IQ4_NL", "IQ4_XS"})
    public GgmlType type;

    /** rows x cols. */
    @Param({"2048x2048"})
    public String shape;

    private Arena arena;
    private WeightFormat format;
    private MemorySegment data;
    private long rowBytes;
    private int rows;
    private int cols;
    private float[] x;
    private float[] out;

    @Setup
    public void setup() {
        RandomWeights random = new RandomWeights(42);
        arena = Arena.ofShared();
        Tensor w = random.matrix(arena, type, MatrixShape.parse(shape));
        format = WeightFormat.of(type);
        data = w.data();
        rowBytes = w.rowBytes();
        rows = w.rows();
        cols = w.cols();
        x = random.activations(TOKENS * cols);
        out = new float[TOKENS * rows];
        checkTileIsBitIdentical();
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    /** Output is token-major, as {@code Matmul} writes it: {@code out[t * rows + r]}. */
    @Benchmark
    public float[] tile() {
        for (int r = 0; r < rows; r++) {
            format.dotTokens(data, r * rowBytes, x, 0, cols, TOKENS, cols, out, r, rows);
        }
        return out;
    }

    @Benchmark
    public float[] separateDots() {
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < TOKENS; t++) {
                out[t * rows + r] = format.dot(data, r * rowBytes, x, t * cols, cols);
            }
        }
        return out;
    }

    /** {@code dotTokens} promises each token exactly {@code dot}'s result; a tile that broke it is no speed-up. */
    private void checkTileIsBitIdentical() {
        float[] tiled = new float[TOKENS];
        format.dotTokens(data, 0, x, 0, cols, TOKENS, cols, tiled, 0, 1);
        for (int t = 0; t < TOKENS; t++) {
            float alone = format.dot(data, 0, x, t * cols, cols);
            if (Float.floatToRawIntBits(tiled[t]) != Float.floatToRawIntBits(alone)) {
                throw new IllegalStateException(type + " dotTokens differs from dot for token " + t + " of row 0: "
                        + tiled[t] + " vs " + alone);
            }
        }
    }
}
