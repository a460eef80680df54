package dev.gantry.engine.chat;

import java.util.List;
import java.util.Objects;

/**
 * A model's answer split into what it said, what it thought, and the tools it called.
 *
 * @param content          the text for the user ("" when the answer was only tool calls)
 * @param reasoningContent text inside the family's reasoning markers ({@code <think>...</think>}), or ""
 * @param toolCalls        in the order written
 */
public record ParsedResponse(String content, String reasoningContent, List<ToolCall> toolCalls) {

    public ParsedResponse {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(reasoningContent, "reasoningContent");
        toolCalls = List.copyOf(toolCalls);
    }
}
