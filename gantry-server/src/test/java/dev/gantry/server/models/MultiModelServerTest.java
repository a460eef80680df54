package dev.gantry.server.models;

import static dev.gantry.server.support.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServerConfig;
import dev.gantry.server.models.ModelFiles.CountingLoader;
import dev.gantry.server.observe.RequestLog;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server over a models directory: every model is listed, each request is answered by the model it names. */
class MultiModelServerTest {

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private GantryServer server;

    private GantryServer start(long budget) {
        ModelRegistry registry = ModelRegistry.open(ModelSource.of(List.of(), ModelFiles.threeModels(dir)),
                new CountingLoader(0), new ModelsConfig(KeepAlive.FOREVER, budget));
        server = GantryServer.start(registry, ServerConfig.of("127.0.0.1", 0));
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        ModelFiles.unlinkAll(dir);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> complete(String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String prompt(String model) {
        return "{\"model\":\"" + model + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":3,\"temperature\":0}";
    }

    @Test
    void modelsListsEveryModelLoadedOrNotAndOneModelById() throws Exception {
        start(Long.MAX_VALUE);
        JsonNode list = json(get("/v1/models").body());
        assertThat(list.get("data").findValuesAsText("id")).containsExactly("stories260K", "tiny-llama", "tiny-qwen3");
        assertThat(server.models().isLoaded("tiny-llama")).isFalse();
        HttpResponse<String> one = get("/v1/models/tiny-llama");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one.body()).get("id").asText()).isEqualTo("tiny-llama");
        assertThat(json(one.body()).get("object").asText()).isEqualTo("model");
        HttpResponse<String> missing = get("/v1/models/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing.body()).get("error").get("code").asText()).isEqualTo("model_not_found");
    }

    @Test
    void eachRequestIsAnsweredByTheModelItNames() throws Exception {
        start(Long.MAX_VALUE);
        for (String model : List.of("tiny-llama", "stories260K", "tiny-qwen3")) {
            HttpResponse<String> r = complete(prompt(model));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r.body()).get("model").asText()).isEqualTo(model);
            assertThat(server.models().isLoaded(model)).isTrue();
        }
    }

    @Test
    void anUnknownModelIs404AndAMissingOneIs400WhenThereIsNoDefault() throws Exception {
        start(Long.MAX_VALUE);
        HttpResponse<String> unknown = complete(prompt("gpt-4"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown.body()).get("error").get("code").asText()).isEqualTo("model_not_found");
        assertThat(json(unknown.body()).get("error").get("param").asText()).isEqualTo("model");
        HttpResponse<String> none = complete("{\"prompt\":\"Hi\",\"max_tokens\":1}");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(json(none.body()).get("error").get("message").asText()).contains("model is required");
    }

    @Test
    void aModelThatCannotFitTheBudgetIs503NamingTheBudget() throws Exception {
        start(1000);
        HttpResponse<String> r = complete(prompt("stories260K"));
        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode error = json(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("model_too_large");
        assertThat(error.get("message").asText()).contains("--models-memory");
        assertThat(r.headers().firstValue("retry-after")).isEmpty();
    }

    @Test
    void aModelThatWouldFitOnceOthersFinishIs503BusyWithRetryAfter() throws Exception {
        Path models = ModelFiles.threeModels(dir);
        CountingLoader loader = new CountingLoader(0);
        long budget = Math.max(loader.memoryBytes(models.resolve("stories260K.gguf")),
                loader.memoryBytes(models.resolve("tiny-llama.gguf")));
        server = GantryServer.start(ModelRegistry.open(ModelSource.of(List.of(), models), loader,
                new ModelsConfig(KeepAlive.FOREVER, budget)), ServerConfig.of("127.0.0.1", 0));
        try (ModelLease inUse = server.models().acquire("stories260K")) {
            HttpResponse<String> r = complete(prompt("tiny-llama"));
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(json(r.body()).get("error").get("code").asText()).isEqualTo("model_memory_busy");
            assertThat(r.headers().firstValue("retry-after")).contains("1");
        }
        assertThat(complete(prompt("tiny-llama")).statusCode()).as("fits once the other is idle").isEqualTo(200);
    }

    @Test
    void everyRequestLogsOneLineWithModelStatusTokensStreamAndDuration() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(RequestLog.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            start(Long.MAX_VALUE);
            complete(prompt("tiny-llama"));
            complete("{\"model\":\"stories260K\",\"prompt\":\"Once\",\"max_tokens\":2,\"stream\":true}");
            complete(prompt("gpt-4"));
            get("/v1/models");
            // the line is written once the response is out, so the client may see the response first
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (lines.size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            log.removeHandler(capture);
        }
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("POST /v1/completions status=200 model=tiny-llama prompt_tokens=\\d+"
                + " completion_tokens=3 stream=no ms=\\d+");
        assertThat(lines.get(1)).matches("POST /v1/completions status=200 model=stories260K prompt_tokens=\\d+"
                + " completion_tokens=2 stream=yes ms=\\d+");
        assertThat(lines.get(2)).startsWith("POST /v1/completions status=404 model=gpt-4 prompt_tokens=-");
        assertThat(lines.get(3)).startsWith("GET /v1/models status=200 model=- ");
        assertThat(String.join("\n", lines)).doesNotContain("Once upon");
    }
}
