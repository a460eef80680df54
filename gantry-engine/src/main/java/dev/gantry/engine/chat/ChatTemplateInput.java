package dev.gantry.engine.chat;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a chat template is rendered with, as plain Jinja sees it: the variables {@code messages}, {@code tools}
 * (absent when null), {@code add_generation_prompt}, {@code bos_token}, {@code eos_token}, the function
 * {@code strftime_now(format)} answering for {@code now}, and any {@code extra} variables (e.g.
 * {@code enable_thinking}), which override the others.
 *
 * <p>{@code now} is given, never read from the clock, so a render is reproducible. Messages and tools are in the
 * OpenAI wire shape ({@code {"role": ..., "content": ...}}, {@code {"type": "function", "function": {...}}}).
 */
public record ChatTemplateInput(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                                boolean addGenerationPrompt, String bosToken, String eosToken, LocalDateTime now,
                                Map<String, Object> extra) {

    public ChatTemplateInput {
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(bosToken, "bosToken");
        Objects.requireNonNull(eosToken, "eosToken");
        Objects.requireNonNull(now, "now");
        extra = extra == null ? Map.of() : extra;
    }

    /** Messages only, generation prompt on, no tools, no extras. */
    public static ChatTemplateInput of(List<Map<String, Object>> messages, String bosToken, String eosToken,
                                       LocalDateTime now) {
        return new ChatTemplateInput(messages, null, true, bosToken, eosToken, now, Map.of());
    }
}
