package dev.gantry.engine.chat;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat template plus the conversation rewrites ("polyfills") minja's {@code chat_template::apply} performs for
 * features the template lacks ({@link TemplateCapabilities}), so that every template can take any OpenAI-style
 * conversation:
 * <ul>
 *   <li>no tool list: a system message "You can call any of the following tools to satisfy the user's requests:
 *       [tools as indented JSON]", plus "Example tool call syntax:" and the inferred example;</li>
 *   <li>no tool calls: the assistant content becomes {@code {"tool_calls": [{"name", "arguments", "id"}],
 *       "content"}} as indented JSON (arguments parsed from their JSON string);</li>
 *   <li>no tool responses: a tool message becomes a user message {@code {"tool_response": {"content", "name",
 *       "tool_call_id"}}};</li>
 *   <li>object arguments required: JSON-string arguments are parsed into objects;</li>
 *   <li>no system role: system messages are folded, newline-separated, into the next user message (or a user
 *       message of their own before any other turn);</li>
 *   <li>typed content required: string content becomes {@code [{"type": "text", "text": ...}]}.</li>
 * </ul>
 */
final class PolyfilledTemplate {

    private final ChatTemplate template;
    private final TemplateCapabilities caps;
    private final String bosToken;
    private final String eosToken;

    PolyfilledTemplate(ChatTemplate template, TemplateCapabilities caps, String bosToken, String eosToken) {
        this.template = template;
        this.caps = caps;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
    }

    TemplateCapabilities capabilities() {
        return caps;
    }

    String source() {
        return template.source();
    }

    /** Renders with polyfills; {@code tools} may be null; {@code extra} variables are set last. */
    String render(List<Map<String, Object>> messages, List<Map<String, Object>> tools, boolean addGenerationPrompt,
                  Map<String, Object> extra, LocalDateTime now) {
        Plan plan = Plan.of(caps, messages, tools);
        List<Map<String, Object>> actual = plan.any() ? polyfill(plan, messages, tools) : messages;
        return template.render(new ChatTemplateInput(actual, tools, addGenerationPrompt, bosToken, eosToken, now,
                extra));
    }

    /** Which rewrites this conversation needs with this template. */
    private record Plan(boolean tools, boolean toolCalls, boolean toolResponses, boolean objectArguments,
                        boolean systemRole, boolean typedContent) {

        static Plan of(TemplateCapabilities caps, List<Map<String, Object>> messages,
                       List<Map<String, Object>> tools) {
            boolean hasTools = tools != null && !tools.isEmpty();
            boolean hasToolCalls = messages.stream().anyMatch(m -> m.get("tool_calls") != null);
            boolean hasToolResponses = messages.stream().anyMatch(m -> "tool".equals(m.get("role")));
            boolean hasStringContent = messages.stream().anyMatch(m -> m.get("content") instanceof String);
            return new Plan(hasTools && !caps.supportsTools(), hasToolCalls && !caps.supportsToolCalls(),
                    hasToolResponses && !caps.supportsToolResponses(), hasToolCalls && caps.requiresObjectArguments(),
                    !caps.supportsSystemRole(), hasStringContent && caps.requiresTypedContent());
        }

        boolean any() {
            return tools || toolCalls || toolResponses || objectArguments || systemRole || typedContent;
        }
    }

    private List<Map<String, Object>> polyfill(Plan plan, List<Map<String, Object>> messages,
                                               List<Map<String, Object>> tools) {
        boolean polyfillToolCalls = plan.toolCalls();
        boolean polyfillToolResponses = plan.toolResponses();
        boolean polyfillObjectArguments = plan.objectArguments();
        boolean polyfillSystemRole = plan.systemRole();
        boolean polyfillTypedContent = plan.typedContent();

        List<Map<String, Object>> adjusted = messages;
        if (plan.tools()) {
            String example = caps.toolCallExample();
            adjusted = addSystem(messages, "You can call any of the following tools to satisfy the user's requests: "
                    + Json.write(tools, Json.Style.indented(2))
                    + (example.isEmpty() ? "" : "\n\nExample tool call syntax:\n\n" + example + "\n\n"));
        }

        List<Map<String, Object>> out = new ArrayList<>();
        StringBuilder pendingSystem = new StringBuilder();
        for (Map<String, Object> original : adjusted) {
            Map<String, Object> message = deepCopy(original);
            if (!message.containsKey("role") || !message.containsKey("content")) {
                throw new IllegalArgumentException("message must have 'role' and 'content' fields: "
                        + Json.write(original));
            }
            String role = String.valueOf(message.get("role"));
            if (message.containsKey("tool_calls")) {
                if (polyfillObjectArguments || polyfillToolCalls) {
                    parseStringArguments(message);
                }
                if (polyfillToolCalls) {
                    message.put("content", toolCallsAsContent(message));
                    message.remove("tool_calls");
                }
            }
            if (polyfillToolResponses && role.equals("tool")) {
                message.put("role", "user");
                Map<String, Object> response = new LinkedHashMap<>();
                response.put("content", message.get("content"));
                if (message.containsKey("name")) {
                    response.put("name", message.get("name"));
                }
                if (message.containsKey("tool_call_id")) {
                    response.put("tool_call_id", message.get("tool_call_id"));
                }
                message.put("content", Json.write(Map.of("tool_response", response), Json.Style.indented(2)));
                message.remove("name");
            }
            if (message.get("content") != null && polyfillSystemRole) {
                if (!(message.get("content") instanceof String content)) {
                    throw new IllegalArgumentException("cannot fold a non-text " + role
                            + " message into the user turn: " + Json.write(original));
                }
                if (role.equals("system")) {
                    if (!pendingSystem.isEmpty()) {
                        pendingSystem.append('\n');
                    }
                    pendingSystem.append(content);
                    continue;
                }
                if (role.equals("user")) {
                    if (!pendingSystem.isEmpty()) {
                        message.put("content", pendingSystem + (content.isEmpty() ? "" : "\n" + content));
                        pendingSystem.setLength(0);
                    }
                } else {
                    flush(pendingSystem, out, polyfillTypedContent);
                }
            }
            add(out, message, polyfillTypedContent);
        }
        flush(pendingSystem, out, polyfillTypedContent);
        return out;
    }

    private static void flush(StringBuilder pendingSystem, List<Map<String, Object>> out, boolean typed) {
        if (!pendingSystem.isEmpty()) {
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("role", "user");
            user.put("content", pendingSystem.toString());
            add(out, user, typed);
            pendingSystem.setLength(0);
        }
    }

    private static void add(List<Map<String, Object>> out, Map<String, Object> message, boolean typed) {
        if (typed && message.get("content") instanceof String text) {
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("type", "text");
            part.put("text", text);
            Map<String, Object> typedMessage = new LinkedHashMap<>();
            typedMessage.put("role", message.get("role"));
            typedMessage.put("content", List.of(part));
            out.add(typedMessage);
        } else {
            out.add(message);
        }
    }

    /** Tool-call arguments given as a JSON string become the object; a string that is not JSON stays. */
    @SuppressWarnings("unchecked")
    private static void parseStringArguments(Map<String, Object> message) {
        if (!(message.get("tool_calls") instanceof List<?> calls)) {
            return;
        }
        for (Object c : calls) {
            if (c instanceof Map<?, ?> call && "function".equals(call.get("type"))
                    && call.get("function") instanceof Map<?, ?> function
                    && function.get("arguments") instanceof String arguments) {
                try {
                    ((Map<String, Object>) function).put("arguments", Json.parse(arguments));
                } catch (IllegalArgumentException notJson) {
                    // minja keeps the string when it does not parse; so do we.
                }
            }
        }
    }

    private static String toolCallsAsContent(Map<String, Object> message) {
        List<Object> calls = new ArrayList<>();
        if (message.get("tool_calls") instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> call && "function".equals(call.get("type"))
                        && call.get("function") instanceof Map<?, ?> function) {
                    Map<String, Object> tc = new LinkedHashMap<>();
                    tc.put("name", function.get("name"));
                    tc.put("arguments", function.get("arguments"));
                    if (call.containsKey("id")) {
                        tc.put("id", call.get("id"));
                    }
                    calls.add(tc);
                }
            }
        }
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("tool_calls", calls);
        Object content = message.get("content");
        if (content != null && !"".equals(content)) {
            obj.put("content", content);
        }
        return Json.write(obj, Json.Style.indented(2));
    }

    /**
     * minja's {@code add_system}: appends to a leading system message (blank line between) or inserts one.
     */
    static List<Map<String, Object>> addSystem(List<Map<String, Object>> messages, String systemPrompt) {
        List<Map<String, Object>> out = new ArrayList<>(messages);
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("role", "system");
        if (!out.isEmpty() && "system".equals(out.getFirst().get("role"))) {
            if (!(out.getFirst().get("content") instanceof String existing)) {
                throw new IllegalArgumentException("the system message must have text content to add to it");
            }
            system.put("content", existing + "\n\n" + systemPrompt);
            out.set(0, system);
        } else {
            system.put("content", systemPrompt);
            out.addFirst(system);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(v -> copy.add(deepCopy(v)));
            return (T) copy;
        }
        return value;
    }
}
