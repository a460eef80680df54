package dev.gantry.app.cli;

import dev.gantry.app.bench.serve.InProcessGantry;
import dev.gantry.app.bench.serve.LlamaServerProcess;
import dev.gantry.app.bench.serve.OpenAiLoadClient;
import dev.gantry.app.bench.serve.ServeLoad;
import dev.gantry.app.bench.serve.ServeReport;
import dev.gantry.app.bench.serve.ServeResult;
import dev.gantry.engine.EngineConfig;
import dev.gantry.engine.LocalModel;
import dev.gantry.engine.kvcache.KvCacheConfig;
import dev.gantry.engine.scheduler.SchedulerConfig;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gantry bench serve}: N concurrent streaming clients over the OpenAI API, with {@code vllm bench serve}'s
 * metrics (request throughput, output tokens/s, TTFT, ITL as mean, p50 and p99), against Gantry's server with
 * continuous batching and without, and side by side against llama.cpp's llama-server ({@code --llama-server}) or
 * any running OpenAI-compatible server ({@code --url}). Every target gets the same prompts from the same client.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmark OpenAI-compatible serving with concurrent streaming clients: Gantry (batching on and off), llama-server, or a URL.")
final class BenchServeCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--clients", defaultValue = "16", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--requests", defaultValue = "64", description = "Timed requests per target (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--prompt-len", defaultValue = "64", description = "Prompt tokens per request (default: ${DEFAULT-VALUE}).")
    int promptLength;

    @Option(names = "--output-len", defaultValue = "64", description = "Output tokens per request, with ignore_eos (default: ${DEFAULT-VALUE}).")
    int outputLength;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "-1",
            description = "Untimed requests per target before the timed ones, for the JIT (default: one per client).")
    int warmup;

    @Option(names = "--engine-warmup", defaultValue = "5s", paramLabel = "DURATION",
            converter = ServeCommand.WarmupConverter.class,
            description = "Gantry targets: synthetic load before the server starts, as 'gantry serve --warmup' (default:"
                    + " ${DEFAULT-VALUE}).")
    Duration engineWarmup;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random prompt tokens (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--kv-cache-memory-mib", defaultValue = "256", description = "Gantry's KV cache budget in MiB (default: ${DEFAULT-VALUE}).")
    long kvMib;

    @Option(names = "--batching", defaultValue = "both", description = "Gantry targets: on, off or both (default: ${DEFAULT-VALUE}).")
    String batching;

    @Option(names = "--llama-server", paramLabel = "PATH",
            description = "llama.cpp's llama-server: also benchmark it on the same model, one slot per client.")
    Path llamaServer;

    @Option(names = "--url", paramLabel = "URL",
            description = "Benchmark this running OpenAI-compatible server instead of Gantry in-process (prompt ids come from -m's vocabulary).")
    URI url;

    @Option(names = "--server-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long llama-server may take to become healthy (default: ${DEFAULT-VALUE}).")
    int serverTimeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ServeLoad load = new ServeLoad(clients, requests, promptLength, outputLength, warmup < 0 ? clients : warmup, seed);
        if (kvMib < 1 || serverTimeout < 1) {
            throw new IllegalArgumentException("--kv-cache-memory-mib and --server-timeout must be positive");
        }
        List<String> modes = switch (batching) {
            case "on" -> List.of("on");
            case "off" -> List.of("off");
            case "both" -> List.of("on", "off");
            default -> throw new IllegalArgumentException("--batching must be on, off or both, not '" + batching + "'");
        };
        int threads = ModelOptions.threads(modelOptions.threads);
        PrintWriter err = spec.commandLine().getErr();
        List<ServeResult> results = new ArrayList<>();
        List<int[]> prompts;
        try (LocalModel model = modelOptions.open()) {
            if (load.tokensPerRequest() > model.config().contextLength()) {
                throw new IllegalArgumentException("--prompt-len + --output-len (" + load.tokensPerRequest()
                        + ") exceed the model's context of " + model.config().contextLength());
            }
            prompts = load.prompts(model.tokenizer().vocabSize());
            if (url != null) {
                results.add(measure(url.toString(), url, load, prompts, err));
            } else {
                for (String mode : modes) {
                    try (InProcessGantry gantry = InProcessGantry.start(modelOptions.model, model, engineConfig(mode), engineWarmup)) {
                        String target = mode.equals("on") ? ServeReport.GANTRY_ON : ServeReport.GANTRY_OFF;
                        results.add(measure(target, gantry.baseUri(), load, prompts, err));
                    }
                }
            }
        }
        if (llamaServer != null) {
            progress(err, "starting " + llamaServer);
            try (LlamaServerProcess llama = LlamaServerProcess.start(llamaServer, modelOptions.model, clients,
                    load.tokensPerRequest(), threads, Duration.ofSeconds(serverTimeout))) {
                results.add(measure(ServeReport.LLAMA_SERVER, llama.baseUri(), load, prompts, err));
            }
        }
        ServeReport.print(spec.commandLine().getOut(), modelOptions.model.getFileName().toString(), load, results);
        return 0;
    }

    private EngineConfig engineConfig(String mode) {
        SchedulerConfig scheduler = new SchedulerConfig(clients, 512, Math.max(requests, 256), true);
        return new EngineConfig(mode.equals("on") ? scheduler : scheduler.unbatched(), KvCacheConfig.of(kvMib << 20));
    }

    private static ServeResult measure(String target, URI base, ServeLoad load, List<int[]> prompts, PrintWriter err)
            throws InterruptedException {
        progress(err, "benchmarking " + target + " at " + base);
        try (OpenAiLoadClient client = new OpenAiLoadClient(base)) {
            return client.run(target, load, prompts);
        }
    }

    private static void progress(PrintWriter err, String message) {
        err.println("gantry bench serve: " + message);
        err.flush();
    }
}
