package dev.gantry.server.openai;

import static dev.gantry.server.support.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.scheduler.SchedulerConfig;
import dev.gantry.server.ServerConfig;
import dev.gantry.server.support.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every refusal is the right status with an OpenAI error body, {@code {"error": {"message", "type", "param",
 * "code"}}}, decided before anything is queued.
 */
class OpenAiServerErrorsTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Asserts the status and the error shape; returns the error object. */
    static JsonNode error(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode error = json(r.body()).get("error");
        assertThat(error).as(r.body()).isNotNull();
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.has("type") && error.has("param") && error.has("code")).as(r.body()).isTrue();
        return error;
    }

    private static HttpResponse<String> complete(String body) {
        return server.post("/v1/completions", body);
    }

    @Test
    void malformedJsonIs400() {
        error(complete("{\"prompt\": \"x\""), 400);
        error(complete(""), 400);
        error(complete("[1,2]"), 400);
        error(complete("{\"prompt\":\"x\"} trailing"), 400);
        error(server.postBytes("/v1/completions", new byte[] {'{', '"', 'p', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}), 400);
    }

    @Test
    void wrongTypesAre400NamingTheField() {
        assertThat(error(complete("{\"prompt\":\"x\",\"max_tokens\":\"5\"}"), 400).get("param").asText()).isEqualTo("max_tokens");
        assertThat(error(complete("{\"prompt\":\"x\",\"temperature\":\"hot\"}"), 400).get("param").asText()).isEqualTo("temperature");
        assertThat(error(complete("{\"prompt\":\"x\",\"max_tokens\":2.5}"), 400).get("param").asText()).isEqualTo("max_tokens");
        assertThat(error(complete("{\"prompt\":\"x\",\"stream\":1}"), 400).get("param").asText()).isEqualTo("stream");
        assertThat(error(complete("{\"prompt\":\"x\",\"stop\":[1]}"), 400).get("param").asText()).isEqualTo("stop");
        assertThat(error(complete("{\"prompt\":\"x\",\"logit_bias\":{\"abc\":1}}"), 400).get("param").asText()).isEqualTo("logit_bias");
        assertThat(error(complete("{\"prompt\":{}}"), 400).get("param").asText()).isEqualTo("prompt");
        error(complete("{\"max_tokens\":5}"), 400);
    }

    @Test
    void outOfRangeValuesAre400WithTheSamplingMessage() {
        JsonNode e = error(complete("{\"prompt\":\"x\",\"temperature\":-1}"), 400);
        assertThat(e.get("param").asText()).isEqualTo("temperature");
        assertThat(e.get("message").asText()).contains("temperature must be");
        assertThat(error(complete("{\"prompt\":\"x\",\"top_p\":2}"), 400).get("param").asText()).isEqualTo("top_p");
        assertThat(error(complete("{\"prompt\":\"x\",\"presence_penalty\":3}"), 400).get("param").asText()).isEqualTo("presence_penalty");
        assertThat(error(complete("{\"prompt\":\"x\",\"n\":0}"), 400).get("param").asText()).isEqualTo("n");
        assertThat(error(complete("{\"prompt\":\"x\",\"max_tokens\":0}"), 400).get("param").asText()).isEqualTo("max_tokens");
        error(complete("{\"prompt\":\"x\",\"max_tokens\":99999999999999999999}"), 400);
        error(complete("{\"prompt\":\"x\",\"temperature\":1e400}"), 400);
        error(complete("{\"prompt\":\"x\",\"logit_bias\":{\"1\":500}}"), 400);
        error(complete("{\"prompt\":\"x\",\"logit_bias\":{\"99999\":1}}"), 400);
    }

    @Test
    void outOfVocabularyTokenIdsAre400AndTheServerStaysHealthy() {
        error(complete("{\"prompt\":[1, 99999]}"), 400);
        error(complete("{\"prompt\":[-1]}"), 400);
        assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(complete("{\"prompt\":[1, 2, 3],\"max_tokens\":2}").statusCode()).isEqualTo(200);
    }

    @Test
    void promptPlusMaxTokensBeyondTheContextIs400NeverTruncated() {
        int context = server.model().config().contextLength();
        JsonNode e = error(complete("{\"prompt\":\"Once upon a time\",\"max_tokens\":" + context + "}"), 400);
        assertThat(e.get("code").asText()).isEqualTo("context_length_exceeded");
        String longPrompt = "Once upon a time ".repeat(context);
        assertThat(error(complete("{\"prompt\":\"" + longPrompt + "\",\"max_tokens\":1}"), 400).get("code").asText())
                .isEqualTo("context_length_exceeded");
    }

    @Test
    void unknownModelIs404() {
        JsonNode e = error(complete("{\"model\":\"gpt-4\",\"prompt\":\"x\"}"), 404);
        assertThat(e.get("param").asText()).isEqualTo("model");
        assertThat(e.get("code").asText()).isEqualTo("model_not_found");
        error(server.post("/v1/chat/completions", "{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 404);
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() {
        error(server.get("/v1/nothing"), 404);
        error(server.post("/v2/completions", "{}"), 404);
        HttpResponse<String> r = server.get("/v1/completions");
        error(r, 405);
        assertThat(r.headers().firstValue("Allow")).contains("POST");
        error(server.post("/v1/models", "{}"), 405);
    }

    @Test
    void chatWithoutMessagesOrBadMessagesIs400() {
        error(server.post("/v1/chat/completions", "{}"), 400);
        error(server.post("/v1/chat/completions", "{\"messages\":[]}"), 400);
        error(server.post("/v1/chat/completions", "{\"messages\":[\"hi\"]}"), 400);
        error(server.post("/v1/chat/completions", "{\"messages\":[{\"content\":\"hi\"}]}"), 400);
        error(server.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":5}]}"), 400);
    }

    @Test
    void chatOnAModelWithoutTemplateIs400() {
        try (TestServer plain = TestServer.start(null, SchedulerConfig.defaults(), ServerConfig.of("127.0.0.1", 0))) {
            JsonNode e = error(plain.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 400);
            assertThat(e.get("message").asText()).contains("model has no chat template");
        }
    }

    @Test
    void apiKeyIsRequiredWhenConfigured() {
        try (TestServer keyed = TestServer.start(null, SchedulerConfig.defaults(),
                ServerConfig.of("127.0.0.1", 0).withApiKey("sekret"))) {
            String body = "{\"prompt\":\"x\",\"max_tokens\":1}";
            assertThat(error(keyed.post("/v1/completions", body), 401).get("type").asText()).isEqualTo("authentication_error");
            error(keyed.post("/v1/completions", body, "Authorization", "Bearer wrong"), 401);
            error(keyed.get("/v1/models", "Authorization", "Basic c2VrcmV0"), 401);
            assertThat(keyed.post("/v1/completions", body, "Authorization", "Bearer sekret").statusCode()).isEqualTo(200);
            assertThat(keyed.get("/health/live").statusCode()).as("health needs no key").isEqualTo(200);
        }
    }

    @Test
    void fullQueueIs429WithRetryAfterAndOversizedBodyIs413() {
        SchedulerConfig noQueue = new SchedulerConfig(1, 512, 0, true);
        try (TestServer full = TestServer.start(null, noQueue, ServerConfig.of("127.0.0.1", 0).withMaxBodyBytes(4096))) {
            HttpResponse<String> r = full.post("/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":1}");
            assertThat(error(r, 429).get("code").asText()).isEqualTo("rate_limit_exceeded");
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(full.engine().metrics().running() + full.engine().metrics().waiting()).isZero();
            byte[] big = new byte[5000];
            Arrays.fill(big, (byte) ' ');
            System.arraycopy("{\"prompt\":\"".getBytes(StandardCharsets.UTF_8), 0, big, 0, 11);
            error(full.postBytes("/v1/completions", big), 413);
            // Chunked, with no Content-Length to announce the size.
            HttpRequest chunked = HttpRequest.newBuilder(full.uri("/v1/completions"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build();
            error(full.send(chunked), 413);
        }
    }
}
