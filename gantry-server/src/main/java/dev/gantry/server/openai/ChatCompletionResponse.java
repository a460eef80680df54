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

    public record Message(String role, String content) {
    }

    public static ChatCompletionResponse of(String id, long created, String model, List<Choice> choices, Usage usage) {
        return new ChatCompletionResponse(id, "chat.completion", created, model, choices, usage);
    }
}
