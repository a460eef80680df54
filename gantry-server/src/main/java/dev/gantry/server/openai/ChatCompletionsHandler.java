package dev.gantry.server.openai;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.chat.ChatFormatter;
import dev.gantry.engine.chat.ChatRequest;
import dev.gantry.engine.chat.FormattedPrompt;
import dev.gantry.engine.chat.jinja.TemplateException;
import dev.gantry.engine.sampling.TokenChoice;
import dev.gantry.server.ServedModel;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /v1/chat/completions}: the conversation rendered with the model's chat template
 * ({@link ChatFormatter}, byte-identical to llama-server's {@code --jinja}), then generated like a completion.
 */
final class ChatCompletionsHandler {

    private static final TypeReference<List<Map<String, Object>>> MESSAGES = new TypeReference<>() {
    };

    private final ServedModel model;
    private final ObjectMapper mapper;

    ChatCompletionsHandler(ServedModel model, ObjectMapper mapper) {
        this.model = model;
        this.mapper = mapper;
    }

    void handle(JsonRequest request, ServerResponse response) throws IOException, InterruptedException {
        ModelCheck.requireServed(request, model);
        ChatFormatter formatter = model.chat().orElseThrow(() -> ApiException.invalid("model has no chat template:"
                + " '" + model.id() + "' has no tokenizer.chat_template; start the server with --chat-template-file,"
                + " or use /v1/completions", "messages", "no_chat_template"));
        GenerationOptions options = GenerationOptions.read(request, model.model().tokenizer().vocabSize(), true);
        int[] prompt = model.model().tokenizer().encode(render(formatter, request).prompt(), true, true);
        RequestGenerations generations = RequestGenerations.submit(model, prompt, options, "messages");
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        try {
            if (options.stream()) {
                stream(generations, options, id, created, response);
            } else {
                answer(generations, options, id, created, response);
            }
        } finally {
            generations.cancel();
        }
    }

    private FormattedPrompt render(ChatFormatter formatter, JsonRequest request) {
        JsonNode messages = request.field("messages")
                .orElseThrow(() -> ApiException.invalid("messages is required", "messages"));
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalid("messages must be a non-empty array of messages", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw JsonRequest.wrongType("messages[" + i + "]", "an object", m);
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual()) {
                throw ApiException.invalid("messages[" + i + "].role must be a string", "messages");
            }
            JsonNode content = m.get("content");
            if (content != null && !content.isNull() && !content.isTextual() && !content.isArray()) {
                throw ApiException.invalid("messages[" + i + "].content must be a string, an array of parts or"
                        + " null", "messages");
            }
        }
        List<Map<String, Object>> list = mapper.convertValue(messages, MESSAGES);
        try {
            return formatter.format(ChatRequest.of(list, null, LocalDateTime.now()));
        } catch (TemplateException | IllegalArgumentException e) {
            throw ApiException.invalid("the chat template rejected the conversation: " + e.getMessage(), "messages");
        }
    }

    private void answer(RequestGenerations generations, GenerationOptions options, String id, long created,
                        ServerResponse response) throws IOException, InterruptedException {
        List<StringBuilder> texts = new ArrayList<>();
        List<LogprobsJson> logprobs = new ArrayList<>();
        String[] finish = new String[options.n()];
        for (int i = 0; i < options.n(); i++) {
            texts.add(new StringBuilder());
            logprobs.add(new LogprobsJson(model.model().tokenizer()));
        }
        generations.run(new RequestGenerations.Listener() {
            @Override
            public void text(int index, String text) {
                texts.get(index).append(text);
            }

            @Override
            public void finish(int index, String reason) {
                finish[index] = reason;
            }

            @Override
            public void logprobs(int index, TokenChoice choice) {
                logprobs.get(index).add(choice);
            }
        });
        List<ChatCompletionResponse.Choice> choices = new ArrayList<>();
        for (int i = 0; i < options.n(); i++) {
            Object lp = options.logprobs() >= 0 ? logprobs.get(i).chat() : null;
            choices.add(new ChatCompletionResponse.Choice(i,
                    new ChatCompletionResponse.Message("assistant", texts.get(i).toString()), lp, finish[i]));
        }
        Usage usage = Usage.of(generations.promptTokens(), generations.completionTokens());
        response.header("Content-Type", "application/json");
        response.send(mapper.writeValueAsBytes(ChatCompletionResponse.of(id, created, model.id(), choices, usage)));
    }

    private void stream(RequestGenerations generations, GenerationOptions options, String id, long created,
                        ServerResponse response) throws IOException, InterruptedException {
        try (SseStream sse = new SseStream(response, mapper)) {
            for (int i = 0; i < options.n(); i++) {
                sse.send(chunk(id, created, new ChatCompletionChunk.Choice(i,
                        new ChatCompletionChunk.Delta("assistant", ""), null, null)));
            }
            try {
                generations.run(new RequestGenerations.Listener() {
                    @Override
                    public void text(int index, String text) throws IOException {
                        sse.send(chunk(id, created, new ChatCompletionChunk.Choice(index,
                                new ChatCompletionChunk.Delta(null, text), null, null)));
                    }

                    @Override
                    public void finish(int index, String reason) throws IOException {
                        sse.send(chunk(id, created, new ChatCompletionChunk.Choice(index,
                                new ChatCompletionChunk.Delta(null, null), null, reason)));
                    }

                    @Override
                    public void logprobs(int index, TokenChoice choice) throws IOException {
                        LogprobsJson one = new LogprobsJson(model.model().tokenizer());
                        one.add(choice);
                        sse.send(chunk(id, created, new ChatCompletionChunk.Choice(index,
                                new ChatCompletionChunk.Delta(null, ""), one.chat(), null)));
                    }
                });
            } catch (ApiException e) {
                sse.send(e.body());
                return;
            }
            if (options.includeUsage()) {
                sse.send(ChatCompletionChunk.of(id, created, model.id(), List.of(),
                        Usage.of(generations.promptTokens(), generations.completionTokens())));
            }
            sse.done();
        }
    }

    private ChatCompletionChunk chunk(String id, long created, ChatCompletionChunk.Choice choice) {
        return ChatCompletionChunk.of(id, created, model.id(), List.of(choice), null);
    }
}
