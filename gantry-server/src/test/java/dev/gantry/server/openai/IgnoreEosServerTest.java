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
 * llama-server's {@code ignore_eos} extension: a completion whose next token is forced to be end-of-text (a
 * {@code logit_bias} on stories260K's {@code </s>}, id 2) stops at once, and runs on to {@code max_tokens} when
 * {@code ignore_eos} is set, which is what {@code gantry bench serve} relies on for fixed-length outputs.
 */
class IgnoreEosServerTest {

    private static final int MAX = 12;
    private static final String FORCE_EOS = ",\"logit_bias\":{\"2\":100}";
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
    void ignoreEosGeneratesPastEndOfTextToMaxTokens() {
        JsonNode plain = complete(FORCE_EOS);
        assertThat(plain.get("choices").get(0).get("finish_reason").asText()).as("end-of-text stops it").isEqualTo("stop");
        assertThat(plain.get("usage").get("completion_tokens").asInt()).isLessThan(MAX);

        JsonNode ignoring = complete(FORCE_EOS + ",\"ignore_eos\":true");
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
