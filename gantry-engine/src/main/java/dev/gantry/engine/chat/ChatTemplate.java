package dev.gantry.engine.chat;

import dev.gantry.engine.chat.jinja.JinjaFunction;
import dev.gantry.engine.chat.jinja.Template;
import dev.gantry.engine.chat.jinja.TemplateException;

import java.util.HashMap;
import java.util.Map;

/**
 * A chat template (GGUF {@code tokenizer.chat_template}) compiled once, rendered as plain Jinja: no conversation
 * rewriting, no token trimming. {@link ChatFormatter} adds what llama.cpp does on top.
 */
public final class ChatTemplate {

    private final Template template;

    private ChatTemplate(Template template) {
        this.template = template;
    }

    /**
     * Compiles with the options chat templates are written for ({@code trim_blocks}, {@code lstrip_blocks}).
     *
     * @throws TemplateException with the line and column of a syntax error
     */
    public static ChatTemplate compile(String source) {
        return new ChatTemplate(Template.compile(source));
    }

    public String source() {
        return template.source();
    }

    /** Renders the conversation; a template's {@code raise_exception} is a {@link TemplateException}. */
    public String render(ChatTemplateInput input) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("messages", input.messages());
        vars.put("add_generation_prompt", input.addGenerationPrompt());
        vars.put("bos_token", input.bosToken());
        vars.put("eos_token", input.eosToken());
        vars.put("strftime_now", (JinjaFunction) args -> {
            if (!(args.get(0, "format", null) instanceof String format)) {
                throw new IllegalArgumentException("strftime_now needs a format string");
            }
            return Strftime.format(input.now(), format);
        });
        if (input.tools() != null) {
            vars.put("tools", input.tools());
        }
        vars.putAll(input.extra());
        return template.render(vars);
    }

    /** Renders with exactly these variables. */
    public String render(Map<String, ?> variables) {
        return template.render(variables);
    }
}
