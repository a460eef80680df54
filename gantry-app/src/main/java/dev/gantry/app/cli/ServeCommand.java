package dev.gantry.app.cli;

import com.sun.management.OperatingSystemMXBean;
import dev.gantry.engine.EngineConfig;
import dev.gantry.engine.kvcache.KvCacheConfig;
import dev.gantry.engine.scheduler.SchedulerConfig;
import dev.gantry.knowledge.KnowledgeConfig;
import dev.gantry.knowledge.KnowledgeHub;
import dev.gantry.knowledge.embed.EmbedderCatalog;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerConfig;
import dev.gantry.server.knowledge.ServedKnowledge;
import dev.gantry.server.models.AvailableModel;
import dev.gantry.server.models.EngineModelLoader;
import dev.gantry.server.models.KeepAlive;
import dev.gantry.server.models.ModelRegistry;
import dev.gantry.server.models.ModelSource;
import dev.gantry.server.models.ModelsConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code gantry serve}: the OpenAI-compatible HTTP server over the {@code --model} files and the models directory.
 * Models load on their first request and unload after {@code --keep-alive} idle; the first {@code --model} is
 * loaded at start. Runs until SIGTERM or Ctrl-C, then drains (new requests get 503, in-flight ones finish within
 * the grace period, the rest are cancelled) and exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = {
        "Serve models over the OpenAI API.",
        "Models come from -m FILE (repeatable) and --models-dir DIR (every *.gguf, rescanned, so pulled files appear);"
                + " with neither, from DATA_DIR/models. A model's id is its file name without .gguf."})
final class ServeCommand implements Callable<Integer> {

    /** Of the machine's memory, what loaded models may take by default; the rest is the JVM, the OS and others. */
    private static final double DEFAULT_MEMORY_SHARE = 0.75;

    @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "A GGUF model to serve (repeatable; the first is"
            + " loaded at start and answers requests that name no model).")
    List<Path> models = new ArrayList<>();

    @Mixin
    DataDirOptions dirs;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads per model (default: one per core).")
    Integer threads;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--kv-cache-memory", defaultValue = "256MiB", paramLabel = "SIZE", converter = ByteSize.Converter.class,
            description = "Memory for each loaded model's paged KV cache (default: ${DEFAULT-VALUE}).")
    ByteSize kvCacheMemory;

    @Option(names = "--keep-alive", defaultValue = "5m", paramLabel = "DURATION", converter = KeepAliveConverter.class,
            description = "How long an idle model stays loaded: 30s, 5m, 1h; 0 unloads right after use; -1 or forever"
                    + " never unloads (default: ${DEFAULT-VALUE}).")
    KeepAlive keepAlive;

    @Option(names = "--models-memory", paramLabel = "SIZE", converter = ByteSize.Converter.class,
            description = "Memory all loaded models may take, each counted as file size + KV cache; past it idle models"
                    + " unload, least recently used first (default: 75%% of RAM).")
    ByteSize modelsMemory;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Require 'Authorization: Bearer KEY' on /v1 requests.")
    String apiKey;

    @Option(names = "--chat-template-file", paramLabel = "FILE",
            description = "A Jinja chat template that replaces the model's (only with a single -m model).")
    Path chatTemplateFile;

    @Option(names = "--warmup", defaultValue = "5s", paramLabel = "DURATION", converter = WarmupConverter.class,
            description = "Synthetic requests each model runs after it loads, before it serves, so that the JIT has"
                    + " compiled its kernels: 300 steps or this long, whichever ends first; 0 for none (default:"
                    + " ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--max-running", defaultValue = "16", paramLabel = "N", description = "Sequences batched at once per model (default: ${DEFAULT-VALUE}).")
    int maxRunning;

    @Option(names = "--max-waiting", defaultValue = "256", paramLabel = "N", description = "Requests queued per model before 429 (default: ${DEFAULT-VALUE}).")
    int maxWaiting;

    @Option(names = "--embedding-gguf", paramLabel = "FILE",
            description = "A GGUF embedding model the knowledge hub may use, as embedding model "
                    + "gguf:<file name without .gguf> (repeatable).")
    List<Path> ggufEmbedders = new ArrayList<>();

    @Spec
    CommandSpec spec;

    /** Lets picocli read {@code --keep-alive 5m}. */
    static final class KeepAliveConverter implements ITypeConverter<KeepAlive> {
        @Override
        public KeepAlive convert(String value) {
            return KeepAlive.parse(value);
        }
    }

    /** Lets picocli read {@code --warmup 2s}: a finite duration in the units of {@code --keep-alive}. */
    static final class WarmupConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            KeepAlive parsed;
            try {
                parsed = KeepAlive.parse(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + value + "' is not a duration (examples: 500ms, 2s, 0)");
            }
            return parsed.idle()
                    .orElseThrow(() -> new IllegalArgumentException("the warm-up must be finite, got " + value));
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        EmbedderCatalog embedders;
        try {
            embedders = EmbedderCatalog.inProcess().withGguf(ggufEmbedders, Runtime.getRuntime().availableProcessors());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--embedding-gguf: " + e.getMessage());
        }
        KnowledgeHub knowledge = KnowledgeHub.open(KnowledgeConfig.of(dirs.dataDir.resolve("knowledge"), embedders));
        GantryServer server;
        try {
            server = start(knowledge);
        } catch (IOException | RuntimeException e) {
            knowledge.close();
            throw e;
        }
        // SIGTERM and SIGINT end the wait instead of running shutdown hooks, so the drain happens on this thread
        // and the process exits 0 (a JVM killed by a signal would exit 143). sun.misc.Signal is the JDK's
        // supported-but-unofficial way to do that (module jdk.unsupported).
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> stop.countDown());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("gantry: serving " + describe(server.models()) + " on http://" + host + ":" + server.port()
                + "/v1 (Ctrl-C to stop)");
        out.flush();
        try {
            stop.await();
        } finally {
            System.err.println("gantry: shutting down: finishing in-flight requests");
            server.close();
            knowledge.close();
        }
        return 0;
    }

    /**
     * Validates the options, opens the registry, preloads the first {@code --model} and starts listening, with the
     * Knowledge Hub's routes when {@code knowledge} is not null (the caller closes it after the server).
     */
    GantryServer start(KnowledgeHub knowledge) throws IOException {
        if (chatTemplateFile != null && (models.size() != 1 || dirs.modelsDir != null)) {
            throw new ParameterException(spec.commandLine(), "--chat-template-file applies to one model: use it with a"
                    + " single -m FILE and no --models-dir");
        }
        boolean defaultDir = models.isEmpty() && dirs.modelsDir == null;
        Path dir = models.isEmpty() || dirs.modelsDir != null ? dirs.models() : null;
        ModelSource source = ModelSource.of(models, dir);
        if (defaultDir && (!Files.isDirectory(dir) || source.scan().isEmpty())) {
            throw new IllegalArgumentException("no models to serve: pass -m FILE or --models-dir DIR, or add one to "
                    + dir + " with 'gantry pull URL'");
        }
        ServerConfig serverConfig = new ServerConfig(host, port, apiKey, ServerConfig.DEFAULT_MAX_BODY_BYTES);
        SchedulerConfig defaults = SchedulerConfig.defaults();
        EngineConfig engineConfig = new EngineConfig(
                new SchedulerConfig(maxRunning, defaults.maxBatchTokens(), maxWaiting, defaults.chunkedPrefill()),
                KvCacheConfig.of(kvCacheMemory.bytes()));
        String template = chatTemplateFile == null ? null : Files.readString(chatTemplateFile);
        EngineModelLoader loader = new EngineModelLoader(ModelOptions.threads(threads), engineConfig, template, warmup);
        long budget = modelsMemory != null ? modelsMemory.bytes() : defaultModelsMemory();
        ModelRegistry registry = ModelRegistry.open(source, loader, new ModelsConfig(keepAlive, budget));
        try {
            source.defaultId().ifPresent(registry::preload);
            return GantryServer.start(registry, serverConfig, knowledge == null ? null : ServedKnowledge.of(knowledge));
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    private static long defaultModelsMemory() {
        long total = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return Math.max(1, (long) (total * DEFAULT_MEMORY_SHARE));
    }

    private static String describe(ModelRegistry registry) {
        List<String> ids = registry.available().stream().map(AvailableModel::id).toList();
        if (ids.isEmpty()) {
            return "no models yet (*.gguf files added to the models directory are served as they appear)";
        }
        if (ids.size() == 1) {
            return ids.getFirst();
        }
        int shown = Math.min(ids.size(), 5);
        return ids.size() + " models (" + String.join(", ", ids.subList(0, shown)) + (ids.size() > shown ? ", ..." : "")
                + ")";
    }
}
