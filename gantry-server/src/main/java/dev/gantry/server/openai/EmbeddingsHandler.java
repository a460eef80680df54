package dev.gantry.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.Embeddings;
import dev.gantry.server.ServedModel;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /v1/embeddings}: one L2-normalised vector per input, pooled as the model's GGUF says, as llama-server
 * returns them. {@code input} is a string, an array of strings, an array of token ids, or an array of token-id
 * arrays (OpenAI's four forms); text is tokenized with the model's special tokens ([CLS]/[SEP] for BERT), token ids
 * are used as given. Refused with 400, as OpenAI refuses them: an empty input or string, an id outside the
 * vocabulary, an input longer than the model's context (never truncated), more than {@value #MAX_INPUTS} inputs,
 * a {@code dimensions} other than the model's (no Matryoshka truncation), an unknown {@code encoding_format}.
 */
final class EmbeddingsHandler {

    /** OpenAI's limit on inputs per request. */
    static final int MAX_INPUTS = 2048;

    private final ServedModel model;
    private final ObjectMapper mapper;

    EmbeddingsHandler(ServedModel model, ObjectMapper mapper) {
        this.model = model;
        this.mapper = mapper;
    }

    void handle(JsonRequest request, ServerResponse response) throws IOException {
        ModelCheck.requireServed(request, model);
        Embeddings embeddings = model.model().embeddings();
        if (!embeddings.pooling().poolsToVector()) {
            throw ApiException.invalid("model '" + model.id() + "' has pooling type '"
                    + embeddings.pooling().name().toLowerCase(Locale.ROOT) + "', which gives no single vector per"
                    + " input; /v1/embeddings needs mean, cls or last pooling", "model", "unsupported_pooling");
        }
        boolean base64 = switch (request.string("encoding_format").orElse("float")) {
            case "float" -> false;
            case "base64" -> true;
            default -> throw ApiException.invalid("encoding_format must be 'float' or 'base64'", "encoding_format");
        };
        request.integer("dimensions", 1, Integer.MAX_VALUE).ifPresent(d -> {
            if (d != embeddings.dimension()) {
                throw ApiException.invalid("model '" + model.id() + "' makes " + embeddings.dimension()
                        + "-dimensional embeddings and does not support shortening them; dimensions must be "
                        + embeddings.dimension() + " or left out, got " + d, "dimensions");
            }
        });
        request.string("user");
        List<int[]> inputs = inputs(request, embeddings);
        List<float[]> vectors = embeddings.embed(inputs);
        List<EmbeddingsResponse.Item> data = new ArrayList<>(vectors.size());
        int tokens = 0;
        for (int i = 0; i < vectors.size(); i++) {
            data.add(EmbeddingsResponse.Item.of(i, base64 ? base64(vectors.get(i)) : vectors.get(i)));
            tokens += inputs.get(i).length;
        }
        response.header("Content-Type", "application/json");
        response.send(mapper.writeValueAsBytes(EmbeddingsResponse.of(data, model.id(), tokens)));
    }

    /** The inputs as token sequences, each checked against the vocabulary and the context. */
    private List<int[]> inputs(JsonRequest request, Embeddings embeddings) {
        JsonNode input = request.field("input").orElseThrow(() -> ApiException.invalid("input is required", "input"));
        List<int[]> out = new ArrayList<>();
        if (input.isTextual()) {
            out.add(text("input", input, embeddings));
        } else if (input.isArray()) {
            if (input.isEmpty()) {
                throw ApiException.invalid("input must not be an empty array", "input");
            }
            if (input.size() > MAX_INPUTS) {
                throw ApiException.invalid("input has " + input.size() + " items; at most " + MAX_INPUTS
                        + " inputs per request", "input");
            }
            JsonNode first = input.get(0);
            if (first.isIntegralNumber()) {
                out.add(ids("input", input, embeddings));
            } else {
                for (int i = 0; i < input.size(); i++) {
                    String name = "input[" + i + "]";
                    JsonNode item = input.get(i);
                    if (first.isTextual() && item.isTextual()) {
                        out.add(text(name, item, embeddings));
                    } else if (first.isArray() && item.isArray()) {
                        out.add(ids(name, item, embeddings));
                    } else {
                        throw ApiException.invalid(name + " must be " + (first.isArray() ? "an array of token ids"
                                : first.isTextual() ? "a string" : "a string, a token id or an array of token ids")
                                + ", not " + JsonRequest.describe(item), "input");
                    }
                }
            }
        } else {
            throw JsonRequest.wrongType("input", "a string, an array of strings, an array of token ids or an array"
                    + " of token-id arrays", input);
        }
        return out;
    }

    private static int[] text(String name, JsonNode node, Embeddings embeddings) {
        String text = node.textValue();
        if (text.isEmpty()) {
            throw ApiException.invalid(name + " must not be an empty string", "input");
        }
        return fits(name, embeddings.tokenize(text), embeddings);
    }

    private static int[] ids(String name, JsonNode array, Embeddings embeddings) {
        if (array.isEmpty()) {
            throw ApiException.invalid(name + " must not be an empty array of token ids", "input");
        }
        int[] ids = new int[array.size()];
        for (int j = 0; j < ids.length; j++) {
            JsonNode id = array.get(j);
            if (!id.isIntegralNumber()) {
                throw ApiException.invalid(name + "[" + j + "] must be a token id (an integer), not "
                        + JsonRequest.describe(id), "input");
            }
            if (!id.canConvertToInt() || id.intValue() < 0 || id.intValue() >= embeddings.vocabSize()) {
                throw ApiException.invalid(name + "[" + j + "] is token id " + id.asText() + ", outside the vocabulary"
                        + " of " + embeddings.vocabSize() + " (ids 0.." + (embeddings.vocabSize() - 1) + ")", "input");
            }
            ids[j] = id.intValue();
        }
        return fits(name, ids, embeddings);
    }

    private static int[] fits(String name, int[] ids, Embeddings embeddings) {
        if (ids.length > embeddings.maxInputTokens()) {
            throw ApiException.invalid(name + " has " + ids.length + " tokens, more than the model's maximum context"
                    + " of " + embeddings.maxInputTokens() + " tokens; shorten it (inputs are not truncated)", "input",
                    "context_length_exceeded");
        }
        return ids;
    }

    /** OpenAI's base64 encoding: the float32 values little-endian, back to back. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
            bytes.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
