package dev.gantry.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.grammar.Grammar;
import dev.gantry.engine.sampling.TokenChoice;
import dev.gantry.server.ServedModel;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /v1/completions}: a prompt (a string, or an array of token ids) continued {@code n} times, answered
 * whole or streamed. Tokenized as llama-server does: BOS added when the vocabulary asks for it, control tokens
 * written in the text parsed. The output may be constrained as llama-server allows: {@code response_format},
 * {@code json_schema} or a GBNF {@code grammar} ({@link OutputConstraint}).
 */
final class CompletionsHandler {

    private final ServedModel model;
    private final ObjectMapper mapper;

    CompletionsHandler(ServedModel model, ObjectMapper mapper) {
        this.model = model;
        this.mapper = mapper;
    }

    void handle(JsonRequest request, ServerResponse response) throws IOException, InterruptedException {
        ModelCheck.requireServed(request, model);
        GenerationOptions options = GenerationOptions.read(request, model.model().tokenizer().vocabSize(), false);
        Grammar grammar = OutputConstraint.read(request, mapper, false);
        int[] prompt = prompt(request);
        RequestGenerations generations = RequestGenerations.submit(model, prompt, options, grammar, "prompt");
        String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        try {
            if (options.stream()) {
                stream(generations, options, id, created, response);
            } else {
                List<CompletionResponse.Choice> choices = new ArrayList<>();
                List<RequestGenerations.Choice> done = generations.collect();
                for (int i = 0; i < done.size(); i++) {
                    RequestGenerations.Choice c = done.get(i);
                    Object lp = options.logprobs() >= 0 ? c.logprobs().completions(0) : null;
                    choices.add(new CompletionResponse.Choice(i, c.text(), lp, c.finishReason()));
                }
                Usage usage = Usage.of(generations.promptTokens(), generations.completionTokens());
                response.header("Content-Type", "application/json");
                response.send(mapper.writeValueAsBytes(CompletionResponse.of(id, created, model.id(), choices, usage)));
            }
        } finally {
            generations.cancel();
        }
    }

    private void stream(RequestGenerations generations, GenerationOptions options, String id, long created,
                        ServerResponse response) throws IOException, InterruptedException {
        try (SseStream sse = new SseStream(response, mapper)) {
            try {
                int[] offsets = new int[options.n()];
                generations.run(new RequestGenerations.Listener() {
                    @Override
                    public void text(int index, String text) throws IOException {
                        offsets[index] += text.length();
                        sse.send(chunk(id, created, new CompletionResponse.Choice(index, text, null, null)));
                    }

                    @Override
                    public void logprobs(int index, TokenChoice choice) throws IOException {
                        LogprobsJson one = new LogprobsJson(model.model().tokenizer());
                        one.add(choice);
                        sse.send(chunk(id, created, new CompletionResponse.Choice(index, "", one.completions(offsets[index]), null)));
                    }

                    @Override
                    public void finish(int index, String reason) throws IOException {
                        sse.send(chunk(id, created, new CompletionResponse.Choice(index, "", null, reason)));
                    }
                });
            } catch (ApiException e) {
                sse.send(e.body());
                return;
            }
            if (options.includeUsage()) {
                sse.send(CompletionResponse.of(id, created, model.id(), List.of(),
                        Usage.of(generations.promptTokens(), generations.completionTokens())));
            }
            sse.done();
        }
    }

    private CompletionResponse chunk(String id, long created, CompletionResponse.Choice choice) {
        return CompletionResponse.of(id, created, model.id(), List.of(choice), null);
    }

    /** The prompt as token ids: text is tokenized, an id array is checked against the vocabulary. */
    private int[] prompt(JsonRequest request) {
        JsonNode p = request.field("prompt")
                .orElseThrow(() -> ApiException.invalid("prompt is required", "prompt"));
        if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) {
            p = p.get(0);
        }
        if (p.isTextual()) {
            return model.model().tokenizer().encode(p.textValue(), true, true);
        }
        if (!p.isArray() || p.isEmpty()) {
            throw ApiException.invalid("prompt must be a string or a non-empty array of token ids", "prompt");
        }
        int vocab = model.model().tokenizer().vocabSize();
        int[] ids = new int[p.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode t = p.get(i);
            if (t.isTextual() || t.isArray()) {
                throw ApiException.invalid("one prompt per request is supported; send a string or one array of"
                        + " token ids", "prompt");
            }
            ids[i] = (int) JsonRequest.integral("prompt[" + i + "]", t, 0, vocab - 1);
        }
        return ids;
    }
}
