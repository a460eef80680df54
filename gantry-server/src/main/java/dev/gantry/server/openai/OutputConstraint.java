package dev.gantry.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.grammar.Grammar;
import dev.gantry.engine.grammar.GrammarException;

/**
 * The grammar a request's output must follow, read from its fields: OpenAI's {@code response_format}
 * ({@code text}, {@code json_object}, {@code json_schema} with {@code json_schema.schema}), and llama-server's
 * extensions {@code grammar} (GBNF text) and, on {@code /v1/completions}, {@code json_schema} (a bare schema).
 * An invalid schema or grammar, or a grammar given together with a JSON response format, is a 400 naming the field.
 */
final class OutputConstraint {

    private OutputConstraint() {
    }

    /** The grammar for this request, or null when the output is free text. */
    static Grammar read(JsonRequest request, ObjectMapper mapper, boolean chat) {
        Grammar fromFormat = responseFormat(request, mapper);
        Grammar fromSchema = null;
        if (!chat && request.field("json_schema").isPresent()) {
            fromSchema = schema(request.field("json_schema").get(), mapper, "json_schema");
        }
        Grammar fromGrammar = request.string("grammar").filter(g -> !g.isBlank()).map(OutputConstraint::gbnf).orElse(null);
        if (fromGrammar != null && (fromFormat != null || fromSchema != null)) {
            throw ApiException.invalid("grammar cannot be combined with a JSON response_format or json_schema; give one"
                    + " constraint", "grammar");
        }
        if (fromFormat != null && fromSchema != null) {
            throw ApiException.invalid("json_schema cannot be combined with a JSON response_format; give one", "json_schema");
        }
        return fromGrammar != null ? fromGrammar : fromFormat != null ? fromFormat : fromSchema;
    }

    private static Grammar responseFormat(JsonRequest request, ObjectMapper mapper) {
        JsonNode format = request.field("response_format").orElse(null);
        if (format == null) {
            return null;
        }
        if (!format.isObject() || !format.path("type").isTextual()) {
            throw ApiException.invalid("response_format must be an object with a \"type\" of \"text\", \"json_object\""
                    + " or \"json_schema\"", "response_format");
        }
        return switch (format.get("type").textValue()) {
            case "text" -> null;
            case "json_object" -> format.has("schema") ? schema(format.get("schema"), mapper, "response_format.schema")
                    : Grammar.jsonObject();
            case "json_schema" -> {
                JsonNode spec = format.get("json_schema");
                if (spec == null || !spec.isObject()) {
                    throw ApiException.invalid("response_format json_schema needs a \"json_schema\" object with a"
                            + " \"schema\"", "response_format.json_schema");
                }
                JsonNode schema = spec.get("schema");
                yield schema == null || schema.isNull() ? Grammar.jsonObject()
                        : schema(schema, mapper, "response_format.json_schema.schema");
            }
            default -> throw ApiException.invalid("response_format type must be \"text\", \"json_object\" or"
                    + " \"json_schema\", not \"" + format.get("type").textValue() + "\"", "response_format.type");
        };
    }

    static Grammar schema(JsonNode schema, ObjectMapper mapper, String param) {
        try {
            return Grammar.jsonSchema(mapper.convertValue(schema, Object.class));
        } catch (GrammarException e) {
            throw ApiException.invalid("the JSON schema in " + param + " cannot be used: " + e.getMessage(), param);
        }
    }

    private static Grammar gbnf(String text) {
        try {
            return Grammar.parse(text);
        } catch (GrammarException e) {
            throw ApiException.invalid("the grammar is invalid: " + e.getMessage(), "grammar");
        }
    }
}
