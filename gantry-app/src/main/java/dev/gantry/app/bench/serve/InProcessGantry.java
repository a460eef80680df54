package dev.gantry.app.bench.serve;

import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineConfig;
import dev.gantry.engine.EngineWarmup;
import dev.gantry.engine.LocalModel;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServedModel;
import dev.gantry.server.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Gantry's OpenAI server in this JVM, on a free local port, over its own {@link Engine} (so each configuration
 * starts with an empty KV cache and scheduler) and a model the caller opened and keeps: closing it stops the
 * server and the engine, not the model.
 */
public final class InProcessGantry implements AutoCloseable {

    private final GantryServer server;

    private InProcessGantry(GantryServer server) {
        this.server = server;
    }

    /** @param warmup how long the model runs synthetic requests first, as {@code gantry serve --warmup} does */
    public static InProcessGantry start(Path file, LocalModel model, EngineConfig config, Duration warmup) {
        EngineWarmup.run(model, config, warmup);
        Engine engine = new Engine(model, config);
        try {
            ServedModel served = ServedModel.of(file, model, engine, null);
            return new InProcessGantry(GantryServer.start(served, ServerConfig.of("127.0.0.1", 0)));
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        server.close();
    }
}
