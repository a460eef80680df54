package dev.gantry.server.openai;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A JSON request body read with strict types: a wrong type is a 400 naming the field, never a coercion (OpenAI
 * rejects {@code "max_tokens": "5"}, so do we). A field set to {@code null} counts as absent, as OpenAI treats it.
 * Unknown fields are ignored, since SDKs send fields a server may not know.
 */
public final class JsonRequest {

    private final ObjectNode root;

    private JsonRequest(ObjectNode root) {
        this.root = root;
    }

    /** Parses a body; malformed JSON, invalid UTF-8, too deep nesting or a non-object top level is a 400. */
    public static JsonRequest parse(byte[] body, ObjectMapper mapper) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.invalid("the body is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw ApiException.invalid("the body could not be read: " + e.getMessage(), null);
        }
        if (node == null || node.isMissingNode()) {
            throw ApiException.invalid("the body is empty; a JSON object is required", null);
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.invalid("the body must be a JSON object, not " + describe(node), null);
        }
        return new JsonRequest(object);
    }

    public ObjectNode root() {
        return root;
    }

    /** The field, absent when missing or null. */
    public Optional<JsonNode> field(String name) {
        JsonNode n = root.get(name);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n);
    }

    public Optional<String> string(String name) {
        return field(name).map(n -> {
            if (!n.isTextual()) {
                throw wrongType(name, "a string", n);
            }
            return n.textValue();
        });
    }

    public Optional<Boolean> bool(String name) {
        return field(name).map(n -> {
            if (!n.isBoolean()) {
                throw wrongType(name, "a boolean", n);
            }
            return n.booleanValue();
        });
    }

    /** An integer within [min, max]; a fraction, a string or a number out of range is a 400. */
    public OptionalInt integer(String name, int min, int max) {
        Optional<JsonNode> f = field(name);
        if (f.isEmpty()) {
            return OptionalInt.empty();
        }
        long v = integral(name, f.get(), min, max);
        return OptionalInt.of((int) v);
    }

    public OptionalLong longInteger(String name) {
        Optional<JsonNode> f = field(name);
        return f.isEmpty() ? OptionalLong.empty() : OptionalLong.of(integral(name, f.get(), Long.MIN_VALUE, Long.MAX_VALUE));
    }

    /** Any JSON number (range checks belong to whoever uses it). */
    public OptionalDouble number(String name) {
        Optional<JsonNode> f = field(name);
        if (f.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(number(name, f.get()));
    }

    static double number(String name, JsonNode n) {
        if (!n.isNumber()) {
            throw wrongType(name, "a number", n);
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
            throw ApiException.invalid(name + " is too large a number", name);
        }
        return d;
    }

    static long integral(String name, JsonNode n, long min, long max) {
        if (!n.isIntegralNumber()) {
            throw wrongType(name, "an integer", n);
        }
        if (!n.canConvertToLong() || n.longValue() < min || n.longValue() > max) {
            throw ApiException.invalid(name + " must be an integer in [" + min + ", " + max + "], got " + n.asText(), name);
        }
        return n.longValue();
    }

    static ApiException wrongType(String name, String expected, JsonNode got) {
        return ApiException.invalid(name + " must be " + expected + ", not " + describe(got), name);
    }

    static String describe(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> n.isIntegralNumber() ? "an integer" : "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> n.getNodeType().toString().toLowerCase();
        };
    }
}
