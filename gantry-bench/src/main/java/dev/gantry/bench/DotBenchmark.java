package dev.gantry.bench;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Q8Activations;
import dev.gantry.engine.tensor.Q8Products;
import dev.gantry.engine.tensor.Repacking;
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
 * One matrix-vector product (every row of a weight matrix against one activation vector, the shape of a decode
 * step) per weight format and matrix shape, two ways: the Vector API fast path the engine runs ({@link
 * WeightFormat#dot} row by row, or for the formats repacked for integer products {@link Q8Products#multiply},
 * quantizing the activations included), and the scalar reference ({@link WeightFormat#dequantize} of the row, then
 * a plain float loop).
 * One op is the whole matrix, so ops/s x rows x cols is weights per second; single-threaded, no activation
 * rounding, no {@code Matmul} driver (see {@link MatmulBenchmark} for that).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DotBenchmark {

    @Param({"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1",
            "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "IQ4_NL", "IQ4_XS"})
    public GgmlType type;

    /** rows x cols: a square attention projection, TinyLlama's FFN gate/up, and its down projection. */
    @Param({"2048x2048", "5632x2048", "2048x5632"})
    public String shape;

    /**
     * {@code kernels}: the layout the engine loads the matrix in ({@link Repacking#forKernels}: Q4_0, Q4_K and Q6_K
     * interleaved for integer products, Q8_0 and Q5_K repacked for float ones);
     * {@code file}: the GGUF layout, for the difference.
     */
    @Param({"kernels", "file"})
    public String layout;

    private Arena arena;
    private WeightFormat format;
    private MemorySegment data;
    private long rowBytes;
    private int rows;
    private int cols;
    private float[] x;
    private float[] row;
    private float[] out;

    @Setup
    public void setup() {
        MatrixShape s = MatrixShape.parse(shape);
        RandomWeights random = new RandomWeights(42);
        arena = Arena.ofShared();
        Tensor file = random.matrix(arena, type, s);
        Tensor w = layout.equals("file") ? file : Repacking.forKernels(file, arena);
        format = w.format();
        data = w.data();
        rowBytes = w.rowBytes();
        rows = w.rows();
        cols = w.cols();
        x = random.activations(cols);
        row = new float[cols];
        out = new float[rows];
        checkFastPathMatchesReference();
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float[] vector() {
        if (format instanceof Q8Products q8) {
            q8.multiply(data, 0, rows, Q8Activations.of(q8.activations(), x, cols, 1), out, 0, rows);
            return out;
        }
        for (int r = 0; r < rows; r++) {
            out[r] = format.dot(data, r * rowBytes, x, 0, cols);
        }
        return out;
    }

    @Benchmark
    public float[] scalarReference() {
        for (int r = 0; r < rows; r++) {
            format.dequantize(data, r * rowBytes, row, 0, cols);
            float sum = 0;
            for (int i = 0; i < cols; i++) {
                sum += row[i] * x[i];
            }
            out[r] = sum;
        }
        return out;
    }

    /**
     * A fast kernel that computes the wrong thing would win this benchmark, so the two paths must agree on the
     * first row (to float summation order: within 1e-4 of the sum of |w x|, the activations as the kernel quantized
     * them) before anything is timed.
     */
    private void checkFastPathMatchesReference() {
        float[] input = x;
        float fast = format.dot(data, 0, x, 0, cols);
        if (format instanceof Q8Products) {
            fast = vector()[0];
            Q8Activations q = Q8Activations.of(((Q8Products) format).activations(), x, cols, 1);
            input = new float[cols];
            for (int i = 0; i < cols; i++) {
                input[i] = q.quants()[i] * q.scales()[i / Q8Activations.BLOCK];
            }
        }
        format.dequantize(data, 0, row, 0, cols);
        double reference = 0;
        double magnitude = 0;
        for (int i = 0; i < cols; i++) {
            reference += (double) row[i] * input[i];
            magnitude += Math.abs((double) row[i] * input[i]);
        }
        if (!(Math.abs(fast - reference) <= 1e-4 * magnitude)) {
            throw new IllegalStateException(type + " dot disagrees with its scalar reference on row 0 of " + shape
                    + ": " + fast + " vs " + reference + " (sum of |w x| " + magnitude + ")");
        }
    }
}
