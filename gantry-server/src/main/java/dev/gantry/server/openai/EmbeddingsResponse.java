package dev.gantry.server.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code POST /v1/embeddings}, OpenAI's shape: {@code {"object": "list", "data": [{"object":
 * "embedding", "index", "embedding"}], "model", "usage": {"prompt_tokens", "total_tokens"}}}. {@code embedding} is
 * an array of floats, or with {@code encoding_format: "base64"} a base64 string of little-endian float32 values.
 */
public record EmbeddingsResponse(String object, List<Item> data, String model, Usage usage) {

    public record Item(String object, int index, Object embedding) {

        public static Item of(int index, Object embedding) {
            return new Item("embedding", index, embedding);
        }
    }

    /** Embeddings have no completion, so OpenAI counts prompt tokens only. */
    public record Usage(@JsonProperty("prompt_tokens") int promptTokens, @JsonProperty("total_tokens") int totalTokens) {
    }

    public static EmbeddingsResponse of(List<Item> data, String model, int promptTokens) {
        return new EmbeddingsResponse("list", data, model, new Usage(promptTokens, promptTokens));
    }
}
