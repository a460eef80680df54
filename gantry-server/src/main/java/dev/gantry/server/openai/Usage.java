package dev.gantry.server.openai;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Token counts of a request: the prompt once, the completion summed over all choices. */
public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
                    @JsonProperty("completion_tokens") int completionTokens,
                    @JsonProperty("total_tokens") int totalTokens) {

    public static Usage of(int prompt, int completion) {
        return new Usage(prompt, completion, prompt + completion);
    }
}
