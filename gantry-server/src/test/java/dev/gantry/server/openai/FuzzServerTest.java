package dev.gantry.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.server.support.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile and malformed bodies (wrong types, huge numbers, invalid JSON and UTF-8, deep nesting, out-of-vocabulary
 * ids) never get a 5xx: a 2xx or a 4xx with the OpenAI error body, and the server is healthy afterwards.
 */
class FuzzServerTest {

    private static final List<String> FIELDS = List.of("prompt", "messages", "max_tokens", "max_completion_tokens",
            "temperature", "top_p", "top_k", "min_p", "seed", "stop", "n", "presence_penalty", "frequency_penalty",
            "repetition_penalty", "logit_bias", "user", "stream", "stream_options", "model");
    private static final List<String> VALUES = List.of("null", "true", "-1", "0", "1", "2.5", "1e400", "-1e400",
            "99999999999999999999999", "-9223372036854775809", "\"\"", "\"x\"", "\"\\ud800\"", "[]", "[1,2]",
            "[99999]", "[-5]", "[\"a\",\"b\"]", "{}", "{\"1\":1}", "{\"x\":\"y\"}", "{\"include_usage\":\"yes\"}",
            "[{\"role\":\"user\",\"content\":\"hi\"}]", "[{\"role\":5}]", "\"stories260K\"", "1.0000000001");
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String body(Random random) {
        StringBuilder b = new StringBuilder("{\"max_tokens\":2");
        int fields = random.nextInt(5);
        for (int i = 0; i < fields; i++) {
            b.append(",\"").append(FIELDS.get(random.nextInt(FIELDS.size()))).append("\":")
                    .append(VALUES.get(random.nextInt(VALUES.size())));
        }
        return b.append('}').toString();
    }

    private static byte[] mutate(byte[] bytes, Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1)); // truncated
            case 1 -> {
                byte[] b = bytes.clone();
                b[random.nextInt(b.length)] = (byte) (0x80 + random.nextInt(0x80)); // invalid UTF-8
                yield b;
            }
            case 2 -> ("[".repeat(1 + random.nextInt(5000))).getBytes(StandardCharsets.UTF_8); // deep nesting
            case 3 -> ("{\"prompt\":" + "[".repeat(100) + "1" + "]".repeat(100) + "}").getBytes(StandardCharsets.UTF_8);
            default -> bytes;
        };
    }

    @Test
    void malformedAndHostileBodiesNeverGetA5xx() {
        Random random = new Random(20261122);
        for (int i = 0; i < 400; i++) {
            String path = random.nextBoolean() ? "/v1/completions" : "/v1/chat/completions";
            byte[] body = mutate(body(random).getBytes(StandardCharsets.UTF_8), random);
            HttpResponse<String> r = server.postBytes(path, body);
            String what = path + " " + new String(body, StandardCharsets.UTF_8) + " -> " + r.statusCode() + " " + r.body();
            assertThat(r.statusCode()).as(what).isBetween(200, 499);
            if (r.statusCode() >= 400) {
                JsonNode error = TestServer.json(r.body()).get("error");
                assertThat(error).as(what).isNotNull();
                assertThat(error.get("message").asText()).as(what).isNotBlank();
            }
        }
        assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(server.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"temperature\":0,\"max_tokens\":8}")
                .body()).contains(", there was a little");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.engine().metrics().kvBlocksUsed() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(server.engine().metrics().kvBlocksUsed()).isZero();
    }
}
