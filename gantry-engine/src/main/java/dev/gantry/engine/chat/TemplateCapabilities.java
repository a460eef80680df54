package dev.gantry.engine.chat;

import dev.gantry.engine.chat.jinja.TemplateException;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a chat template can show, found the way minja (llama.cpp's {@code chat-template.hpp}) finds it: by
 * rendering small probe conversations with marker strings and looking for the markers in the output. A probe
 * that fails to render counts as "not supported". {@link PolyfilledTemplate} rewrites conversations for the
 * features that are missing.
 *
 * @param requiresObjectArguments the template shows tool-call arguments only when they are an object, not a
 *     JSON string (Llama 3.1 does {@code arguments | tojson})
 * @param requiresNonNullContent  an assistant message with null content breaks the template
 * @param requiresTypedContent    content must be a list of {@code {"type": "text", "text": ...}} parts
 * @param toolCallExample         for templates that cannot list tools: how one tool call renders, shown to the
 *     model in the tool list polyfill; empty when not inferred
 */
public record TemplateCapabilities(boolean supportsSystemRole, boolean supportsTools, boolean supportsToolCalls,
                                   boolean supportsToolResponses, boolean supportsParallelToolCalls,
                                   boolean supportsToolCallId, boolean requiresObjectArguments,
                                   boolean requiresNonNullContent, boolean requiresTypedContent,
                                   String toolCallExample) {

    private static final String USER_NEEDLE = "<User Needle>";
    private static final String SYSTEM_NEEDLE = "<System Needle>";
    /** minja renders its probes at the Unix epoch. */
    private static final LocalDateTime PROBE_TIME = LocalDateTime.of(1970, 1, 1, 0, 0);

    TemplateCapabilities withToolCallExample(String example) {
        return new TemplateCapabilities(supportsSystemRole, supportsTools, supportsToolCalls, supportsToolResponses,
                supportsParallelToolCalls, supportsToolCallId, requiresObjectArguments, requiresNonNullContent,
                requiresTypedContent, example);
    }

    /** Probes {@code template} rendered with these special tokens. */
    static TemplateCapabilities probe(ChatTemplate template, String bosToken, String eosToken) {
        Prober p = new Prober(template, bosToken, eosToken);
        Map<String, Object> strUser = message("user", USER_NEEDLE);
        Map<String, Object> typedUser = message("user", List.of(textPart(USER_NEEDLE)));
        boolean typedContent = !p.renders(List.of(strUser), USER_NEEDLE) && p.renders(List.of(typedUser), USER_NEEDLE);
        Map<String, Object> user = typedContent ? typedUser : strUser;
        Map<String, Object> system = message("system", typedContent ? List.of(textPart(SYSTEM_NEEDLE)) : SYSTEM_NEEDLE);
        boolean systemRole = p.renders(List.of(system, user), SYSTEM_NEEDLE);

        Map<String, Object> parameters = map("type", "object",
                "properties", map("arg", map("type", "string", "description", "Some argument.")),
                "required", List.of("arg"));
        List<Map<String, Object>> someTool = List.of(map("name", "some_tool", "type", "function",
                "function", map("name", "some_tool", "description", "Some tool.", "parameters", parameters)));
        boolean tools = p.render(List.of(user), someTool).contains("some_tool");

        Map<String, Object> argsObject = map("argument_needle", "print('Hello, World!')");
        String argsString = Json.write(argsObject);
        boolean stringArguments = showsArguments(p.render(List.of(user,
                toolCallMessage(toolCall("ipython", argsString))), null));
        boolean objectArguments = showsArguments(p.render(List.of(user,
                toolCallMessage(toolCall("ipython", argsObject))), null));
        boolean toolCalls = stringArguments || objectArguments;
        boolean objectArgsRequired = !stringArguments && objectArguments;

        boolean nonNullContent = p.renders(List.of(user, message("assistant", "")), USER_NEEDLE)
                && !p.renders(List.of(user, message("assistant", null)), USER_NEEDLE);

        boolean parallel = false;
        boolean toolResponses = false;
        boolean toolCallId = false;
        if (toolCalls) {
            Object dummyArgs = objectArgsRequired ? argsObject : argsString;
            Map<String, Object> tc1 = toolCall("test_tool1", dummyArgs);
            Map<String, Object> tc2 = toolCall("test_tool2", dummyArgs);
            String both = p.render(List.of(user, toolCallMessage(tc1, tc2)), null);
            parallel = both.contains("test_tool1") && both.contains("test_tool2");
            Map<String, Object> response = map("role", "tool", "name", "test_tool1", "content", "Some response!",
                    "tool_call_id", "call_911_");
            String withResponse = p.render(List.of(user, toolCallMessage(tc1), response), null);
            toolResponses = withResponse.contains("Some response!");
            toolCallId = withResponse.contains("call_911_");
        }
        TemplateCapabilities caps = new TemplateCapabilities(systemRole, tools, toolCalls, toolResponses, parallel,
                toolCallId, objectArgsRequired, nonNullContent, typedContent, "");
        return tools ? caps : caps.withToolCallExample(inferToolCallExample(template, caps, bosToken, eosToken));
    }

    private static boolean showsArguments(String out) {
        return out.contains("\"argument_needle\":") || out.contains("'argument_needle':");
    }

    /**
     * Renders one user turn with and without a following tool call, and keeps what the tool call added: the
     * syntax to show the model. As in minja, a trailing EOS is cut, and the common prefix never ends on a
     * {@code <} (DeepSeek R1 ends the prompt with {@code <think>} but a tool-call turn with
     * {@code <｜tool▁calls▁begin｜>}).
     */
    private static String inferToolCallExample(ChatTemplate template, TemplateCapabilities caps, String bos,
                                               String eos) {
        Map<String, Object> user = message("user", "Hey");
        Map<String, Object> args = map("arg1", "some_value");
        Map<String, Object> call = toolCallMessage(toolCall("tool_name",
                caps.requiresObjectArguments() ? args : Json.write(args, Json.Style.PYTHON)));
        PolyfilledTemplate polyfilled = new PolyfilledTemplate(template, caps, bos, eos);
        String prefix;
        String full;
        try {
            prefix = polyfilled.render(List.of(user), null, true, Map.of(), PROBE_TIME);
            full = polyfilled.render(List.of(user, call), null, false, Map.of(), PROBE_TIME);
        } catch (TemplateException | IllegalArgumentException e) {
            return "";
        }
        int eosAt = eos.isEmpty() ? -1 : full.lastIndexOf(eos);
        if (eosAt >= 0 && (eosAt == prefix.length() - eos.length()
                || (full.endsWith("\n") && eosAt == full.length() - eos.length() - 1))) {
            full = full.substring(0, eosAt);
        }
        int common = 0;
        for (int i = 0; i < prefix.length() && i < full.length(); i++) {
            if (prefix.charAt(i) != full.charAt(i)) {
                break;
            }
            if (prefix.charAt(i) != '<') {
                common = i + 1;
            }
        }
        String example = full.substring(common);
        return example.contains("tool_name") || example.contains("some_value") ? example : "";
    }

    /** Renders probe conversations without polyfills; a render that fails yields "". */
    private record Prober(ChatTemplate template, String bos, String eos) {

        String render(List<Map<String, Object>> messages, List<Map<String, Object>> tools) {
            try {
                return template.render(new ChatTemplateInput(messages, tools, false, bos, eos, PROBE_TIME, Map.of()));
            } catch (TemplateException | IllegalArgumentException e) {
                return "";
            }
        }

        boolean renders(List<Map<String, Object>> messages, String needle) {
            return render(messages, null).contains(needle);
        }
    }

    private static Map<String, Object> toolCall(String name, Object arguments) {
        return map("id", "call_1___", "type", "function", "function", map("arguments", arguments, "name", name));
    }

    @SafeVarargs
    private static Map<String, Object> toolCallMessage(Map<String, Object>... calls) {
        return map("role", "assistant", "content", null, "tool_calls", new ArrayList<>(List.of(calls)));
    }

    private static Map<String, Object> message(String role, Object content) {
        return map("role", role, "content", content);
    }

    private static Map<String, Object> textPart(String text) {
        return map("type", "text", "text", text);
    }

    /** An insertion-ordered map that, unlike {@code Map.of}, keeps the given order and allows null values. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
