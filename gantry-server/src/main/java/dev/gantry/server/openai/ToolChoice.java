package dev.gantry.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.chat.ParsedResponse;
import dev.gantry.engine.chat.ToolCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code tools} and {@code tool_choice} of a chat request, validated, and the OpenAI {@code tool_calls} built
 * from what the model wrote. {@code auto} renders the tools through the template and parses calls out of the
 * answer; {@code none} leaves them out. Forcing a call ({@code required}, a named function) needs decoding
 * constrained by a grammar, which is refused clearly until the engine has one.
 *
 * @param tools the tools to render, or null for none
 */
record ToolChoice(List<Map<String, Object>> tools) {

    boolean active() {
        return tools != null && !tools.isEmpty();
    }

    static ToolChoice read(JsonRequest request, ObjectMapper mapper) {
        JsonNode toolsNode = request.field("tools").orElse(null);
        if (toolsNode == null || toolsNode.isNull()) {
            return new ToolChoice(null);
        }
        if (!toolsNode.isArray()) {
            throw JsonRequest.wrongType("tools", "an array of tools", toolsNode);
        }
        List<Map<String, Object>> tools = new ArrayList<>();
        for (int i = 0; i < toolsNode.size(); i++) {
            JsonNode t = toolsNode.get(i);
            JsonNode fn = t.isObject() ? t.get("function") : null;
            if (!t.isObject() || !"function".equals(t.path("type").asText()) || fn == null || !fn.isObject()
                    || !fn.path("name").isTextual() || fn.path("name").textValue().isBlank()) {
                throw ApiException.invalid("tools[" + i + "] must be {\"type\": \"function\", \"function\": {\"name\": ...}}", "tools");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> tool = mapper.convertValue(t, Map.class);
            tools.add(tool);
        }
        JsonNode choice = request.field("tool_choice").orElse(null);
        if (choice == null || choice.isNull() || (choice.isTextual() && choice.textValue().equals("auto"))) {
            return new ToolChoice(tools);
        }
        if (choice.isTextual() && choice.textValue().equals("none")) {
            return new ToolChoice(null);
        }
        if ((choice.isTextual() && choice.textValue().equals("required")) || choice.isObject()) {
            throw ApiException.invalid("tool_choice '" + (choice.isTextual() ? choice.textValue() : "function")
                    + "' forces a call, which needs grammar-constrained decoding; this server supports auto and none", "tool_choice");
        }
        throw ApiException.invalid("tool_choice must be \"none\", \"auto\", \"required\" or a function", "tool_choice");
    }

    /** OpenAI's {@code tool_calls} array for the parsed calls. */
    static List<Object> toolCalls(ParsedResponse parsed, String idPrefix) {
        List<Object> calls = new ArrayList<>();
        int n = 0;
        for (ToolCall call : parsed.toolCalls()) {
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", call.name());
            function.put("arguments", call.arguments());
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", call.id() != null && !call.id().isBlank() ? call.id() : idPrefix + "-" + n);
            c.put("type", "function");
            c.put("function", function);
            calls.add(c);
            n++;
        }
        return calls;
    }
}
