package dev.gantry.server.openai;

/** The OpenAI error shape, {@code {"error": {"message", "type", "param", "code"}}}; every field is always present. */
public record ErrorBody(Error error) {

    public record Error(String message, String type, String param, String code) {
    }
}
