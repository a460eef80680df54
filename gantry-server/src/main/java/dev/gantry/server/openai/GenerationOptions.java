package dev.gantry.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The generation parameters shared by completions and chat completions, read and validated before anything is
 * queued. Unset sampling fields take llama.cpp's defaults ({@link SamplingParams#defaults()}), as llama-server does.
 *
 * @param sampling     how to sample; {@code seed} applies to choice 0, choice i gets {@code seed + i}
 * @param maxTokens    the requested limit, or empty for "whatever the context leaves"
 * @param n            how many choices to generate
 * @param stop         stop strings: generation ends before the first one, which is not returned
 * @param stream       answer with server-sent events
 * @param includeUsage streaming only: add a last chunk with {@code usage}
 * @param user         the caller's end-user id, used as the engine's tenant
 * @param logprobs     -1 for no log-probabilities, else how many alternatives to report per token
 * @param ignoreEos    llama-server's {@code ignore_eos} extension: generate past end-of-generation tokens until
 *                     {@code max_tokens}, so benchmarks get outputs of a fixed length (as {@code vllm bench serve} asks)
 */
public record GenerationOptions(SamplingParams sampling, OptionalInt maxTokens, int n, List<String> stop,
                                boolean stream, boolean includeUsage, String user, int logprobs,
                                boolean ignoreEos) {

    static final int MAX_N = 16;
    static final int MAX_STOPS = 16;

    public GenerationOptions {
        stop = List.copyOf(stop);
    }

    /** Reads the options from {@code request}; {@code vocabSize} bounds the token ids of {@code logit_bias}. */
    public static GenerationOptions read(JsonRequest request, int vocabSize, boolean chat) {
        OptionalInt maxTokens = request.integer("max_tokens", 1, Integer.MAX_VALUE);
        if (chat) {
            OptionalInt completionTokens = request.integer("max_completion_tokens", 1, Integer.MAX_VALUE);
            if (completionTokens.isPresent()) {
                maxTokens = completionTokens;
            }
        }
        int n = request.integer("n", 1, MAX_N).orElse(1);
        boolean stream = request.bool("stream").orElse(false);
        boolean includeUsage = false;
        if (request.field("stream_options").isPresent()) {
            JsonNode opts = request.field("stream_options").get();
            if (!opts.isObject()) {
                throw JsonRequest.wrongType("stream_options", "an object", opts);
            }
            JsonNode usage = opts.get("include_usage");
            if (usage != null && !usage.isNull()) {
                if (!usage.isBoolean()) {
                    throw JsonRequest.wrongType("stream_options.include_usage", "a boolean", usage);
                }
                includeUsage = usage.booleanValue();
            }
        }
        String user = request.string("user").orElse(null);
        return new GenerationOptions(sampling(request, vocabSize), maxTokens, n, stops(request), stream, includeUsage,
                user, logprobs(request, chat), request.bool("ignore_eos").orElse(false));
    }

    /**
     * Completions: {@code logprobs} is the number of alternatives (0..20). Chat: {@code logprobs} is a boolean and
     * {@code top_logprobs} (0..20) the number of alternatives, which needs {@code logprobs: true}.
     */
    private static int logprobs(JsonRequest r, boolean chat) {
        int max = GenerationRequest.MAX_LOGPROBS;
        if (!chat) {
            return r.integer("logprobs", 0, max).orElse(-1);
        }
        boolean on = r.bool("logprobs").orElse(false);
        OptionalInt top = r.integer("top_logprobs", 0, max);
        if (top.isPresent() && !on) {
            throw ApiException.invalid("top_logprobs needs logprobs set to true", "top_logprobs");
        }
        return on ? top.orElse(0) : -1;
    }

    private static SamplingParams sampling(JsonRequest r, int vocabSize) {
        SamplingParams d = SamplingParams.defaults();
        OptionalLong seed = r.longInteger("seed");
        try {
            return new SamplingParams(
                    r.number("temperature").orElse(d.temperature()),
                    r.integer("top_k", 0, Integer.MAX_VALUE).orElse(d.topK()),
                    r.number("top_p").orElse(d.topP()),
                    r.number("min_p").orElse(d.minP()),
                    r.number("repetition_penalty").orElse(d.repetitionPenalty()),
                    r.number("presence_penalty").orElse(d.presencePenalty()),
                    r.number("frequency_penalty").orElse(d.frequencyPenalty()),
                    d.repeatLastN(),
                    seed,
                    logitBias(r, vocabSize));
        } catch (IllegalArgumentException e) {
            // SamplingParams names the field first, in the API's snake_case.
            String message = e.getMessage();
            int space = message.indexOf(' ');
            throw ApiException.invalid(message, space > 0 ? message.substring(0, space) : null);
        }
    }

    /** The map form, {@code {"token id": bias}}, as OpenAI documents it; ids must be in the vocabulary. */
    private static Map<Integer, Double> logitBias(JsonRequest r, int vocabSize) {
        if (r.field("logit_bias").isEmpty()) {
            return Map.of();
        }
        JsonNode node = r.field("logit_bias").get();
        if (!node.isObject()) {
            throw JsonRequest.wrongType("logit_bias", "an object mapping token ids to biases", node);
        }
        Map<Integer, Double> bias = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int id;
            try {
                id = Integer.parseInt(e.getKey().trim());
            } catch (NumberFormatException ex) {
                throw ApiException.invalid("logit_bias keys must be token ids, got \"" + e.getKey() + "\"", "logit_bias");
            }
            if (id < 0 || id >= vocabSize) {
                throw ApiException.invalid("logit_bias token id " + id + " is outside the vocabulary (0.."
                        + (vocabSize - 1) + ")", "logit_bias");
            }
            bias.put(id, JsonRequest.number("logit_bias", e.getValue()));
        }
        return bias;
    }

    private static List<String> stops(JsonRequest r) {
        if (r.field("stop").isEmpty()) {
            return List.of();
        }
        JsonNode node = r.field("stop").get();
        List<String> stops = new ArrayList<>();
        if (node.isTextual()) {
            stops.add(node.textValue());
        } else if (node.isArray()) {
            if (node.size() > MAX_STOPS) {
                throw ApiException.invalid("stop holds at most " + MAX_STOPS + " strings, got " + node.size(), "stop");
            }
            for (JsonNode s : node) {
                if (!s.isTextual()) {
                    throw JsonRequest.wrongType("stop", "a string or an array of strings", s);
                }
                stops.add(s.textValue());
            }
        } else {
            throw JsonRequest.wrongType("stop", "a string or an array of strings", node);
        }
        for (String s : stops) {
            if (s.isEmpty()) {
                throw ApiException.invalid("stop strings must not be empty", "stop");
            }
        }
        return stops;
    }

    /** The sampling of choice {@code index}: a given seed is offset so the choices differ but stay reproducible. */
    public SamplingParams samplingFor(int index) {
        return sampling.seed().isPresent() ? sampling.withSeed(sampling.seed().getAsLong() + index) : sampling;
    }
}
