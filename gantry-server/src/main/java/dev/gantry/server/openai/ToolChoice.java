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
 * answer; {@code none} leaves them out; {@code required} and {@code {"type": "function", "function": {"name"}}}
 * render them too and force one call by a grammar ({@link ToolCallGrammar}) over the tools in {@link #forced()}.
 *
 * @param tools  the tools to render, or null for none
 * @param forced the tools a call is forced among (all of them for {@code required}, the named one), or empty
 */
record ToolChoice(List<Map<String, Object>> tools, List<Map<String, Object>> forced) {

    ToolChoice {
        forced = forced == null ? List.of() : List.copyOf(forced);
    }

    ToolChoice(List<Map<String, Object>> tools) {
        this(tools, List.of());
    }

    boolean active() {
        return tools != null && !tools.isEmpty();
    }

    /** Whether the output must be a tool call. */
    boolean forcing() {
        return !forced.isEmpty();
    }

    static ToolChoice read(JsonRequest request, ObjectMapper mapper) {
        JsonNode toolsNode = request.field("tools").orElse(null);
        if (toolsNode == null || toolsNode.isNull()) {
            JsonNode choice = request.field("tool_choice").orElse(null);
            if (choice != null && (choice.isObject() || "required".equals(choice.asText()))) {
                throw ApiException.invalid("tool_choice forces a tool call, but the request has no tools", "tool_choice");
            }
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
        if (choice.isTextual() && choice.textValue().equals("required")) {
            return new ToolChoice(tools, tools);
        }
        if (choice.isObject()) {
            JsonNode name = choice.path("function").path("name");
            if (!"function".equals(choice.path("type").asText()) || !name.isTextual()) {
                throw ApiException.invalid("tool_choice must be \"none\", \"auto\", \"required\" or"
                        + " {\"type\": \"function\", \"function\": {\"name\": ...}}", "tool_choice");
            }
            for (Map<String, Object> tool : tools) {
                if (name.textValue().equals(((Map<?, ?>) tool.get("function")).get("name"))) {
                    return new ToolChoice(tools, List.of(tool));
                }
            }
            throw ApiException.invalid("tool_choice names the function '" + name.textValue() + "', which is not in tools",
                    "tool_choice");
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
