package dev.gantry.server.openai;

import static dev.gantry.server.support.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.server.support.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * llama-server's {@code ignore_eos} extension: a greedy story that ends with end-of-text on its own runs on to
 * {@code max_tokens} when it is set, which is what {@code gantry bench serve} relies on for fixed-length outputs.
 */
class IgnoreEosServerTest {

    private static final int MAX = 400;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode complete(String extra) {
        HttpResponse<String> r = server.post("/v1/completions",
                "{\"prompt\":\"Once upon a time\",\"temperature\":0,\"max_tokens\":" + MAX + extra + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body());
    }

    @Test
    void ignoreEosGeneratesPastTheEndOfTheStoryToMaxTokens() {
        JsonNode plain = complete("");
        assertThat(plain.get("choices").get(0).get("finish_reason").asText()).as("the story ends by itself").isEqualTo("stop");
        assertThat(plain.get("usage").get("completion_tokens").asInt()).isLessThan(MAX);

        JsonNode ignoring = complete(",\"ignore_eos\":true");
        assertThat(ignoring.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(ignoring.get("usage").get("completion_tokens").asInt()).isEqualTo(MAX);
    }

    @Test
    void ignoreEosMustBeABoolean() {
        HttpResponse<String> r = server.post("/v1/completions", "{\"prompt\":\"Hi\",\"max_tokens\":2,\"ignore_eos\":\"yes\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r.body()).get("error").get("param").asText()).isEqualTo("ignore_eos");
    }
}
