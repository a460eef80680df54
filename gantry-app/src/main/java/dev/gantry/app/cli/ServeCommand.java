package dev.gantry.app.cli;

import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineConfig;
import dev.gantry.engine.LocalModel;
import dev.gantry.engine.kvcache.KvCacheConfig;
import dev.gantry.engine.scheduler.SchedulerConfig;
import dev.gantry.knowledge.KnowledgeConfig;
import dev.gantry.knowledge.KnowledgeHub;
import dev.gantry.knowledge.embed.EmbedderCatalog;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServedModel;
import dev.gantry.server.ServerConfig;
import dev.gantry.server.knowledge.ServedKnowledge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code gantry serve}: the OpenAI-compatible HTTP server on one model. Runs until SIGTERM or Ctrl-C, then drains
 * (new requests get 503, in-flight ones finish within the grace period, the rest are cancelled) and exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve a model over the OpenAI API.")
final class ServeCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--kv-cache-memory", defaultValue = "256MiB", paramLabel = "SIZE", converter = ByteSize.Converter.class,
            description = "Memory for the paged KV cache (default: ${DEFAULT-VALUE}).")
    ByteSize kvCacheMemory;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Require 'Authorization: Bearer KEY' on /v1 requests.")
    String apiKey;

    @Option(names = "--chat-template-file", paramLabel = "FILE", description = "A Jinja chat template that replaces the model's.")
    Path chatTemplateFile;

    @Option(names = "--max-running", defaultValue = "16", paramLabel = "N", description = "Sequences batched at once (default: ${DEFAULT-VALUE}).")
    int maxRunning;

    @Option(names = "--max-waiting", defaultValue = "256", paramLabel = "N", description = "Requests queued before 429 (default: ${DEFAULT-VALUE}).")
    int maxWaiting;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.gantry",
            description = "Gantry's data directory; the Knowledge Hub (/v1/knowledge) lives in DIR/knowledge (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ServerConfig serverConfig = new ServerConfig(host, port, apiKey, ServerConfig.DEFAULT_MAX_BODY_BYTES);
        SchedulerConfig defaults = SchedulerConfig.defaults();
        EngineConfig engineConfig = new EngineConfig(
                new SchedulerConfig(maxRunning, defaults.maxBatchTokens(), maxWaiting, defaults.chunkedPrefill()),
                KvCacheConfig.of(kvCacheMemory.bytes()));
        String template = chatTemplateFile == null ? null : Files.readString(chatTemplateFile);
        LocalModel model = modelOptions.open();
        KnowledgeHub knowledge = KnowledgeHub.open(KnowledgeConfig.of(dataDir.resolve("knowledge"), EmbedderCatalog.inProcess()));
        Engine engine = null;
        GantryServer server;
        try {
            engine = new Engine(model, engineConfig);
            server = GantryServer.start(ServedModel.of(modelOptions.model, model, engine, template), serverConfig,
                    ServedKnowledge.of(knowledge));
        } catch (RuntimeException e) {
            if (engine != null) {
                engine.close();
            }
            knowledge.close();
            model.close();
            throw e;
        }
        // SIGTERM and SIGINT end the wait instead of running shutdown hooks, so the drain happens on this thread
        // and the process exits 0 (a JVM killed by a signal would exit 143). sun.misc.Signal is the JDK's
        // supported-but-unofficial way to do that (module jdk.unsupported).
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> stop.countDown());
        }
        System.out.println("gantry: serving " + server.model().id() + " on http://" + host + ":" + server.port()
                + "/v1 (Ctrl-C to stop)");
        System.out.flush();
        try {
            stop.await();
        } finally {
            System.err.println("gantry: shutting down: finishing in-flight requests");
            server.close();
            knowledge.close();
            model.close();
        }
        return 0;
    }
}
