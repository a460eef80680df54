package dev.gantry.server.openai;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.chat.ChatFormatter;
import dev.gantry.engine.chat.ChatRequest;
import dev.gantry.engine.chat.ParsedResponse;
import dev.gantry.engine.chat.ToolCallParser;
import dev.gantry.engine.chat.FormattedPrompt;
import dev.gantry.engine.chat.jinja.TemplateException;
import dev.gantry.engine.grammar.Grammar;
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
 * The output may be constrained ({@code response_format}, {@code grammar}: {@link OutputConstraint}); a forced
 * {@code tool_choice} constrains it to one call in the family's syntax ({@link ToolCallGrammar}). Streamed tool
 * calls go out as {@code tool_calls} deltas as they are written ({@link ToolCallStream}).
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

    /**
     * {@code POST /apply-template} (as llama-server has it): the exact prompt a chat request renders to, tools
     * included, without generating; for debugging templates.
     */
    void applyTemplate(JsonRequest request, ServerResponse response) throws IOException {
        ModelCheck.requireServed(request, model);
        FormattedPrompt formatted = render(formatter(), request, ToolChoice.read(request, mapper));
        response.header("Content-Type", "application/json");
        response.send(mapper.writeValueAsBytes(Map.of("prompt", formatted.prompt())));
    }

    private ChatFormatter formatter() {
        return model.chat().orElseThrow(() -> ApiException.invalid("model has no chat template:"
                + " '" + model.id() + "' has no tokenizer.chat_template; start the server with --chat-template-file,"
                + " or use /v1/completions", "messages", "no_chat_template"));
    }

    void handle(JsonRequest request, ServerResponse response) throws IOException, InterruptedException {
        ModelCheck.requireServed(request, model);
        ChatFormatter formatter = formatter();
        GenerationOptions options = GenerationOptions.read(request, model.model().tokenizer().vocabSize(), true);
        ToolChoice tools = ToolChoice.read(request, mapper);
        Grammar grammar = OutputConstraint.read(request, mapper, true);
        FormattedPrompt formatted = render(formatter, request, tools);
        if (tools.forcing()) {
            if (grammar != null) {
                throw ApiException.invalid("a tool_choice that forces a call cannot be combined with grammar or a JSON"
                        + " response_format", "tool_choice");
            }
            grammar = ToolCallGrammar.forced(formatted.format(), formatted.thinkingForcedOpen(), tools.forced());
        }
        int[] prompt = model.model().tokenizer().encode(formatted.prompt(), true, true);
        RequestGenerations generations = RequestGenerations.submit(model, prompt, options, grammar, "messages");
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        try {
            Parse parse = tools.active() ? new Parse(formatted) : null;
            if (options.stream()) {
                stream(generations, options, id, created, response, parse);
            } else {
                answer(generations, options, id, created, response, parse);
            }
        } finally {
            generations.cancel();
        }
    }

    /** How to read tool calls out of an answer: the tool-call syntax the template uses. */
    private record Parse(FormattedPrompt formatted) {

        ParsedResponse apply(String text) {
            return ToolCallParser.parse(text, formatted.format(), formatted.thinkingForcedOpen());
        }
    }

    private FormattedPrompt render(ChatFormatter formatter, JsonRequest request, ToolChoice tools) {
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
            return formatter.format(ChatRequest.of(list, tools.tools(), LocalDateTime.now()));
        } catch (TemplateException | IllegalArgumentException e) {
            throw ApiException.invalid("the chat template rejected the conversation: " + e.getMessage(), "messages");
        }
    }

    private void answer(RequestGenerations generations, GenerationOptions options, String id, long created,
                        ServerResponse response, Parse parse) throws IOException, InterruptedException {
        List<RequestGenerations.Choice> done = generations.collect();
        List<ChatCompletionResponse.Choice> choices = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            RequestGenerations.Choice c = done.get(i);
            Object lp = options.logprobs() >= 0 ? c.logprobs().chat() : null;
            ChatCompletionResponse.Message message = new ChatCompletionResponse.Message("assistant", c.text());
            String reason = c.finishReason();
            if (parse != null) {
                ParsedResponse parsed = parse.apply(c.text());
                if (!parsed.toolCalls().isEmpty()) {
                    message = new ChatCompletionResponse.Message("assistant", parsed.content().isEmpty() ? null : parsed.content(),
                            ToolChoice.toolCalls(parsed, id + "-" + i));
                    reason = "tool_calls";
                }
            }
            choices.add(new ChatCompletionResponse.Choice(i, message, lp, reason));
        }
        Usage usage = Usage.of(generations.promptTokens(), generations.completionTokens());
        response.header("Content-Type", "application/json");
        response.send(mapper.writeValueAsBytes(ChatCompletionResponse.of(id, created, model.id(), choices, usage)));
    }

    /**
     * Streams the answer. With tools, each choice's text goes through a {@link ToolCallStream}: content is sent as
     * it comes until a tool call starts, and the call as {@code tool_calls} deltas.
     */
    private void stream(RequestGenerations generations, GenerationOptions options, String id, long created,
                        ServerResponse response, Parse parse) throws IOException, InterruptedException {
        List<ToolCallStream> calls = new ArrayList<>();
        for (int i = 0; i < options.n() && parse != null; i++) {
            calls.add(new ToolCallStream(parse.formatted().format(), parse.formatted().thinkingForcedOpen(), id + "-" + i));
        }
        try (SseStream sse = new SseStream(response, mapper)) {
            for (int i = 0; i < options.n(); i++) {
                sse.send(chunk(id, created, new ChatCompletionChunk.Choice(i,
                        new ChatCompletionChunk.Delta("assistant", ""), null, null)));
            }
            try {
                generations.run(new RequestGenerations.Listener() {
                    @Override
                    public void text(int index, String text) throws IOException {
                        if (parse == null) {
                            sse.send(chunk(id, created, new ChatCompletionChunk.Choice(index,
                                    new ChatCompletionChunk.Delta(null, text), null, null)));
                            return;
                        }
                        send(index, calls.get(index).accept(text));
                    }

                    @Override
                    public void finish(int index, String reason) throws IOException {
                        String finish = reason;
                        if (parse != null) {
                            ToolCallStream stream = calls.get(index);
                            send(index, stream.finish());
                            if (stream.calledTools()) {
                                finish = "tool_calls";
                            }
                        }
                        sse.send(chunk(id, created, new ChatCompletionChunk.Choice(index,
                                new ChatCompletionChunk.Delta(null, null), null, finish)));
                    }

                    private void send(int index, List<ToolCallStream.Delta> deltas) throws IOException {
                        for (ToolCallStream.Delta d : deltas) {
                            ChatCompletionChunk.Delta delta = d.toolCall() == null ? new ChatCompletionChunk.Delta(null, d.content())
                                    : new ChatCompletionChunk.Delta(null, null, List.of(d.toolCall()));
                            sse.send(chunk(id, created, new ChatCompletionChunk.Choice(index, delta, null, null)));
                        }
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
