package dev.gantry.engine.chat;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A conversation to turn into a prompt, in the OpenAI chat-completions shape.
 *
 * @param messages            {@code {"role", "content"}} maps; content is a string, a list of
 *     {@code {"type": "text", "text"}} parts, or null; assistant messages may carry {@code tool_calls}
 *     ({@code {"id", "type": "function", "function": {"name", "arguments"}}}, arguments a JSON string or an
 *     object) and {@code reasoning_content}; tool messages {@code tool_call_id} and {@code name}
 * @param tools               {@code {"type": "function", "function": {"name", "description", "parameters"}}}
 *     maps, or null / empty for none
 * @param addGenerationPrompt end with the opening of an assistant turn
 * @param now                 the date and time templates may print (never read from the clock here)
 * @param enableThinking      reasoning models may think before answering (llama.cpp's default: true)
 * @param templateKwargs      extra template variables ({@code chat_template_kwargs})
 */
public record ChatRequest(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                          boolean addGenerationPrompt, LocalDateTime now, boolean enableThinking,
                          Map<String, Object> templateKwargs) {

    public ChatRequest {
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(now, "now");
        templateKwargs = templateKwargs == null ? Map.of() : templateKwargs;
    }

    /** A request with a generation prompt, thinking enabled and no extra variables. */
    public static ChatRequest of(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                                 LocalDateTime now) {
        return new ChatRequest(messages, tools, true, now, true, Map.of());
    }
}
