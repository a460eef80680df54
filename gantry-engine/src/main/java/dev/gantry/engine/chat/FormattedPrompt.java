package dev.gantry.engine.chat;

import java.util.Objects;

/**
 * A rendered prompt and how to read the model's answer to it.
 *
 * @param prompt              the text to tokenize (the leading BOS and trailing EOS the template printed are
 *     already cut, since the tokenizer adds its own)
 * @param format              the tool-call syntax the model will use
 * @param thinkingForcedOpen  the prompt ends inside an open reasoning block ({@code <think>\n}), so the output
 *     starts with reasoning
 */
public record FormattedPrompt(String prompt, ToolCallFormat format, boolean thinkingForcedOpen) {

    public FormattedPrompt {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(format, "format");
    }
}
