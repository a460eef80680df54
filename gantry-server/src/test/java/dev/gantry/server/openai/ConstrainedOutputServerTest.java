package dev.gantry.server.openai;

import static dev.gantry.server.support.TestServer.events;
import static dev.gantry.server.support.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.scheduler.SchedulerConfig;
import dev.gantry.server.ServerConfig;
import dev.gantry.server.support.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Structured output and forced tool calls over HTTP on stories260K: {@code response_format}, {@code grammar},
 * {@code json_schema}, {@code tool_choice} required or named, their 400s, and streamed {@code tool_calls} deltas.
 */
class ConstrainedOutputServerTest {

    /** ChatML whose source names {@code <tool_call>}, so the formatter picks the Hermes 2 Pro / Qwen syntax. */
    static final String HERMES = TestServer.CHATML + "{# tool calls are written <tool_call>{...}</tool_call> #}";

    private static final String TOOLS = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"maxLength\":10},"
            + "\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":7}},\"required\":[\"city\",\"days\"]}}},"
            + "{\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"parameters\":{\"type\":\"object\","
            + "\"properties\":{\"zone\":{\"enum\":[\"UTC\",\"CET\"]}},\"required\":[\"zone\"]}}}]";
    private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}],"
            + "\"max_tokens\":300";

    private static TestServer generic;
    private static TestServer hermes;

    @BeforeAll
    static void start() {
        generic = TestServer.start();
        hermes = TestServer.start(HERMES, SchedulerConfig.defaults(), ServerConfig.of("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() {
        generic.close();
        hermes.close();
    }

    private static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body());
    }

    private static JsonNode error(HttpResponse<String> r, String param) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode e = json(r.body()).get("error");
        assertThat(e.get("param").asText()).as(r.body()).isEqualTo(param);
        assertThat(e.get("type").asText()).isEqualTo("invalid_request_error");
        return e;
    }

    @Test
    void aCompletionGrammarDecidesTheWholeText() {
        for (int seed = 0; seed < 4; seed++) {
            JsonNode choice = ok(generic.post("/v1/completions", "{\"prompt\":\"Is it sunny?\",\"max_tokens\":20,\"seed\":" + seed
                    + ",\"temperature\":1.2,\"grammar\":\"root ::= (\\\"yes\\\" | \\\"no\\\") \\\", \\\" [a-z]{1,5}\"}")).get("choices").get(0);
            assertThat(choice.get("text").asText()).matches("(yes|no), [a-z]{1,5}");
            assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        }
    }

    @Test
    void completionsTakeAJsonSchemaOrAResponseFormat() {
        String schema = "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":9}},\"required\":[\"n\"]}";
        JsonNode a = ok(generic.post("/v1/completions", "{\"prompt\":\"Count:\",\"max_tokens\":40,\"json_schema\":" + schema + "}"));
        assertThat(json(a.get("choices").get(0).get("text").asText()).get("n").asInt()).isBetween(0, 9);
        JsonNode b = ok(generic.post("/v1/completions", "{\"prompt\":\"Count:\",\"max_tokens\":40,\"response_format\":"
                + "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"c\",\"schema\":" + schema + "}}}"));
        assertThat(json(b.get("choices").get(0).get("text").asText()).get("n").asInt()).isBetween(0, 9);
    }

    @Test
    void chatResponseFormatJsonSchemaGivesContentThatValidates() {
        String format = ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"weather\",\"strict\":true,"
                + "\"schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"maxLength\":8},"
                + "\"sunny\":{\"type\":\"boolean\"}},\"required\":[\"city\",\"sunny\"],\"additionalProperties\":false}}}";
        for (String temperature : List.of("0", "0.9", "1.5")) {
            JsonNode choice = ok(generic.post("/v1/chat/completions", CHAT + ",\"temperature\":" + temperature + format + "}"))
                    .get("choices").get(0);
            JsonNode content = json(choice.get("message").get("content").asText());
            assertThat(content.get("city").isTextual()).isTrue();
            assertThat(content.get("sunny").isBoolean()).isTrue();
            assertThat(content.size()).isEqualTo(2);
            assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        }
        JsonNode object = ok(generic.post("/v1/chat/completions", CHAT + ",\"response_format\":{\"type\":\"json_object\"}}"));
        String text = object.get("choices").get(0).get("message").get("content").asText();
        if ("stop".equals(object.get("choices").get(0).get("finish_reason").asText())) {
            assertThat(json(text).isObject()).as(text).isTrue();
        } else {
            assertThat(text).startsWith("{");
        }
        JsonNode plain = ok(generic.post("/v1/chat/completions", CHAT.replace("300", "5") + ",\"response_format\":{\"type\":\"text\"}}"));
        assertThat(plain.get("choices").get(0).get("message").get("content").asText()).isNotEmpty();
    }

    @Test
    void badConstraintsAre400WithTheirField() {
        error(generic.post("/v1/chat/completions", CHAT + ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\","
                + "\"schema\":{\"type\":\"object\",\"patternProperties\":{}}}}}"), "response_format.json_schema.schema");
        JsonNode grammar = error(generic.post("/v1/chat/completions", CHAT + ",\"grammar\":\"root ::= item\"}"), "grammar");
        assertThat(grammar.get("message").asText()).contains("'item'").contains("line 1");
        error(generic.post("/v1/completions", "{\"prompt\":\"x\",\"grammar\":\"root ::= \\\"a\\\"\",\"response_format\":{\"type\":\"json_object\"}}"), "grammar");
        error(generic.post("/v1/chat/completions", CHAT + ",\"response_format\":{\"type\":\"yaml\"}}"), "response_format.type");
        error(generic.post("/v1/completions", "{\"prompt\":\"x\",\"json_schema\":{\"type\":\"number\",\"maximum\":1.5}}"), "json_schema");
        JsonNode unknown = error(generic.post("/v1/chat/completions", CHAT + TOOLS
                + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_stock\"}}}"), "tool_choice");
        assertThat(unknown.get("message").asText()).contains("get_stock");
        error(generic.post("/v1/chat/completions", CHAT + ",\"tool_choice\":\"required\"}"), "tool_choice");
        error(generic.post("/v1/chat/completions", CHAT + TOOLS + ",\"tool_choice\":\"required\",\"grammar\":\"root ::= \\\"a\\\"\"}"), "tool_choice");
    }

    @Test
    void requiredToolChoiceAlwaysCallsAToolWithValidArguments() {
        for (int seed = 0; seed < 3; seed++) {
            for (TestServer server : List.of(generic, hermes)) {
                JsonNode choice = ok(server.post("/v1/chat/completions", CHAT + TOOLS + ",\"tool_choice\":\"required\",\"seed\":" + seed
                        + ",\"temperature\":1.0}")).get("choices").get(0);
                assertThat(choice.get("finish_reason").asText()).as(choice.toString()).isEqualTo("tool_calls");
                JsonNode call = choice.get("message").get("tool_calls").get(0);
                assertThat(call.get("type").asText()).isEqualTo("function");
                assertThat(call.get("id").asText()).isNotBlank();
                String name = call.get("function").get("name").asText();
                JsonNode args = json(call.get("function").get("arguments").asText());
                if (name.equals("get_weather")) {
                    assertThat(args.get("city").isTextual()).isTrue();
                    assertThat(args.get("days").asInt()).isBetween(1, 7);
                } else {
                    assertThat(name).isEqualTo("get_time");
                    assertThat(args.get("zone").asText()).isIn("UTC", "CET");
                }
            }
        }
    }

    @Test
    void aNamedFunctionIsTheOneCalled() {
        JsonNode choice = ok(hermes.post("/v1/chat/completions", CHAT + TOOLS
                + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}},\"temperature\":0}")).get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.get("message").get("content").isNull()).isTrue();
        JsonNode call = choice.get("message").get("tool_calls").get(0);
        assertThat(call.get("function").get("name").asText()).isEqualTo("get_time");
        assertThat(json(call.get("function").get("arguments").asText()).get("zone").asText()).isIn("UTC", "CET");
    }

    /** The deltas of a streamed forced call, as a client assembles them. */
    private static void assertStreamedCall(TestServer server) {
        String body = server.post("/v1/chat/completions", CHAT + TOOLS
                + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}},\"temperature\":0,\"stream\":true}").body();
        List<String> events = events(body);
        assertThat(events.getLast()).isEqualTo("[DONE]");
        StringBuilder arguments = new StringBuilder();
        StringBuilder content = new StringBuilder();
        int headers = 0;
        int argumentDeltas = 0;
        String finish = null;
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode choice = json(e).get("choices").get(0);
            JsonNode delta = choice.get("delta");
            if (delta.hasNonNull("content")) {
                content.append(delta.get("content").asText());
            }
            if (delta.has("tool_calls")) {
                JsonNode call = delta.get("tool_calls").get(0);
                assertThat(call.get("index").asInt()).isZero();
                if (call.has("id")) {
                    headers++;
                    assertThat(call.get("type").asText()).isEqualTo("function");
                    assertThat(call.get("function").get("name").asText()).isEqualTo("get_weather");
                } else {
                    assertThat(headers).as("the name comes first").isEqualTo(1);
                    argumentDeltas++;
                }
                arguments.append(call.get("function").get("arguments").asText());
            }
            if (choice.hasNonNull("finish_reason")) {
                finish = choice.get("finish_reason").asText();
            }
        }
        assertThat(headers).isEqualTo(1);
        assertThat(argumentDeltas).as("arguments in pieces").isGreaterThan(1);
        assertThat(content.toString()).as("no tool-call markup in content").doesNotContain("<tool_call>").doesNotContain("{");
        JsonNode args = json(arguments.toString());
        assertThat(args.get("city").isTextual()).isTrue();
        assertThat(args.get("days").asInt()).isBetween(1, 7);
        assertThat(finish).isEqualTo("tool_calls");
    }

    @Test
    void aStreamedForcedCallArrivesAsToolCallDeltasInHermesSyntax() {
        assertStreamedCall(hermes);
    }

    @Test
    void aStreamedForcedCallArrivesAsToolCallDeltasInGenericJson() {
        assertStreamedCall(generic);
    }
}
