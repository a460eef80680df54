package dev.gantry.engine.chat;

import java.util.Objects;

/**
 * One tool call read from model output.
 *
 * @param name      the function to call
 * @param arguments its arguments as a JSON text (an object, as the OpenAI API carries them)
 * @param id        the call id the model wrote, or "" when the format has none
 */
public record ToolCall(String name, String arguments, String id) {

    public ToolCall {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
        id = id == null ? "" : id;
    }
}
