package dev.gantry.engine.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads tool calls (and reasoning) out of a complete model answer, for the syntax each model family was trained on
 * ({@link ToolCallFormat}, as {@link ChatFormatter} reports it). The syntaxes are those llama.cpp's
 * {@code common/chat.cpp} parses. Text that looks like a tool call but does not parse stays content: a parser
 * never loses output.
 */
public final class ToolCallParser {

    private static final Pattern DEEPSEEK_CALLS_BEGIN = Pattern.compile(
            "<｜tool▁calls▁begin｜>|<｜tool_calls_begin｜>|<｜tool calls begin｜>|<｜tool\\\\_calls\\\\_begin｜>|<｜tool▁calls｜>");
    private static final Pattern DEEPSEEK_CALL = Pattern.compile(
            "\\s*(?:<｜tool▁call▁begin｜>)?function<｜tool▁sep｜>([^\\n]+)\\n```json\\n");
    private static final Pattern DEEPSEEK_CALL_END = Pattern.compile("\\s*```[\\s\\r\\n]*<｜tool▁call▁end｜>");
    private static final Pattern HERMES_OPEN = Pattern.compile(
            "<(tool_call|function_call|tool|tools|response|json|xml|JSON)>|<function=([^>]+)>|<function name=\"([^\"]+)\">");
    private static final Pattern FUNCTION_TAG = Pattern.compile("<function=(\\w+)>");
    private static final Pattern FUNCTIONARY_SEGMENT = Pattern.compile("(\\w+)\\n(.*)", Pattern.DOTALL);
    private static final Pattern PYTHON_TAG_CALL = Pattern.compile("\\s*(\\w+)\\s*\\.\\s*call\\(");
    private static final Pattern PYTHON_TAG_ARG = Pattern.compile("\\s*(\\w+)\\s*=\\s*");

    private ToolCallParser() {
    }

    /**
     * @param thinkingForcedOpen the prompt ended inside a reasoning block ({@link FormattedPrompt}), so the answer
     *     starts with reasoning
     */
    public static ParsedResponse parse(String output, ToolCallFormat format, boolean thinkingForcedOpen) {
        return switch (format) {
            case CONTENT_ONLY -> new ParsedResponse(output, "", List.of());
            case GENERIC -> generic(output);
            case MISTRAL_NEMO -> prefixedArray(output, "[TOOL_CALLS]", 0);
            case FIREFUNCTION_V2 -> prefixedArray(output, " functools[", 1);
            case LLAMA_3_X -> llama3(output, false);
            case LLAMA_3_X_WITH_BUILTIN_TOOLS -> llama3(output, true);
            case DEEPSEEK_R1 -> withReasoning(output, "<think>", "</think>", thinkingForcedOpen,
                    ToolCallParser::deepSeekR1);
            case HERMES_2_PRO -> withReasoning(output, "<think>", "</think>", thinkingForcedOpen,
                    ToolCallParser::hermes);
            case COMMAND_R7B -> withReasoning(output, "<|START_THINKING|>", "<|END_THINKING|>", thinkingForcedOpen,
                    ToolCallParser::commandR7b);
            case FUNCTIONARY_V3_2 -> functionaryV32(output);
            case FUNCTIONARY_V3_1_LLAMA_3_1 -> functionaryV31(output);
        };
    }

    /** Content and calls collected while scanning one answer. */
    private static final class Result {
        final StringBuilder content = new StringBuilder();
        final List<ToolCall> calls = new ArrayList<>();

        ParsedResponse done(String reasoning) {
            String text = calls.isEmpty() ? content.toString() : content.toString().strip();
            return new ParsedResponse(text, reasoning, calls);
        }
    }

    private static ParsedResponse withReasoning(String output, String open, String close, boolean forcedOpen,
                                                java.util.function.Function<String, ParsedResponse> rest) {
        String text = output;
        String reasoning = "";
        String lead = text.stripLeading();
        if (forcedOpen || lead.startsWith(open)) {
            String inside = forcedOpen && !lead.startsWith(open) ? text : lead.substring(open.length());
            int end = inside.indexOf(close);
            if (end < 0) {
                return new ParsedResponse("", inside.strip(), List.of());
            }
            reasoning = inside.substring(0, end).strip();
            text = inside.substring(end + close.length()).stripLeading();
        }
        ParsedResponse parsed = rest.apply(text);
        return new ParsedResponse(parsed.content(), reasoning, parsed.toolCalls());
    }

    // ---- families ----

    /** {@code {"tool_calls": [{"name", "arguments", "id"}]}}, {@code {"tool_call": {...}}} or {@code {"response": ...}}. */
    private static ParsedResponse generic(String output) {
        String t = output.strip();
        if (!t.startsWith("{")) {
            return t.contains("Action:") ? commandRAction(output) : new ParsedResponse(output, "", List.of());
        }
        Object value;
        try {
            value = Json.parseAt(t, 0).value();
        } catch (IllegalArgumentException e) {
            return new ParsedResponse(output, "", List.of());
        }
        Result r = new Result();
        if (value instanceof Map<?, ?> m) {
            if (m.get("tool_calls") instanceof List<?> calls) {
                calls.forEach(c -> addCall(r, c, "name", "arguments", "id"));
                return r.done("");
            }
            if (m.containsKey("tool_call")) {
                addCall(r, m.get("tool_call"), "name", "arguments", "id");
                return r.done("");
            }
            if (m.containsKey("response")) {
                Object response = m.get("response");
                return new ParsedResponse(response instanceof String s ? s : Json.write(response,
                        Json.Style.indented(2)), "", List.of());
            }
        }
        return new ParsedResponse(output, "", List.of());
    }

    /** Command R+'s own syntax: {@code Action: ```json [{"tool_name": ..., "parameters": {...}}] ```}. */
    private static ParsedResponse commandRAction(String output) {
        int action = output.indexOf("Action:");
        int fence = output.indexOf("```json", action);
        if (fence < 0) {
            return new ParsedResponse(output, "", List.of());
        }
        try {
            Object actions = Json.parseAt(output, fence + "```json".length()).value();
            Result r = new Result();
            r.content.append(output, 0, action);
            if (actions instanceof List<?> list) {
                for (Object a : list) {
                    if (!(a instanceof Map<?, ?> m) || !"directly-answer".equals(m.get("tool_name"))) {
                        addCall(r, a, "tool_name", "parameters", "tool_call_id");
                    }
                }
            }
            return r.done("");
        } catch (IllegalArgumentException e) {
            return new ParsedResponse(output, "", List.of());
        }
    }

    /** Mistral {@code [TOOL_CALLS][...]} and FireFunction {@code  functools[...]}: a JSON array after a marker. */
    private static ParsedResponse prefixedArray(String output, String marker, int keepLastChars) {
        int at = output.indexOf(marker);
        if (at < 0) {
            return new ParsedResponse(output, "", List.of());
        }
        Result r = new Result();
        r.content.append(output, 0, at);
        try {
            Json.ParseResult calls = Json.parseAt(output, at + marker.length() - keepLastChars);
            if (!(calls.value() instanceof List<?> list)) {
                return new ParsedResponse(output, "", List.of());
            }
            list.forEach(c -> addCall(r, c, "name", "arguments", "id"));
            r.content.append(output.substring(calls.end()));
        } catch (IllegalArgumentException e) {
            return new ParsedResponse(output, "", List.of());
        }
        return r.done("");
    }

    /** Llama 3.x: one {@code {"name": ..., "parameters": {...}}} object, or a built-in {@code <|python_tag|>}. */
    private static ParsedResponse llama3(String output, boolean builtinTools) {
        if (builtinTools) {
            int tag = output.indexOf("<|python_tag|>");
            if (tag >= 0) {
                ParsedResponse builtin = pythonTagCall(output, tag);
                if (builtin != null) {
                    return builtin;
                }
            }
        }
        String lead = output.stripLeading();
        if (lead.startsWith("{")) {
            try {
                Json.ParseResult call = Json.parseAt(lead, 0);
                if (call.value() instanceof Map<?, ?> m && m.get("name") instanceof String
                        && m.containsKey("parameters")) {
                    Result r = new Result();
                    addCall(r, m, "name", "parameters", "id");
                    r.content.append(lead.substring(call.end()));
                    return r.done("");
                }
            } catch (IllegalArgumentException e) {
                // not a tool call: plain content
            }
        }
        return new ParsedResponse(output, "", List.of());
    }

    /** {@code <|python_tag|>brave_search.call(query="...")}: arguments are JSON values after {@code name=}. */
    private static ParsedResponse pythonTagCall(String output, int tag) {
        int pos = tag + "<|python_tag|>".length();
        Matcher fn = PYTHON_TAG_CALL.matcher(output).region(pos, output.length());
        if (!fn.lookingAt()) {
            return null;
        }
        pos = fn.end();
        Map<String, Object> args = new LinkedHashMap<>();
        try {
            while (true) {
                Matcher arg = PYTHON_TAG_ARG.matcher(output).region(pos, output.length());
                if (!arg.lookingAt()) {
                    break;
                }
                Json.ParseResult value = Json.parseAt(output, arg.end());
                args.put(arg.group(1), value.value());
                pos = skipSpaces(output, value.end());
                if (pos < output.length() && output.charAt(pos) == ',') {
                    pos++;
                } else {
                    break;
                }
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        pos = skipSpaces(output, pos);
        if (pos >= output.length() || output.charAt(pos) != ')') {
            return null;
        }
        return new ParsedResponse(output.substring(0, tag).strip(), "",
                List.of(new ToolCall(fn.group(1), Json.write(args), "")));
    }

    /** DeepSeek R1: calls between {@code <｜tool▁calls▁begin｜>} and {@code <｜tool▁calls▁end｜>}. */
    private static ParsedResponse deepSeekR1(String output) {
        Matcher begin = DEEPSEEK_CALLS_BEGIN.matcher(output);
        if (!begin.find()) {
            return new ParsedResponse(output, "", List.of());
        }
        Result r = new Result();
        r.content.append(output, 0, begin.start());
        int pos = begin.end();
        try {
            while (true) {
                Matcher call = DEEPSEEK_CALL.matcher(output).region(pos, output.length());
                if (!call.lookingAt()) {
                    break;
                }
                Json.ParseResult args = Json.parseAt(output, call.end());
                Matcher end = DEEPSEEK_CALL_END.matcher(output).region(args.end(), output.length());
                if (!end.lookingAt()) {
                    return new ParsedResponse(output, "", List.of());
                }
                r.calls.add(new ToolCall(call.group(1).strip(), arguments(args.value()), ""));
                pos = end.end();
            }
        } catch (IllegalArgumentException e) {
            return new ParsedResponse(output, "", List.of());
        }
        String rest = output.substring(pos).stripLeading();
        if (rest.startsWith("<｜tool▁calls▁end｜>")) {
            rest = rest.substring("<｜tool▁calls▁end｜>".length());
        }
        r.content.append(rest);
        return r.done("");
    }

    /**
     * Hermes 2 Pro / Qwen: {@code <tool_call>{"name", "arguments"}</tool_call>}, any number, also with the other
     * wrapper tags models produce, or {@code <function=name>{...}</function>}.
     */
    private static ParsedResponse hermes(String output) {
        Result r = new Result();
        int pos = 0;
        Matcher open = HERMES_OPEN.matcher(output);
        while (open.find(pos)) {
            r.content.append(output, pos, open.start());
            int next = hermesCall(output, open, r);
            if (next < 0) {
                r.content.append(open.group());
                pos = open.end();
            } else {
                pos = next;
            }
        }
        r.content.append(output.substring(pos));
        return r.done("");
    }

    /** Parses the call opened by {@code open}; returns where it ends, or -1 if it is not a valid call. */
    private static int hermesCall(String output, Matcher open, Result r) {
        try {
            Json.ParseResult json = Json.parseAt(output, open.end());
            String close;
            if (open.group(1) != null) {
                if (!(json.value() instanceof Map<?, ?> m) || !(m.get("name") instanceof String)
                        || !m.containsKey("arguments")) {
                    return -1;
                }
                addCall(r, m, "name", "arguments", "id");
                close = "</" + open.group(1) + ">";
            } else {
                String name = open.group(2) != null ? open.group(2) : open.group(3);
                r.calls.add(new ToolCall(name, arguments(json.value()), ""));
                close = "</function>";
            }
            int pos = skipSpaces(output, json.end());
            return output.startsWith(close, pos) ? skipSpaces(output, pos + close.length()) : pos;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** Command R7B: {@code <|START_ACTION|>[{"tool_call_id", "tool_name", "parameters"}]<|END_ACTION|>}. */
    private static ParsedResponse commandR7b(String output) {
        int action = output.indexOf("<|START_ACTION|>");
        if (action >= 0) {
            try {
                Json.ParseResult calls = Json.parseAt(output, action + "<|START_ACTION|>".length());
                if (calls.value() instanceof List<?> list) {
                    Result r = new Result();
                    r.content.append(output, 0, action);
                    list.forEach(c -> addCall(r, c, "tool_name", "parameters", "tool_call_id"));
                    return r.done("");
                }
            } catch (IllegalArgumentException e) {
                return new ParsedResponse(output, "", List.of());
            }
        }
        int response = output.indexOf("<|START_RESPONSE|>");
        if (response >= 0) {
            String text = output.substring(response + "<|START_RESPONSE|>".length());
            int end = text.indexOf("<|END_RESPONSE|>");
            return new ParsedResponse(end >= 0 ? text.substring(0, end) : text, "", List.of());
        }
        return new ParsedResponse(output, "", List.of());
    }

    /**
     * Functionary v3.2: segments separated by {@code >>>}, each {@code name\n} then JSON arguments; {@code all\n}
     * is plain content; {@code python\n} may be followed by raw code.
     */
    private static ParsedResponse functionaryV32(String output) {
        Result r = new Result();
        String[] segments = output.split(">>>", -1);
        for (String segment : segments) {
            Matcher m = FUNCTIONARY_SEGMENT.matcher(segment);
            if (!m.matches()) {
                r.content.append(segment);
                continue;
            }
            String name = m.group(1);
            String body = m.group(2);
            if (name.equals("all")) {
                r.content.append(body);
            } else if (body.stripLeading().startsWith("{")) {
                try {
                    Json.ParseResult args = Json.parseAt(body, 0);
                    r.calls.add(new ToolCall(name, arguments(args.value()), ""));
                    r.content.append(body.substring(args.end()).strip());
                } catch (IllegalArgumentException e) {
                    r.content.append(segment);
                }
            } else if (name.equals("python")) {
                r.calls.add(new ToolCall("python", Json.write(Map.of("code", body)), ""));
            } else {
                r.content.append(segment);
            }
        }
        return r.done("");
    }

    /** Functionary v3.1: {@code <function=name>{...}</function>}, or {@code <|python_tag|>code} for Python. */
    private static ParsedResponse functionaryV31(String output) {
        int tag = output.indexOf("<|python_tag|>");
        if (tag >= 0) {
            String code = output.substring(tag + "<|python_tag|>".length());
            return new ParsedResponse(output.substring(0, tag).strip(), "",
                    List.of(new ToolCall("python", Json.write(Map.of("code", code)), "")));
        }
        Result r = new Result();
        int pos = 0;
        Matcher open = FUNCTION_TAG.matcher(output);
        while (open.find(pos)) {
            r.content.append(output, pos, open.start());
            try {
                Json.ParseResult args = Json.parseAt(output, open.end());
                int close = skipSpaces(output, args.end());
                r.calls.add(new ToolCall(open.group(1), arguments(args.value()), ""));
                pos = output.startsWith("</function>", close) ? close + "</function>".length() : close;
            } catch (IllegalArgumentException e) {
                r.content.append(open.group());
                pos = open.end();
            }
        }
        r.content.append(output.substring(pos));
        return r.done("");
    }

    // ---- helpers ----

    private static void addCall(Result r, Object call, String nameKey, String argumentsKey, String idKey) {
        if (call instanceof Map<?, ?> m && m.get(nameKey) instanceof String name) {
            Object id = m.get(idKey);
            r.calls.add(new ToolCall(name, arguments(m.get(argumentsKey)), id == null ? "" : String.valueOf(id)));
        }
    }

    /** Arguments as a JSON text; a model that wrote them as a JSON string already gave the text. */
    private static String arguments(Object value) {
        return switch (value) {
            case null -> "{}";
            case String s -> s;
            default -> Json.write(value);
        };
    }

    private static int skipSpaces(String s, int pos) {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
        return pos;
    }
}
