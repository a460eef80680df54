package dev.gantry.server.openai;

import static dev.gantry.server.support.TestServer.events;
import static dev.gantry.server.support.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.chat.ChatFormatter;
import dev.gantry.engine.chat.ChatRequest;
import dev.gantry.server.support.TestServer;
import java.net.http.HttpResponse;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAI endpoints answer with OpenAI's shapes and honour the parameters, on a real server over stories260K. */
class OpenAiServerTest {

    private static final String LILY = ", there was a little girl named Lily";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body());
    }

    private static String greedy(int maxTokens) {
        return "{\"model\":\"stories260K\",\"prompt\":\"Once upon a time\",\"temperature\":0,\"max_tokens\":" + maxTokens;
    }

    @Test
    void modelsListsTheFileNameWithoutExtension() {
        JsonNode body = ok(server.get("/v1/models"));
        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(body.get("data").get(0).get("id").asText()).isEqualTo("stories260K");
        assertThat(body.get("data").get(0).get("object").asText()).isEqualTo("model");
    }

    @Test
    void healthIsLiveAndReady() {
        assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(server.get("/health").body()).as("llama-server's and vLLM's probe path").contains("\"ready\"");
    }

    @Test
    void completionLogprobsMatchTheScoredDistribution() {
        JsonNode choice = ok(server.post("/v1/completions", greedy(4) + ",\"logprobs\":2}")).get("choices").get(0);
        JsonNode lp = choice.get("logprobs");
        assertThat(lp.get("tokens")).hasSize(4);
        StringBuilder joined = new StringBuilder();
        lp.get("tokens").forEach(t -> joined.append(t.asText()));
        assertThat(joined.toString()).isEqualTo(choice.get("text").asText());
        // llama.cpp: after "Once upon a time" the best token is "," at -0.03175
        assertThat(lp.get("tokens").get(0).asText()).isEqualTo(",");
        assertThat(lp.get("token_logprobs").get(0).asDouble()).isCloseTo(-0.03175, org.assertj.core.data.Offset.offset(0.02));
        assertThat(lp.get("top_logprobs").get(0).size()).isEqualTo(2);
        assertThat(lp.get("text_offset").get(1).asInt()).isEqualTo(1);
    }

    @Test
    void chatLogprobsListEveryTokenWithBytesAndAlternatives() {
        String req = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":0,\"max_tokens\":3,"
                + "\"logprobs\":true,\"top_logprobs\":3}";
        JsonNode content = ok(server.post("/v1/chat/completions", req)).get("choices").get(0).get("logprobs").get("content");
        assertThat(content).hasSize(3);
        JsonNode first = content.get(0);
        assertThat(first.get("logprob").asDouble()).isNegative();
        assertThat(first.get("top_logprobs")).hasSize(3);
        assertThat(first.get("top_logprobs").get(0).get("token").asText()).isEqualTo(first.get("token").asText());
        assertThat(first.get("bytes").isArray()).isTrue();
        assertThat(server.post("/v1/chat/completions", req.replace("\"logprobs\":true,", "")).statusCode()).isEqualTo(400);
    }

    @Test
    void toolsAreRenderedIntoThePromptAndRequiredForcesACall() {
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";
        String base = "{\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],\"temperature\":0,\"max_tokens\":4";
        int plain = ok(server.post("/v1/chat/completions", base + "}")).get("usage").get("prompt_tokens").asInt();
        JsonNode withTools = ok(server.post("/v1/chat/completions", base + tools + "}"));
        assertThat(withTools.get("usage").get("prompt_tokens").asInt()).as("tools listed in the prompt").isGreaterThan(plain);
        assertThat(withTools.get("choices").get(0).get("finish_reason").asText()).isIn("stop", "length", "tool_calls");
        int none = ok(server.post("/v1/chat/completions", base + tools + ",\"tool_choice\":\"none\"}")).get("usage").get("prompt_tokens").asInt();
        assertThat(none).isEqualTo(plain);
        JsonNode required = ok(server.post("/v1/chat/completions", base.replace("\"max_tokens\":4", "\"max_tokens\":200")
                + tools + ",\"tool_choice\":\"required\"}"));
        assertThat(required.get("choices").get(0).get("finish_reason").asText()).as("forced by a grammar").isEqualTo("tool_calls");
        HttpResponse<String> bad = server.post("/v1/chat/completions", base + ",\"tools\":[{\"type\":\"function\"}]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad.body()).get("error").get("param").asText()).isEqualTo("tools");
        List<String> streamed = events(server.post("/v1/chat/completions", base + tools + ",\"stream\":true}").body());
        assertThat(streamed.getLast()).isEqualTo("[DONE]");
    }

    @Test
    void applyTemplateReturnsTheRenderedPrompt() {
        JsonNode body = ok(server.post("/apply-template", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
        String expected = ChatFormatter.create(TestServer.CHATML, "<s>", "</s>")
                .format(ChatRequest.of(List.of(Map.of("role", "user", "content", "Hi")), null, java.time.LocalDateTime.now())).prompt();
        assertThat(body.get("prompt").asText()).isEqualTo(expected).contains("Hi");
        assertThat(server.get("/apply-template").statusCode()).isEqualTo(405);
    }

    @Test
    void greedyCompletionContinuesTheStoryWithUsage() {
        JsonNode body = ok(server.post("/v1/completions", greedy(20) + "}"));
        assertThat(body.get("object").asText()).isEqualTo("text_completion");
        assertThat(body.get("id").asText()).startsWith("cmpl-");
        assertThat(body.get("model").asText()).isEqualTo("stories260K");
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("text").asText()).startsWith(LILY);
        assertThat(choice.has("logprobs")).isTrue();
        int promptTokens = server.model().tokenizer().encode("Once upon a time", true, true).length;
        JsonNode usage = body.get("usage");
        assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(promptTokens);
        assertThat(usage.get("total_tokens").asInt())
                .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
        if (choice.get("finish_reason").asText().equals("length")) {
            assertThat(usage.get("completion_tokens").asInt()).isEqualTo(20);
        }
        assertThat(choice.get("finish_reason").asText()).isIn("length", "stop");
    }

    @Test
    void maxTokensEndsWithLengthAndCountsExactly() {
        JsonNode body = ok(server.post("/v1/completions", greedy(3) + "}"));
        assertThat(body.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void tokenIdPromptEqualsTextPrompt() {
        int[] ids = server.model().tokenizer().encode("Once upon a time", true, true);
        StringBuilder arr = new StringBuilder("[");
        for (int i = 0; i < ids.length; i++) {
            arr.append(i == 0 ? "" : ",").append(ids[i]);
        }
        arr.append(']');
        JsonNode body = ok(server.post("/v1/completions",
                "{\"prompt\":" + arr + ",\"temperature\":0,\"max_tokens\":12}"));
        assertThat(body.get("choices").get(0).get("text").asText()).startsWith(", there was a little");
    }

    @Test
    void streamingSendsOrderedChunksWhoseTextEqualsTheWholeAnswerThenDone() {
        String whole = ok(server.post("/v1/completions", greedy(40) + "}")).get("choices").get(0).get("text").asText();
        HttpResponse<String> r = server.post("/v1/completions",
                greedy(40) + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(r.body()).contains("data: {").endsWith("data: [DONE]\n\n");
        List<String> events = events(r.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        String finish = null;
        JsonNode usage = null;
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = json(e);
            assertThat(chunk.get("object").asText()).isEqualTo("text_completion");
            if (chunk.get("choices").isEmpty()) {
                usage = chunk.get("usage");
                continue;
            }
            assertThat(finish).as("no text after the finish chunk").isNull();
            JsonNode c = chunk.get("choices").get(0);
            text.append(c.get("text").asText());
            if (!c.get("finish_reason").isNull()) {
                finish = c.get("finish_reason").asText();
            }
        }
        assertThat(text.toString()).isEqualTo(whole);
        assertThat(finish).isIn("stop", "length");
        assertThat(usage).isNotNull();
        assertThat(usage.get("completion_tokens").asInt()).isPositive();
    }

    @Test
    void stopStringCutsBeforeItAndIsNotReturnedEvenAcrossTokens() {
        for (String stop : List.of("girl", "le gi")) {
            JsonNode body = ok(server.post("/v1/completions", greedy(30) + ",\"stop\":[\"zzz\",\"" + stop + "\"]}"));
            JsonNode c = body.get("choices").get(0);
            assertThat(LILY).contains(stop);
            assertThat(c.get("text").asText()).isEqualTo(LILY.substring(0, LILY.indexOf(stop)));
            assertThat(c.get("finish_reason").asText()).isEqualTo("stop");
        }
        HttpResponse<String> streamed = server.post("/v1/completions", greedy(30) + ",\"stop\":\"le gi\",\"stream\":true}");
        StringBuilder text = new StringBuilder();
        for (String e : events(streamed.body())) {
            if (!e.equals("[DONE]")) {
                text.append(json(e).get("choices").get(0).get("text").asText());
            }
        }
        assertThat(text.toString()).isEqualTo(", there was a litt");
    }

    @Test
    void sameSeedSameTextAndSeedsDiffer() {
        String req = "{\"prompt\":\"Once upon a time\",\"temperature\":1.0,\"top_k\":0,\"top_p\":1,\"min_p\":0,"
                + "\"max_tokens\":24,\"seed\":";
        String a = ok(server.post("/v1/completions", req + "42}")).get("choices").get(0).get("text").asText();
        String b = ok(server.post("/v1/completions", req + "42}")).get("choices").get(0).get("text").asText();
        assertThat(a).isEqualTo(b);
        Set<String> others = new HashSet<>();
        for (int seed = 1; seed <= 4; seed++) {
            others.add(ok(server.post("/v1/completions", req + seed + "}")).get("choices").get(0).get("text").asText());
        }
        assertThat(others).as("different seeds sample different stories").hasSizeGreaterThan(1);
    }

    @Test
    void nGivesIndexedChoicesAndSumsTheirUsage() {
        JsonNode body = ok(server.post("/v1/completions",
                "{\"prompt\":\"Once upon a time\",\"n\":2,\"temperature\":0,\"max_tokens\":5}"));
        JsonNode choices = body.get("choices");
        assertThat(choices).hasSize(2);
        assertThat(choices.get(0).get("index").asInt()).isZero();
        assertThat(choices.get(1).get("index").asInt()).isEqualTo(1);
        assertThat(choices.get(0).get("text").asText()).isEqualTo(choices.get(1).get("text").asText());
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(10);
    }

    @Test
    void logitBiasMapFormBansAToken() {
        int comma = server.model().tokenizer().id(",");
        assertThat(comma).as("the vocabulary has a bare comma piece").isNotNegative();
        String text = ok(server.post("/v1/completions", greedy(5) + ",\"logit_bias\":{\"" + comma + "\":-100}}"))
                .get("choices").get(0).get("text").asText();
        assertThat(text).doesNotStartWith(",");
    }

    @Test
    void chatRendersTheTemplateAndAnswersAsTheAssistant() {
        String messages = "[{\"role\":\"system\",\"content\":\"Tell a story.\"},{\"role\":\"user\",\"content\":\"Once upon a time\"}]";
        JsonNode body = ok(server.post("/v1/chat/completions",
                "{\"model\":\"stories260K\",\"messages\":" + messages + ",\"temperature\":0,\"max_completion_tokens\":8}"));
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("id").asText()).startsWith("chatcmpl-");
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").isTextual()).isTrue();
        assertThat(choice.get("finish_reason").asText()).isIn("stop", "length");
        ChatFormatter formatter = ChatFormatter.create(TestServer.CHATML, "<s>", "</s>");
        String prompt = formatter.format(ChatRequest.of(List.of(
                Map.of("role", "system", "content", "Tell a story."),
                Map.of("role", "user", "content", "Once upon a time")), null, LocalDateTime.now())).prompt();
        assertThat(prompt).endsWith("<|im_start|>assistant\n");
        assertThat(body.get("usage").get("prompt_tokens").asInt())
                .isEqualTo(server.model().tokenizer().encode(prompt, true, true).length);
    }

    @Test
    void chatStreamsRoleThenContentThenFinishThenUsageThenDone() {
        String req = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":0,\"max_tokens\":6";
        String whole = ok(server.post("/v1/chat/completions", req + "}")).get("choices").get(0).get("message")
                .get("content").asText();
        List<String> events = events(server.post("/v1/chat/completions",
                req + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}").body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        JsonNode first = json(events.getFirst());
        assertThat(first.get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(first.get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
        JsonNode usageChunk = json(events.get(events.size() - 2));
        assertThat(usageChunk.get("choices")).isEmpty();
        assertThat(usageChunk.get("usage").get("completion_tokens").asInt()).isEqualTo(6);
        JsonNode finish = json(events.get(events.size() - 3)).get("choices").get(0);
        assertThat(finish.get("finish_reason").asText()).isEqualTo("length");
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(1, events.size() - 3)) {
            JsonNode delta = json(e).get("choices").get(0).get("delta");
            assertThat(delta.has("role")).isFalse();
            text.append(delta.get("content").asText());
        }
        assertThat(text.toString()).isEqualTo(whole);
    }
}
