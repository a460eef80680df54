package dev.gantry.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineConfig;
import dev.gantry.engine.LocalModel;
import dev.gantry.engine.kvcache.KvCacheConfig;
import dev.gantry.engine.scheduler.SchedulerConfig;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServedModel;
import dev.gantry.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real server on an ephemeral port over stories260K, and an HTTP client to drive it. stories260K has no chat
 * template, so chat tests pass {@link #CHATML} as the override, as {@code --chat-template-file} would.
 */
public final class TestServer implements AutoCloseable {

    /** A ChatML-style template (the shape of Qwen's and Hermes's), enough to exercise the chat path. */
    public static final String CHATML = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n'"
            + " + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    public static final ObjectMapper JSON = new ObjectMapper();

    private final LocalModel model;
    private final Engine engine;
    private final GantryServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TestServer(LocalModel model, Engine engine, GantryServer server) {
        this.model = model;
        this.engine = engine;
        this.server = server;
    }

    public static Path stories() {
        return Path.of(System.getProperty("gantry.shared", "../../shared")).resolve("models/stories260K.gguf");
    }

    /** stories260K with the given template override (null for none), scheduler and server settings. */
    public static TestServer start(String template, SchedulerConfig scheduler, ServerConfig config) {
        LocalModel model = LocalModel.open(stories(), 1);
        try {
            Engine engine = new Engine(model, new EngineConfig(scheduler, KvCacheConfig.of(16L << 20)));
            ServedModel served = ServedModel.of(stories(), model, engine, template);
            return new TestServer(model, engine, GantryServer.start(served, config));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public static TestServer start() {
        return start(CHATML, SchedulerConfig.defaults(), ServerConfig.of("127.0.0.1", 0));
    }

    public LocalModel model() {
        return model;
    }

    public Engine engine() {
        return engine;
    }

    public int port() {
        return server.port();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    public HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    public HttpResponse<String> postBytes(String path, byte[] body) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json").build());
    }

    public HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** The {@code data:} payloads of an SSE body, in order. */
    public static List<String> events(String body) {
        List<String> out = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            for (String line : block.split("\n")) {
                if (line.startsWith("data:")) {
                    out.add(line.substring(5).stripLeading());
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.close();
        model.close();
    }
}
