package dev.gantry.server;

import dev.gantry.server.knowledge.KnowledgeRoutes;
import dev.gantry.server.knowledge.ServedKnowledge;
import dev.gantry.server.models.ModelRegistry;
import dev.gantry.server.observe.HealthRoutes;
import dev.gantry.server.observe.RequestLog;
import dev.gantry.server.openai.OpenAiRoutes;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running HTTP server over a {@link ModelRegistry}. {@link #close()} drains: new requests get 503, in-flight
 * ones have a grace period to finish, then the registry closes (every engine stops, cancelling what is left).
 */
public final class GantryServer implements AutoCloseable {

    /** How long in-flight requests may run on after a shutdown begins. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private final ModelRegistry models;
    private final WebServer web;
    private final AtomicBoolean draining = new AtomicBoolean();

    private GantryServer(ModelRegistry models, ServerConfig config, ServedKnowledge knowledge) {
        this.models = models;
        OpenAiRoutes openAi = new OpenAiRoutes(models, config, draining::get);
        HealthRoutes health = new HealthRoutes(() -> !draining.get());
        HttpRouting.Builder routing = HttpRouting.builder();
        new RequestLog().register(routing);
        health.register(routing);
        openAi.register(routing);
        if (knowledge != null) {
            new KnowledgeRoutes(knowledge, models, config, draining::get).register(routing);
        }
        openAi.registerFallback(routing);
        this.web = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .backlog(8192)
                .shutdownHook(false)
                .shutdownGracePeriod(GRACE)
                .routing(routing)
                .build();
    }

    /**
     * Starts listening; returns once the port is bound, or fails with an {@link IllegalStateException} naming the
     * address (Helidon logs the failure and leaves the server unbound, reporting port -1). The server owns the
     * registry from here on: {@link #close()} closes it.
     */
    public static GantryServer start(ModelRegistry models, ServerConfig config) {
        return start(models, config, null);
    }

    /**
     * As {@link #start(ModelRegistry, ServerConfig)}, with the Knowledge Hub's {@code /v1/knowledge} routes when
     * {@code knowledge} is not null. The caller closes the hub after the server.
     */
    public static GantryServer start(ModelRegistry models, ServerConfig config, ServedKnowledge knowledge) {
        GantryServer server = new GantryServer(models, config, knowledge);
        server.web.start();
        if (!server.web.isRunning() || server.web.port() < 0) {
            server.web.stop();
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port()
                    + " (is the port in use, or the address not local?)");
        }
        return server;
    }

    /**
     * Serves one model the caller opened: it is never unloaded, and closing the server stops its engine but
     * leaves the model itself to the caller.
     */
    public static GantryServer start(ServedModel model, ServerConfig config) {
        return start(ModelRegistry.single(model), config, null);
    }

    /** As {@link #start(ServedModel, ServerConfig)}, with the Knowledge Hub's routes when it is not null. */
    public static GantryServer start(ServedModel model, ServerConfig config, ServedKnowledge knowledge) {
        return start(ModelRegistry.single(model), config, knowledge);
    }

    /** The bound port (the real one when the configuration asked for 0). */
    public int port() {
        return web.port();
    }

    public ModelRegistry models() {
        return models;
    }

    /** Stops accepting work, lets in-flight requests finish within the grace period, then closes the registry. */
    @Override
    public void close() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        web.stop();
        models.close();
    }
}
