package dev.gantry.bench;

import dev.gantry.engine.kernel.ComputePool;
import dev.gantry.engine.kernel.Matmul;
import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Repacking;
import dev.gantry.engine.tensor.Tensor;
import java.lang.foreign.Arena;
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
 * The matrix product as the transformer calls it, {@link Matmul#apply(ComputePool, Tensor, float[], int, float[])},
 * on the matrix as the engine loads it ({@link Repacking#forKernels}): activation rounding or quantization, rows
 * split over a {@link ComputePool}, and for a batch the row bands and token tiles or groups of rows. One
 * op is one call: {@code tokens = 1} is a decode step's product, {@code tokens = 128} a prefill chunk's. Compare
 * threads 1 and 2 for the pool's scaling; divide by tokens for per-token cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MatmulBenchmark {

    /** The formats of the end-to-end rows in BENCHMARKS.md and the K-quants with tile kernels; any format runs. */
    @Param({"F16", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    public GgmlType type;

    /** rows x cols. */
    @Param({"2048x2048"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    @Param({"1", "128"})
    public int tokens;

    private Arena arena;
    private ComputePool pool;
    private Tensor w;
    private float[] x;
    private float[] out;

    @Setup
    public void setup() {
        RandomWeights random = new RandomWeights(42);
        arena = Arena.ofShared();
        w = Repacking.forKernels(random.matrix(arena, type, MatrixShape.parse(shape)), arena);
        x = random.activations(tokens * w.cols());
        out = new float[tokens * w.rows()];
        pool = new ComputePool(threads);
    }

    @TearDown
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float[] apply() {
        Matmul.apply(pool, w, x, tokens, out);
        return out;
    }
}
