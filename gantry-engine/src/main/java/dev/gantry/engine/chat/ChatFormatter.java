package dev.gantry.engine.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a conversation into a prompt exactly as llama.cpp's server does with {@code --jinja} (its
 * {@code common/chat.cpp} on top of minja's {@code chat-template.hpp}):
 * <ol>
 *   <li>messages and tools are normalized ({@link OpenAiMessages}: empty content becomes null, ...);</li>
 *   <li>the model family is recognised by markers in the template source, which picks the tool-call
 *       {@link ToolCallFormat} and family-specific inputs: Llama 3.x gets {@code date_string} and
 *       {@code tools_in_user_message=false}, FireFunction {@code datetime} and {@code functions}, Hermes/Qwen
 *       {@code enable_thinking}; templates with no native tool syntax get a system message asking for JSON;</li>
 *   <li>the template renders with polyfills for what it lacks ({@link PolyfilledTemplate});</li>
 *   <li>one leading BOS and one trailing EOS are cut (the tokenizer adds them), and DeepSeek R1's official
 *       template gets llama.cpp's fixes for its tool-call turns.</li>
 * </ol>
 * A formatter probes its template once ({@link TemplateCapabilities}) and is then immutable and thread-safe.
 */
public final class ChatFormatter {

    private static final String GENERIC_SYSTEM_PROMPT = "Respond in JSON format, either with `tool_call` (a request"
            + " to call tools) or with `response` reply to the user's request";
    private static final Pattern DEEPSEEK_MISSING_CALLS_END =
            Pattern.compile("(<｜tool▁call▁end｜>)[\\s\\r\\n]*(<｜tool▁outputs▁begin｜>|<｜User｜>)");
    private static final Set<String> SEARCH_BUILTINS = Set.of("wolfram_alpha", "web_search", "brave_search");
    private static final Set<String> CODE_BUILTINS = Set.of("python", "code_interpreter");

    private final PolyfilledTemplate template;
    private final String bosToken;
    private final String eosToken;

    private ChatFormatter(PolyfilledTemplate template, String bosToken, String eosToken) {
        this.template = template;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
    }

    /**
     * Compiles and probes a template. {@code bosToken}/{@code eosToken} are the vocabulary's BOS and EOS pieces
     * (empty if the model has none).
     */
    public static ChatFormatter create(String templateSource, String bosToken, String eosToken) {
        Objects.requireNonNull(bosToken, "bosToken");
        Objects.requireNonNull(eosToken, "eosToken");
        ChatTemplate compiled = ChatTemplate.compile(templateSource);
        TemplateCapabilities caps = TemplateCapabilities.probe(compiled, bosToken, eosToken);
        return new ChatFormatter(new PolyfilledTemplate(compiled, caps, bosToken, eosToken), bosToken, eosToken);
    }

    public TemplateCapabilities capabilities() {
        return template.capabilities();
    }

    /**
     * Renders the prompt for {@code request}.
     *
     * @throws dev.gantry.engine.chat.jinja.TemplateException if the template fails or rejects the conversation
     * @throws IllegalArgumentException if a message or tool is malformed
     */
    public FormattedPrompt format(ChatRequest request) {
        String src = template.source();
        List<Map<String, Object>> messages =
                OpenAiMessages.messages(request.messages(), template.capabilities().requiresTypedContent());
        List<Map<String, Object>> tools = OpenAiMessages.tools(request.tools());
        Call call = new Call(request, messages, tools);

        if (src.contains("<｜tool▁calls▁begin｜>")) {
            return deepSeekR1(call);
        }
        if (src.contains("<|END_THINKING|><|START_ACTION|>")) {
            return commandR7b(call);
        }
        if (src.contains("<tool_call>")) {
            return hermes2Pro(call);
        }
        if (src.contains(">>>all")) {
            return new FormattedPrompt(apply(call, messages, tools, Map.of()), ToolCallFormat.FUNCTIONARY_V3_2, false);
        }
        if (src.contains(" functools[")) {
            return fireFunctionV2(call);
        }
        if (src.contains("<|start_header_id|>") && src.contains("<function=")) {
            return new FormattedPrompt(apply(call, messages, tools, Map.of()),
                    tools == null ? ToolCallFormat.CONTENT_ONLY : ToolCallFormat.FUNCTIONARY_V3_1_LLAMA_3_1, false);
        }
        if (src.contains("<|start_header_id|>ipython<|end_header_id|>")) {
            return llama3x(call, src.contains("<|python_tag|>"));
        }
        if (tools == null) {
            return new FormattedPrompt(apply(call, messages, null, Map.of()), ToolCallFormat.CONTENT_ONLY, false);
        }
        if (src.contains("[TOOL_CALLS]")) {
            return new FormattedPrompt(apply(call, messages, tools, Map.of()), ToolCallFormat.MISTRAL_NEMO, false);
        }
        List<Map<String, Object>> withJsonInstruction = PolyfilledTemplate.addSystem(messages, GENERIC_SYSTEM_PROMPT);
        return new FormattedPrompt(apply(call, withJsonInstruction, tools, Map.of()), ToolCallFormat.GENERIC, false);
    }

    /** One request being formatted, with its normalized messages and tools. */
    private record Call(ChatRequest request, List<Map<String, Object>> messages, List<Map<String, Object>> tools) {
    }

    private FormattedPrompt deepSeekR1(Call call) {
        String prompt = apply(call, call.messages(), call.tools(), Map.of());
        // llama.cpp repairs the official DeepSeek R1 template, which leaves tool outputs unterminated and omits
        // the end of a tool-call turn; the llama.cpp-provided template does not need it.
        if (template.source().contains("{% if ns.is_tool %}{{'<｜tool▁outputs▁end｜>'}}")) {
            if (prompt.endsWith("<｜tool▁outputs▁end｜>")) {
                prompt += "<｜end▁of▁sentence｜>";
                if (call.request().addGenerationPrompt()) {
                    prompt += "<｜Assistant｜>";
                }
            }
            prompt = DEEPSEEK_MISSING_CALLS_END.matcher(prompt)
                    .replaceAll("$1<｜tool▁calls▁end｜><｜end▁of▁sentence｜>$2");
        }
        return thinking(prompt, "<think>\n", "</think>", call, ToolCallFormat.DEEPSEEK_R1);
    }

    private FormattedPrompt commandR7b(Call call) {
        List<Map<String, Object>> adjusted = new ArrayList<>();
        for (Map<String, Object> m : call.messages()) {
            if (m.get("reasoning_content") instanceof String plan && m.get("tool_calls") instanceof List) {
                Map<String, Object> copy = new LinkedHashMap<>(m);
                copy.put("tool_plan", plan);
                copy.remove("reasoning_content");
                adjusted.add(copy);
            } else {
                adjusted.add(m);
            }
        }
        String prompt = apply(call, adjusted, call.tools(), Map.of());
        boolean enable = call.request().enableThinking();
        if (prompt.endsWith("<|START_THINKING|>")) {
            return thinking(prompt, "<|START_THINKING|>", "<|END_THINKING|>", call, ToolCallFormat.COMMAND_R7B);
        }
        if (!enable && prompt.endsWith("<|CHATBOT_TOKEN|>")) {
            prompt += "<|START_THINKING|><|END_THINKING|>";
        }
        return new FormattedPrompt(prompt, ToolCallFormat.COMMAND_R7B, false);
    }

    private FormattedPrompt hermes2Pro(Call call) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("enable_thinking", call.request().enableThinking());
        extra.putAll(call.request().templateKwargs());
        String prompt = render(call, call.messages(), call.tools(), extra);
        boolean enable = !Boolean.FALSE.equals(extra.get("enable_thinking"));
        if (prompt.endsWith("<think>\n")) {
            return enable ? new FormattedPrompt(prompt, ToolCallFormat.HERMES_2_PRO, true)
                    : new FormattedPrompt(prompt + "</think>", ToolCallFormat.HERMES_2_PRO, false);
        }
        return new FormattedPrompt(prompt, ToolCallFormat.HERMES_2_PRO, false);
    }

    private FormattedPrompt fireFunctionV2(Call call) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("datetime", Strftime.format(call.request().now(), "%b %d %Y %H:%M:%S GMT"));
        extra.put("functions", call.tools() == null ? "" : Json.write(call.tools(), Json.Style.indented(2)));
        String prompt = apply(call, call.messages(), null, extra);
        return new FormattedPrompt(prompt,
                call.tools() == null ? ToolCallFormat.CONTENT_ONLY : ToolCallFormat.FIREFUNCTION_V2, false);
    }

    private FormattedPrompt llama3x(Call call, boolean allowBuiltinTools) {
        List<Object> builtinTools = new ArrayList<>();
        if (call.tools() != null && allowBuiltinTools) {
            for (Map<String, Object> tool : call.tools()) {
                if (tool.get("function") instanceof Map<?, ?> fn && fn.get("name") instanceof String name) {
                    if (SEARCH_BUILTINS.contains(name)) {
                        expectParameters(name, fn.get("parameters"), "query");
                        builtinTools.add(name);
                    } else if (CODE_BUILTINS.contains(name)) {
                        expectParameters(name, fn.get("parameters"), "code");
                        builtinTools.add(name);
                    }
                }
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("date_string", Strftime.format(call.request().now(), "%d %b %Y"));
        extra.put("tools_in_user_message", false);
        extra.put("builtin_tools", builtinTools.isEmpty() ? null : builtinTools);
        String prompt = apply(call, call.messages(), call.tools(), extra);
        ToolCallFormat format = call.tools() == null ? ToolCallFormat.CONTENT_ONLY
                : allowBuiltinTools && !builtinTools.isEmpty() ? ToolCallFormat.LLAMA_3_X_WITH_BUILTIN_TOOLS
                : ToolCallFormat.LLAMA_3_X;
        return new FormattedPrompt(prompt, format, false);
    }

    /** Llama's built-in tools must take exactly their one documented, required parameter. */
    private static void expectParameters(String tool, Object parameters, String property) {
        if (!(parameters instanceof Map<?, ?> p) || !"object".equals(p.get("type"))
                || !(p.get("properties") instanceof Map<?, ?> properties)
                || !(p.get("required") instanceof List<?> required)) {
            throw new IllegalArgumentException("Parameters of tool " + tool
                    + " must be an object w/ required properties");
        }
        if (!properties.containsKey(property)) {
            throw new IllegalArgumentException("Parameters of tool " + tool + " is missing property: " + property);
        }
        if (!required.contains(property)) {
            throw new IllegalArgumentException("Parameters of tool " + tool
                    + " must have property marked as required: " + property);
        }
        if (properties.size() != 1) {
            throw new IllegalArgumentException("Parameters of tool " + tool + " must only have these properties:"
                    + property);
        }
    }

    private FormattedPrompt thinking(String prompt, String open, String close, Call call, ToolCallFormat format) {
        if (prompt.endsWith(open)) {
            return call.request().enableThinking() ? new FormattedPrompt(prompt, format, true)
                    : new FormattedPrompt(prompt + close, format, false);
        }
        return new FormattedPrompt(prompt, format, false);
    }

    /** Renders with the request's template kwargs under the family's own variables. */
    private String apply(Call call, List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                         Map<String, Object> familyExtra) {
        Map<String, Object> extra = new LinkedHashMap<>(call.request().templateKwargs());
        extra.putAll(familyExtra);
        return render(call, messages, tools, extra);
    }

    private String render(Call call, List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                          Map<String, Object> extra) {
        String out = template.render(messages, tools, call.request().addGenerationPrompt(), extra,
                call.request().now());
        // The tokenizer adds BOS (and the server stops at EOS) itself; a template that prints them would double them.
        if (!bosToken.isEmpty() && out.startsWith(bosToken)) {
            out = out.substring(bosToken.length());
        }
        if (!eosToken.isEmpty() && out.endsWith(eosToken)) {
            out = out.substring(0, out.length() - eosToken.length());
        }
        return out;
    }
}
