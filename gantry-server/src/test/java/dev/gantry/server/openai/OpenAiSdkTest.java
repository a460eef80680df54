package dev.gantry.server.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.RequestOptions;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.gantry.engine.chat.ChatFormatter;
import dev.gantry.engine.chat.ChatRequest;
import dev.gantry.engine.scheduler.SchedulerConfig;
import dev.gantry.server.ServerConfig;
import dev.gantry.server.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK (com.openai:openai-java) drives a real server over stories260K, served with
 * {@link TestServer#CHATML} as its chat template and an API key: what the SDK sends, Gantry understands, and what
 * Gantry answers, the SDK parses. The client validates every response ({@code responseValidation(true)}), so a
 * field the SDK requires but Gantry leaves out, or a wrong type, fails the test instead of reading as empty. Retries
 * are off, so no refusal is hidden behind a second try.
 */
class OpenAiSdkTest {

    private static final String KEY = "sdk-test-key";
    private static final String MODEL = "stories260K";
    private static final String PROMPT = "Once upon a time";
    /** llama.cpp's greedy continuation of the prompt on stories260K (shared/README.md). */
    private static final String LILY = ", there was a little girl named Lily.";

    private static TestServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.CHATML, SchedulerConfig.defaults(),
                ServerConfig.of("127.0.0.1", 0).withApiKey(KEY));
        client = client(server, KEY);
    }

    @AfterAll
    static void stop() {
        try {
            client.close();
        } finally {
            server.close();
        }
    }

    private static OpenAIClient client(TestServer on, String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + on.port() + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .responseValidation(true)
                .build();
    }

    private static CompletionCreateParams.Builder greedyCompletion(long maxTokens) {
        return CompletionCreateParams.builder().model(MODEL).prompt(PROMPT).temperature(0.0).maxTokens(maxTokens);
    }

    private static ChatCompletionCreateParams.Builder chat(String user, long maxTokens) {
        return ChatCompletionCreateParams.builder().model(MODEL).addUserMessage(user).maxCompletionTokens(maxTokens);
    }

    private static int promptTokens(String text) {
        return server.model().tokenizer().encode(text, true, true).length;
    }

    /** The prompt the server renders for one user turn through its template. */
    private static String chatPrompt(String user) {
        return ChatFormatter.create(TestServer.CHATML, "<s>", "</s>")
                .format(ChatRequest.of(List.of(Map.of("role", "user", "content", user)), null, LocalDateTime.now()))
                .prompt();
    }

    private static void assertUsage(CompletionUsage usage, int prompt, long completion) {
        assertThat(usage.promptTokens()).isEqualTo(prompt);
        assertThat(usage.completionTokens()).isEqualTo(completion);
        assertThat(usage.totalTokens()).isEqualTo(prompt + completion);
    }

    @Test
    void modelsListNamesTheServedModel() {
        List<Model> models = client.models().list().data();
        assertThat(models).extracting(Model::id).containsExactly(MODEL);
        assertThat(models.getFirst().ownedBy()).isEqualTo("gantry");
        assertThat(models.getFirst().created()).isPositive();
        assertThat(client.models().retrieve(MODEL).id()).isEqualTo(MODEL);
    }

    @Test
    void completionContinuesTheStoryGreedilyWithExactUsage() {
        Completion c = client.completions().create(greedyCompletion(6).build());
        assertThat(c.id()).startsWith("cmpl-");
        assertThat(c.model()).isEqualTo(MODEL);
        assertThat(c.choices()).hasSize(1);
        CompletionChoice choice = c.choices().getFirst();
        assertThat(choice.index()).isZero();
        assertThat(choice.text()).isNotEmpty();
        assertThat(LILY).startsWith(choice.text());
        assertThat(choice.finishReason()).isEqualTo(CompletionChoice.FinishReason.LENGTH);
        assertUsage(c.usage().orElseThrow(), promptTokens(PROMPT), 6);
    }

    @Test
    void chatCompletionAnswersThroughTheTemplateWithUsageAndFinishReason() {
        ChatCompletion c = client.chat().completions().create(chat("Hi", 5).temperature(0.0).build());
        assertThat(c.id()).startsWith("chatcmpl-");
        assertThat(c.model()).isEqualTo(MODEL);
        ChatCompletion.Choice choice = c.choices().getFirst();
        assertThat(choice.message().content().orElseThrow()).isNotEmpty();
        assertThat(choice.message().toolCalls()).isEmpty();
        assertThat(choice.logprobs()).isEmpty();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertUsage(c.usage().orElseThrow(), promptTokens(chatPrompt("Hi")), 5);
    }

    @Test
    void streamedChatConcatenatesToTheGreedyAnswerAndEndsWithUsage() {
        ChatCompletionCreateParams params = chat("Tell me a story", 12).temperature(0.0).build();
        ChatCompletion whole = client.chat().completions().create(params);
        ChatCompletionCreateParams streamed = params.toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(streamed)) {
            stream.stream().forEach(chunk -> chunks.add(accumulator.accumulate(chunk)));
        }
        assertThat(chunks).hasSizeGreaterThan(2);
        assertThat(chunks).extracting(ChatCompletionChunk::id).containsOnly(chunks.getFirst().id());
        assertThat(chunks.getFirst().choices().getFirst().delta().role()).isPresent();

        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();
        List<ChatCompletionChunk> withChoices = chunks.subList(0, chunks.size() - 1);
        for (ChatCompletionChunk chunk : withChoices) {
            assertThat(chunk.usage()).as("usage only on the last chunk").isEmpty();
            assertThat(finishes).as("nothing after the finish reason").isEmpty();
            ChatCompletionChunk.Choice choice = chunk.choices().getFirst();
            assertThat(choice.index()).isZero();
            choice.delta().content().ifPresent(text::append);
            choice.finishReason().ifPresent(finishes::add);
        }
        assertThat(finishes).containsExactly(ChatCompletionChunk.Choice.FinishReason.LENGTH);
        String expected = whole.choices().getFirst().message().content().orElseThrow();
        assertThat(text.toString()).isEqualTo(expected).isNotEmpty();

        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage()).isEqualTo(whole.usage());
        assertUsage(last.usage().orElseThrow(), promptTokens(chatPrompt("Tell me a story")), 12);

        ChatCompletion accumulated = accumulator.chatCompletion();
        assertThat(accumulated.choices().getFirst().message().content()).contains(expected);
        assertThat(accumulated.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
    }

    /**
     * Without response validation for this one stream: the SDK's {@code CompletionChoice} declares
     * {@code finish_reason} non-null (from OpenAI's spec), yet OpenAI's own legacy completions stream sends
     * {@code "finish_reason": null} until the last chunk (openai/openai-openapi#100), as Gantry does; validation
     * would reject OpenAI's own wire. The test checks the null is written, not left out.
     */
    @Test
    void streamedCompletionConcatenatesToTheGreedyTextAndEndsWithUsage() {
        Completion whole = client.completions().create(greedyCompletion(10).build());
        CompletionCreateParams streamed = greedyCompletion(10)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<Completion> chunks = new ArrayList<>();
        RequestOptions asOpenAiStreams = RequestOptions.builder().responseValidation(false).build();
        try (StreamResponse<Completion> stream = client.completions().createStreaming(streamed, asOpenAiStreams)) {
            stream.stream().forEach(chunks::add);
        }
        StringBuilder text = new StringBuilder();
        List<CompletionChoice.FinishReason> finishes = new ArrayList<>();
        for (Completion chunk : chunks.subList(0, chunks.size() - 1)) {
            assertThat(chunk.id()).isEqualTo(chunks.getFirst().id());
            assertThat(chunk.usage()).isEmpty();
            assertThat(finishes).as("nothing after the finish reason").isEmpty();
            CompletionChoice choice = chunk.choices().getFirst();
            text.append(choice.text());
            if (!choice._finishReason().isNull()) {
                finishes.add(choice.finishReason()); // throws if the field were left out
            }
        }
        assertThat(text.toString()).isEqualTo(whole.choices().getFirst().text()).isNotEmpty();
        assertThat(LILY).startsWith(text.toString());
        assertThat(finishes).containsExactly(CompletionChoice.FinishReason.LENGTH);
        Completion last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        assertUsage(last.usage().orElseThrow(), promptTokens(PROMPT), 10);
    }

    /** {@code seed} is deprecated on OpenAI's chat API, but llama-server-style servers (Gantry too) honour it. */
    @SuppressWarnings("deprecation")
    @Test
    void nChoicesComeBackWithDistinctIndices() {
        ChatCompletion c = client.chat().completions().create(chat("Hi", 4).n(3).temperature(0.9).seed(7).build());
        assertThat(c.choices()).extracting(ChatCompletion.Choice::index).containsExactlyInAnyOrder(0L, 1L, 2L);
        CompletionUsage usage = c.usage().orElseThrow();
        assertThat(usage.promptTokens()).as("the prompt counts once").isEqualTo(promptTokens(chatPrompt("Hi")));
        assertThat(usage.completionTokens()).isBetween(3L, 12L);
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());

        // Streamed, the choices interleave; each one still adds up to the greedy answer.
        ChatCompletionCreateParams greedy = chat("Hi", 6).temperature(0.0).build();
        String expected = client.chat().completions().create(greedy).choices().getFirst().message().content().orElseThrow();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(greedy.toBuilder().n(2).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        assertThat(accumulator.chatCompletion().choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L);
        assertThat(accumulator.chatCompletion().choices()).extracting(choice -> choice.message().content().orElseThrow())
                .containsExactly(expected, expected);

        Completion plain = client.completions().create(greedyCompletion(3).n(2).build());
        assertThat(plain.choices()).extracting(CompletionChoice::index).containsExactlyInAnyOrder(0L, 1L);
        assertThat(plain.choices()).extracting(CompletionChoice::text).as("greedy: both choices alike").containsOnly(
                plain.choices().getFirst().text());
    }

    @Test
    void stopStringEndsTheTextBeforeIt() {
        Completion c = client.completions().create(greedyCompletion(30).stop("little").build());
        CompletionChoice choice = c.choices().getFirst();
        assertThat(choice.text()).isEqualTo(", there was a ");
        assertThat(choice.finishReason()).isEqualTo(CompletionChoice.FinishReason.STOP);

        ChatCompletion chat = client.chat().completions().create(chat("Hi", 30).temperature(0.0).build());
        String full = chat.choices().getFirst().message().content().orElseThrow();
        assertThat(full.length()).as("a stop string to find").isGreaterThan(4);
        String stop = full.substring(2, 4);
        ChatCompletion stopped = client.chat().completions().create(chat("Hi", 30).temperature(0.0).stop(stop).build());
        assertThat(stopped.choices().getFirst().message().content()).contains(full.substring(0, full.indexOf(stop)));
        assertThat(stopped.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }

    @SuppressWarnings("deprecation")
    @Test
    void seedMakesSamplingReproducible() {
        CompletionCreateParams params = CompletionCreateParams.builder().model(MODEL).prompt(PROMPT)
                .temperature(1.0).maxTokens(16).seed(1234).build();
        String first = client.completions().create(params).choices().getFirst().text();
        String second = client.completions().create(params).choices().getFirst().text();
        assertThat(second).isEqualTo(first).isNotEmpty();
        String otherSeed = client.completions().create(params.toBuilder().seed(99).build()).choices().getFirst().text();
        assertThat(otherSeed).as("the seed, not the prompt alone, decides the sample").isNotEqualTo(first);

        ChatCompletionCreateParams chatParams = chat("Hi", 8).temperature(1.0).seed(5).build();
        assertThat(client.chat().completions().create(chatParams).choices().getFirst().message().content())
                .isEqualTo(client.chat().completions().create(chatParams).choices().getFirst().message().content());
    }

    @Test
    void chatLogprobsListEveryTokenWithItsAlternatives() {
        ChatCompletion c = client.chat().completions().create(chat("Hi", 4).temperature(0.0).logprobs(true)
                .topLogprobs(3).build());
        ChatCompletion.Choice choice = c.choices().getFirst();
        List<ChatCompletionTokenLogprob> content = choice.logprobs().orElseThrow().content().orElseThrow();
        assertThat(content).hasSize(4);
        StringBuilder joined = new StringBuilder();
        for (ChatCompletionTokenLogprob t : content) {
            joined.append(t.token());
            assertThat(t.logprob()).isNegative();
            assertThat(t.bytes().orElseThrow()).containsExactlyElementsOf(unsigned(t.token()));
            assertThat(t.topLogprobs()).hasSize(3);
            // Greedy: the chosen token is the most likely one, and the alternatives come best first.
            assertThat(t.topLogprobs().getFirst().token()).isEqualTo(t.token());
            assertThat(t.topLogprobs().getFirst().logprob()).isEqualTo(t.logprob());
            assertThat(t.topLogprobs().get(1).logprob()).isLessThanOrEqualTo(t.topLogprobs().getFirst().logprob());
            assertThat(t.topLogprobs().get(2).logprob()).isLessThanOrEqualTo(t.topLogprobs().get(1).logprob());
        }
        assertThat(joined.toString()).isEqualTo(choice.message().content().orElseThrow());
    }

    private static List<Long> unsigned(String token) {
        List<Long> out = new ArrayList<>();
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            out.add((long) (b & 0xFF));
        }
        return out;
    }

    @Test
    void toolsAreRenderedAutoAndNoneWorkAndRequiredForcesACallOnTheSchema() {
        ChatCompletionFunctionTool weather = ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder().name("get_weather").description("The weather in a city")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .build())
                        .build())
                .build();
        ChatCompletionCreateParams plain = chat("Weather in Paris?", 4).temperature(0.0).build();
        long plainPrompt = client.chat().completions().create(plain).usage().orElseThrow().promptTokens();
        ChatCompletion withTools = client.chat().completions().create(plain.toBuilder().addTool(weather).build());
        assertThat(withTools.usage().orElseThrow().promptTokens()).as("the tools are listed in the prompt")
                .isGreaterThan(plainPrompt);
        assertThat(withTools.choices().getFirst().finishReason().known()).isIn(
                ChatCompletion.Choice.FinishReason.Known.STOP, ChatCompletion.Choice.FinishReason.Known.LENGTH,
                ChatCompletion.Choice.FinishReason.Known.TOOL_CALLS);
        ChatCompletion auto = client.chat().completions().create(plain.toBuilder().addTool(weather)
                .toolChoice(ChatCompletionToolChoiceOption.Auto.AUTO).build());
        assertThat(auto.usage()).isEqualTo(withTools.usage());
        ChatCompletion none = client.chat().completions().create(plain.toBuilder().addTool(weather)
                .toolChoice(ChatCompletionToolChoiceOption.Auto.NONE).build());
        assertThat(none.usage().orElseThrow().promptTokens()).as("none leaves the tools out").isEqualTo(plainPrompt);
        // required: grammar-constrained decoding forces a call whose arguments follow the function's schema
        ChatCompletion forced = client.chat().completions().create(chat("Weather in Paris?", 96).temperature(0.0)
                .addTool(weather).toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build());
        ChatCompletion.Choice choice = forced.choices().getFirst();
        assertThat(choice.finishReason().known()).isEqualTo(ChatCompletion.Choice.FinishReason.Known.TOOL_CALLS);
        var call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(readJson(call.function().arguments()).get("city").isTextual()).as(call.function().arguments()).isTrue();
    }

    @Test
    @SuppressWarnings("deprecation") // seed on chat: deprecated in the SDK, still honoured by Gantry
    void aJsonSchemaResponseFormatYieldsJsonThatFollowsTheSchema() {
        ResponseFormatJsonSchema format = ResponseFormatJsonSchema.builder()
                .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder().name("story").strict(true)
                        .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                        "name", Map.of("type", "string", "maxLength", 12),
                                        "age", Map.of("type", "integer", "minimum", 1, "maximum", 99))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("name", "age")))
                                .build())
                        .build())
                .build();
        for (long seed : new long[] {1, 2, 3}) {
            ChatCompletion done = client.chat().completions().create(chat("Tell me about Lily.", 128)
                    .temperature(0.8).seed(seed).responseFormat(format).build());
            String content = done.choices().getFirst().message().content().orElseThrow();
            var json = readJson(content);
            assertThat(json.get("name").isTextual()).as(content).isTrue();
            assertThat(json.get("name").asText().length()).as(content).isLessThanOrEqualTo(12);
            assertThat(json.get("age").asInt()).as(content).isBetween(1, 99);
            assertThat(json.size()).as(content).isEqualTo(2);
        }
    }

    @Test
    void embeddingsThroughTheSdkAreUnitVectorsOfTheModelsWidthInEitherEncoding() {
        EmbeddingCreateParams params = EmbeddingCreateParams.builder().model("stories260K")
                .input("Once upon a time").build();
        CreateEmbeddingResponse sdkDefault = client.embeddings().create(params);
        CreateEmbeddingResponse floats = client.embeddings().create(params.toBuilder()
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        assertThat(sdkDefault.data()).hasSize(1);
        List<Float> v = sdkDefault.data().getFirst().embedding();
        assertThat(v).as("stories260K's embedding width").hasSize(64);
        double norm = Math.sqrt(v.stream().mapToDouble(f -> (double) f * f).sum());
        assertThat(norm).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
        assertThat(floats.data().getFirst().embedding()).as("base64 and float carry the same vector").isEqualTo(v);
        assertThat(sdkDefault.usage().promptTokens()).isEqualTo(floats.usage().promptTokens()).isPositive();
    }

    private static com.fasterxml.jackson.databind.JsonNode readJson(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void maxTokensBeyondTheContextIs400NamingTheField() {
        BadRequestException e = catchStatus(BadRequestException.class, 400,
                () -> client.completions().create(greedyCompletion(100_000).build()));
        assertThat(e.param()).contains("max_tokens");
        assertThat(e.code()).contains("context_length_exceeded");
        assertThat(e.type()).contains("invalid_request_error");
        assertThat(e.getMessage()).contains("exceeds the model's context");
    }

    @Test
    void aWrongTypeSentAsRawJsonIs400NamingTheField() {
        CompletionCreateParams wrong = CompletionCreateParams.builder().model(MODEL).prompt(PROMPT).maxTokens(2)
                .putAdditionalBodyProperty("temperature", JsonValue.from("hot")).build();
        assertThat(catchStatus(BadRequestException.class, 400, () -> client.completions().create(wrong)).param())
                .contains("temperature");
        ChatCompletionCreateParams wrongChat = chat("Hi", 2).putAdditionalBodyProperty("n", JsonValue.from("two")).build();
        assertThat(catchStatus(BadRequestException.class, 400, () -> client.chat().completions().create(wrongChat)).param())
                .contains("n");
    }

    @Test
    void aWrongApiKeyIs401() {
        OpenAIClient wrong = client(server, "not-the-key");
        try {
            UnauthorizedException e = catchStatus(UnauthorizedException.class, 401, () -> wrong.models().list());
            assertThat(e.type()).contains("authentication_error");
            assertThat(e.code()).contains("invalid_api_key");
            catchStatus(UnauthorizedException.class, 401, () -> wrong.completions().create(greedyCompletion(1).build()));
        } finally {
            wrong.close();
        }
    }

    @Test
    void anUnknownModelIs404() {
        NotFoundException e = catchStatus(NotFoundException.class, 404, () -> client.chat().completions()
                .create(chat("Hi", 2).model("no-such-model").build()));
        assertThat(e.code()).contains("model_not_found");
        assertThat(e.param()).contains("model");
        catchStatus(NotFoundException.class, 404, () -> client.models().retrieve("no-such-model"));
        catchStatus(NotFoundException.class, 404, () -> client.completions()
                .create(greedyCompletion(1).model("no-such-model").build()));
    }

    @Test
    void aFullQueueIs429() {
        // One running slot and no waiting room: the scheduler refuses at once, deterministically.
        SchedulerConfig noQueue = new SchedulerConfig(1, 512, 0, true);
        try (TestServer full = TestServer.start(null, noQueue, ServerConfig.of("127.0.0.1", 0))) {
            OpenAIClient sdk = client(full, "unused");
            try {
                RateLimitException e = catchStatus(RateLimitException.class, 429,
                        () -> sdk.completions().create(greedyCompletion(1).build()));
                assertThat(e.code()).contains("rate_limit_exceeded");
                assertThat(e.type()).contains("rate_limit_error");
                assertThat(e.headers().values("Retry-After")).containsExactly("1");
            } finally {
                sdk.close();
            }
        }
    }

    /** Runs {@code call}, which must fail with the SDK's exception {@code type} for {@code status}. */
    private static <E extends OpenAIServiceException> E catchStatus(Class<E> type, int status, Runnable call) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).isInstanceOf(type);
        E e = type.cast(thrown);
        assertThat(e.statusCode()).isEqualTo(status);
        return e;
    }
}
