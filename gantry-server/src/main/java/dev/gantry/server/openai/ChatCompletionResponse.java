package dev.gantry.server.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code chat.completion}: the body of a non-streaming {@code /v1/chat/completions} answer. */
public record ChatCompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                                     Usage usage) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Choice(int index, Message message, Object logprobs, @JsonProperty("finish_reason") String finishReason) {
    }

    /** {@code content} is null when the assistant only calls tools, as OpenAI writes it. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Message(String role, String content,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("tool_calls") List<Object> toolCalls) {

        public Message(String role, String content) {
            this(role, content, null);
        }
    }

    public static ChatCompletionResponse of(String id, long created, String model, List<Choice> choices, Usage usage) {
        return new ChatCompletionResponse(id, "chat.completion", created, model, choices, usage);
    }
}
