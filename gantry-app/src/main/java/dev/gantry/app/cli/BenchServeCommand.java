package dev.gantry.app.cli;

import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineConfig;
import dev.gantry.engine.Generation;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.LocalModel;
import dev.gantry.engine.kvcache.KvCacheConfig;
import dev.gantry.engine.sampling.SamplingParams;
import dev.gantry.engine.scheduler.SchedulerConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gantry bench-serve}: N concurrent clients against the serving engine, in-process, with the metrics and
 * definitions of {@code vllm bench serve}: request throughput, output tokens/s, time to first token (submit to
 * first token) and inter-token latency (gaps between a request's tokens), as mean, p50 and p99. Runs with
 * continuous batching and without (one sequence at a time) so the ratio shows what batching buys.
 */
@Command(name = "bench-serve", mixinStandardHelpOptions = true,
        description = "Benchmark the serving engine with concurrent clients (batching on and off).")
final class BenchServeCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--clients", defaultValue = "16", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--requests", defaultValue = "64", description = "Requests in all (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--prompt-len", defaultValue = "64", description = "Prompt tokens per request (default: ${DEFAULT-VALUE}).")
    int promptLength;

    @Option(names = "--output-len", defaultValue = "64", description = "Output tokens per request (default: ${DEFAULT-VALUE}).")
    int outputLength;

    @Option(names = "--kv-cache-memory-mib", defaultValue = "256", description = "KV cache budget in MiB (default: ${DEFAULT-VALUE}).")
    long kvMib;

    @Option(names = "--batching", defaultValue = "both", description = "on, off or both (default: ${DEFAULT-VALUE}).")
    String batching;

    @Spec
    CommandSpec spec;

    record Result(String mode, double seconds, long outputTokens, double[] ttftMs, double[] itlMs) {
    }

    @Override
    public Integer call() throws Exception {
        if (clients < 1 || requests < 1 || promptLength < 1 || outputLength < 1 || kvMib < 1) {
            throw new IllegalArgumentException("--clients, --requests, --prompt-len, --output-len and --kv-cache-memory-mib must be positive");
        }
        List<String> modes = switch (batching) {
            case "on" -> List.of("on");
            case "off" -> List.of("off");
            case "both" -> List.of("on", "off");
            default -> throw new IllegalArgumentException("--batching must be on, off or both, not '" + batching + "'");
        };
        try (LocalModel model = modelOptions.open()) {
            if (promptLength + outputLength > model.config().contextLength()) {
                throw new IllegalArgumentException("prompt + output length exceed the model's context of " + model.config().contextLength());
            }
            List<int[]> prompts = prompts(model.config().vocabSize());
            List<Result> results = new ArrayList<>();
            for (String mode : modes) {
                SchedulerConfig scheduler = new SchedulerConfig(clients, 512, Math.max(requests, 256), true);
                EngineConfig config = new EngineConfig(mode.equals("on") ? scheduler : scheduler.unbatched(), KvCacheConfig.of(kvMib << 20));
                results.add(run(model, config, mode, prompts));
            }
            print(spec.commandLine().getOut(), model, results);
        }
        return 0;
    }

    private List<int[]> prompts(int vocab) {
        SplittableRandom random = new SplittableRandom(42);
        List<int[]> prompts = new ArrayList<>();
        for (int r = 0; r < requests; r++) {
            int[] p = new int[promptLength];
            for (int i = 0; i < p.length; i++) {
                p[i] = 3 + random.nextInt(vocab - 3);
            }
            prompts.add(p);
        }
        return prompts;
    }

    private Result run(LocalModel model, EngineConfig config, String mode, List<int[]> prompts) throws Exception {
        try (Engine engine = new Engine(model, config);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore slots = new Semaphore(clients);
            List<Future<double[]>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int[] prompt : prompts) {
                futures.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        return oneRequest(engine, prompt);
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<Double> ttft = new ArrayList<>();
            List<Double> itl = new ArrayList<>();
            long tokens = 0;
            for (Future<double[]> f : futures) {
                double[] times = f.get();
                ttft.add(times[0]);
                for (int i = 1; i < times.length; i++) {
                    itl.add(times[i] - times[i - 1]);
                }
                tokens += times.length;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(mode, seconds, tokens, ttft.stream().mapToDouble(Double::doubleValue).toArray(),
                    itl.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /** Milliseconds from submission to each token. */
    private double[] oneRequest(Engine engine, int[] prompt) throws InterruptedException {
        long t0 = System.nanoTime();
        Generation g = engine.submit(new GenerationRequest(prompt, SamplingParams.greedy(), outputLength, null, true, "bench"));
        double[] times = new double[outputLength];
        int n = 0;
        while (true) {
            Generation.Event e = g.next();
            if (e.token() >= 0 && n < times.length) {
                times[n++] = (System.nanoTime() - t0) / 1e6;
            }
            if (e.isLast()) {
                if (e.error() != null) {
                    throw new IllegalStateException(e.error());
                }
                return Arrays.copyOf(times, n);
            }
        }
    }

    private void print(PrintWriter out, LocalModel model, List<Result> results) {
        out.printf("model %s, %d requests, %d clients, prompt %d, output %d tokens%n%n", modelOptions.model.getFileName(),
                requests, clients, promptLength, outputLength);
        out.println("| batching | req/s | output tok/s | TTFT mean / p50 / p99 (ms) | ITL mean / p50 / p99 (ms) |");
        out.println("|---|---|---|---|---|");
        for (Result r : results) {
            out.printf("| %s | %.2f | %.1f | %s | %s |%n", r.mode(), requests / r.seconds(), r.outputTokens() / r.seconds(),
                    stats(r.ttftMs()), stats(r.itlMs()));
        }
        if (results.size() == 2) {
            out.printf("%noutput tok/s, batching on / off: %.2fx%n",
                    (results.get(0).outputTokens() / results.get(0).seconds()) / (results.get(1).outputTokens() / results.get(1).seconds()));
        }
        out.flush();
    }

    private static String stats(double[] v) {
        if (v.length == 0) {
            return "-";
        }
        double[] s = v.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0);
        return String.format("%.1f / %.1f / %.1f", mean, percentile(s, 50), percentile(s, 99));
    }

    private static double percentile(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
