package dev.gantry.engine.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks OpenAI-style messages and tools and rebuilds them in the exact form llama.cpp hands templates
 * ({@code common_chat_msgs_to_json_oaicompat}): keys in the order role, content, reasoning_content, name,
 * tool_call_id, tool_calls; empty content becomes null; text parts are joined with newlines (unless the
 * template wants typed parts); tool calls are {@code {"type": "function", "function": {"name", "arguments"}, "id"}}
 * with arguments as a JSON string; absent optional fields are left out.
 */
final class OpenAiMessages {

    private OpenAiMessages() {
    }

    static List<Map<String, Object>> messages(List<Map<String, Object>> messages, boolean typedContent) {
        List<Map<String, Object>> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            out.add(message(messages.get(i), i, typedContent));
        }
        return out;
    }

    private static Map<String, Object> message(Map<String, Object> in, int index, boolean typedContent) {
        String where = "message " + index;
        if (!(in.get("role") instanceof String role)) {
            throw new IllegalArgumentException(where + ": 'role' must be a string");
        }
        if (!in.containsKey("content") && !in.containsKey("tool_calls")) {
            throw new IllegalArgumentException(where + ": needs 'content' or 'tool_calls'");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("role", role);
        out.put("content", content(in.get("content"), where, typedContent));
        putIfNotEmpty(out, "reasoning_content", string(in.get("reasoning_content"), where, "reasoning_content"));
        putIfNotEmpty(out, "name", string(in.get("name"), where, "name"));
        putIfNotEmpty(out, "tool_call_id", string(in.get("tool_call_id"), where, "tool_call_id"));
        if (in.get("tool_calls") != null) {
            if (!(in.get("tool_calls") instanceof List<?> calls)) {
                throw new IllegalArgumentException(where + ": 'tool_calls' must be a list");
            }
            List<Object> toolCalls = new ArrayList<>();
            for (Object c : calls) {
                toolCalls.add(toolCall(c, where));
            }
            if (!toolCalls.isEmpty()) {
                out.put("tool_calls", toolCalls);
            }
        }
        return out;
    }

    private static Object content(Object content, String where, boolean typedContent) {
        if (content == null) {
            return null;
        }
        if (content instanceof String s) {
            return s.isEmpty() ? null : s;
        }
        if (!(content instanceof List<?> parts)) {
            throw new IllegalArgumentException(where + ": 'content' must be a string, a list of parts or null");
        }
        List<String> texts = new ArrayList<>();
        for (Object p : parts) {
            if (!(p instanceof Map<?, ?> part) || !"text".equals(part.get("type"))
                    || !(part.get("text") instanceof String text)) {
                throw new IllegalArgumentException(where + ": only {\"type\": \"text\", \"text\": ...} content parts"
                        + " are supported, got " + p);
            }
            texts.add(text);
        }
        if (texts.isEmpty()) {
            return null;
        }
        if (!typedContent) {
            return String.join("\n", texts);
        }
        List<Object> typed = new ArrayList<>();
        for (String text : texts) {
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("type", "text");
            part.put("text", text);
            typed.add(part);
        }
        return typed;
    }

    private static Map<String, Object> toolCall(Object c, String where) {
        if (!(c instanceof Map<?, ?> call) || !"function".equals(call.get("type"))) {
            throw new IllegalArgumentException(where + ": tool calls must have \"type\": \"function\"");
        }
        if (!(call.get("function") instanceof Map<?, ?> function) || !(function.get("name") instanceof String name)) {
            throw new IllegalArgumentException(where + ": a tool call needs 'function' with a 'name'");
        }
        Object arguments = function.get("arguments");
        String argumentsJson = switch (arguments) {
            case null -> "";
            case String s -> s;
            default -> Json.write(arguments);
        };
        Map<String, Object> fn = new LinkedHashMap<>();
        fn.put("name", name);
        fn.put("arguments", argumentsJson);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "function");
        out.put("function", fn);
        String id = string(call.get("id"), where, "tool call id");
        if (id != null && !id.isEmpty()) {
            out.put("id", id);
        }
        return out;
    }

    /** Tools as {@code {"type": "function", "function": {"name", "description", "parameters"}}}, or null if none. */
    static List<Map<String, Object>> tools(List<Map<String, Object>> tools) {
        if (tools == null || tools.isEmpty()) {
            return null;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            Map<String, Object> tool = tools.get(i);
            String where = "tool " + i;
            if (!"function".equals(tool.get("type"))) {
                throw new IllegalArgumentException(where + ": only \"type\": \"function\" tools are supported");
            }
            if (!(tool.get("function") instanceof Map<?, ?> function)
                    || !(function.get("name") instanceof String name)) {
                throw new IllegalArgumentException(where + ": needs 'function' with a 'name'");
            }
            Map<String, Object> fn = new LinkedHashMap<>();
            fn.put("name", name);
            fn.put("description", function.get("description") instanceof String d ? d : "");
            fn.put("parameters", function.get("parameters") == null ? new LinkedHashMap<>()
                    : function.get("parameters"));
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("type", "function");
            t.put("function", fn);
            out.add(t);
        }
        return out;
    }

    private static String string(Object value, String where, String field) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new IllegalArgumentException(where + ": '" + field + "' must be a string");
    }

    private static void putIfNotEmpty(Map<String, Object> out, String key, String value) {
        if (value != null && !value.isEmpty()) {
            out.put(key, value);
        }
    }
}
