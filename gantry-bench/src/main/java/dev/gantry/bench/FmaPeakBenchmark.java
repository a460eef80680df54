package dev.gantry.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ceiling of every float kernel: fused multiply-adds per second on the preferred species, twelve independent
 * chains so that neither FMA latency nor loads limit them. One op is {@link #FMAS} vector FMAs, so GFLOPS = score x
 * FMAS x 2 x lanes / 1e9 per thread (JMH sums the threads' scores). Dividing by a model's FLOPs per token bounds
 * the prefill any float kernel can reach; llama.cpp's int8 kernels (VNNI {@code vpdpbusd}, AVX2
 * {@code vpmaddubsw}) have no Vector API counterpart, which is what this number is compared against.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class FmaPeakBenchmark {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int ROUNDS = 1_000;
    /** Vector FMAs per op: 12 chains x {@link #ROUNDS}. */
    public static final long FMAS = 12L * ROUNDS;

    public float x = 0.999999f;
    public float y = 1e-7f;

    @Benchmark
    @Threads(1)
    public float oneThread() {
        return chains();
    }

    @Benchmark
    @Threads(2)
    public float twoThreads() {
        return chains();
    }

    private float chains() {
        FloatVector vx = FloatVector.broadcast(SPECIES, x);
        FloatVector vy = FloatVector.broadcast(SPECIES, y);
        FloatVector a0 = vy, a1 = vy, a2 = vy, a3 = vy, a4 = vy, a5 = vy;
        FloatVector a6 = vy, a7 = vy, a8 = vy, a9 = vy, a10 = vy, a11 = vy;
        for (int i = 0; i < ROUNDS; i++) {
            a0 = a0.fma(vx, vy);
            a1 = a1.fma(vx, vy);
            a2 = a2.fma(vx, vy);
            a3 = a3.fma(vx, vy);
            a4 = a4.fma(vx, vy);
            a5 = a5.fma(vx, vy);
            a6 = a6.fma(vx, vy);
            a7 = a7.fma(vx, vy);
            a8 = a8.fma(vx, vy);
            a9 = a9.fma(vx, vy);
            a10 = a10.fma(vx, vy);
            a11 = a11.fma(vx, vy);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
