/**
 * JMH microbenchmarks of the engine's kernels, one class per question asked of them:
 * {@link dev.gantry.bench.DotBenchmark} (each weight format's Vector API {@code dot} against its scalar reference,
 * over a whole matrix), {@link dev.gantry.bench.TokenTileBenchmark} ({@code dotTokens} over a tile of 16 tokens
 * against 16 separate {@code dot} calls) and {@link dev.gantry.bench.MatmulBenchmark} (the {@code Matmul} driver
 * with 1 and 2 compute threads, decode and prefill batches). {@link dev.gantry.bench.RandomWeights} writes the
 * random matrices they read, through the formats' own quantizers.
 *
 * <p>Nothing here runs during the build: the module packages {@code target/benchmarks.jar}
 * ({@code Main-Class: org.openjdk.jmh.Main}); see the module's README for commands. Imports the engine only.
 */
package dev.gantry.bench;
