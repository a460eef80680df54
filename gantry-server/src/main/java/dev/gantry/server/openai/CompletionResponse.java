package dev.gantry.server.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code text_completion}: the body of a non-streaming {@code /v1/completions} answer and, one choice delta at a
 * time, each streamed chunk (the legacy Completions API uses the same object for both). {@code usage} is left out
 * of streamed chunks unless the client asked for it.
 */
public record CompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {

    /** {@code logprobs} and {@code finish_reason} are written even when null, as OpenAI writes them. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Choice(int index, String text, Object logprobs, @JsonProperty("finish_reason") String finishReason) {
    }

    public static CompletionResponse of(String id, long created, String model, List<Choice> choices, Usage usage) {
        return new CompletionResponse(id, "text_completion", created, model, choices, usage);
    }
}
