package dev.gantry.server.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code chat.completion.chunk}: one streamed event. A choice's first chunk carries {@code role}, the following
 * ones {@code content}, its last an empty delta with the {@code finish_reason}; with
 * {@code stream_options.include_usage} a final chunk with no choices carries the usage, as OpenAI documents.
 */
public record ChatCompletionChunk(String id, String object, long created, String model, List<Choice> choices,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Choice(int index, Delta delta, Object logprobs, @JsonProperty("finish_reason") String finishReason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content, @JsonProperty("tool_calls") List<Object> toolCalls) {

        public Delta(String role, String content) {
            this(role, content, null);
        }
    }

    public static ChatCompletionChunk of(String id, long created, String model, List<Choice> choices, Usage usage) {
        return new ChatCompletionChunk(id, "chat.completion.chunk", created, model, choices, usage);
    }
}
