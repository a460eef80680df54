package dev.gantry.server.openai;

import dev.gantry.engine.chat.Json;
import dev.gantry.engine.chat.ParsedResponse;
import dev.gantry.engine.chat.ToolCall;
import dev.gantry.engine.chat.ToolCallFormat;
import dev.gantry.engine.chat.ToolCallParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a streamed answer into content deltas and OpenAI {@code tool_calls} deltas as the text arrives: content is
 * passed on until a tool call could be starting (text that might begin the family's marker is held back), then each
 * call goes out as a first delta with {@code index}, {@code id}, {@code type} and {@code function.name}, then its
 * {@code function.arguments} in pieces as they are written. The arguments are the model's raw JSON text, so their
 * pieces concatenate to valid JSON of the same value the non-streamed answer carries.
 *
 * <p>Each step re-reads the whole text so far (a few kilobytes at most) and sends what is new; a tool call's
 * markup never reaches {@code content}. Families whose calls are not a JSON object after a marker
 * (Functionary v3.2, DeepSeek R1, Llama's {@code <|python_tag|>}) and text that stops looking like a call are decided
 * at the end by {@link ToolCallParser}, as the non-streamed answer is.
 */
final class ToolCallStream {

    /** One delta to send: content text, or a piece of the call at {@code index}. */
    record Delta(String content, Map<String, Object> toolCall) {
    }

    /** How one family starts and writes its calls. */
    private record Syntax(String marker, boolean array, String nameKey, String argsKey, String thinkOpen, String thinkClose,
                          String wrapper) {
    }

    /** A call as far as it is read: its name once complete, its raw arguments so far. */
    private record Partial(String name, String arguments) {
    }

    private final ToolCallFormat format;
    private final boolean forcedOpen;
    private final String idPrefix;
    private final Syntax syntax;
    private final StringBuilder text = new StringBuilder();
    private int contentSent;
    private final List<Integer> argumentsSent = new ArrayList<>();
    private boolean failed;

    ToolCallStream(ToolCallFormat format, boolean thinkingForcedOpen, String idPrefix) {
        this.format = format;
        this.forcedOpen = thinkingForcedOpen;
        this.idPrefix = idPrefix;
        this.syntax = switch (format) {
            case HERMES_2_PRO -> new Syntax("<tool_call>", false, "name", "arguments", "<think>", "</think>", null);
            case MISTRAL_NEMO -> new Syntax("[TOOL_CALLS]", true, "name", "arguments", null, null, null);
            case FIREFUNCTION_V2 -> new Syntax(" functools", true, "name", "arguments", null, null, null);
            case COMMAND_R7B -> new Syntax("<|START_ACTION|>", true, "tool_name", "parameters", "<|START_THINKING|>",
                    "<|END_THINKING|>", null);
            case LLAMA_3_X -> new Syntax("", false, "name", "parameters", null, null, null);
            case GENERIC -> new Syntax("", false, "name", "arguments", null, null, "tool_call");
            case FUNCTIONARY_V3_1_LLAMA_3_1 -> new Syntax("<function=", false, null, null, null, null, null);
            default -> null;
        };
    }

    /** The deltas that {@code piece} of text completes. */
    List<Delta> accept(String piece) {
        text.append(piece);
        return syntax == null ? List.of() : deltas(false);
    }

    /** The deltas left once the answer is complete; {@link #calledTools()} then tells the finish reason. */
    List<Delta> finish() {
        List<Delta> out = new ArrayList<>(syntax == null ? List.of() : deltas(true));
        if (!argumentsSent.isEmpty()) {
            return out;
        }
        // Nothing streamed as a call: decide from the whole answer, as the non-streamed response does.
        ParsedResponse parsed = ToolCallParser.parse(text.toString(), format, forcedOpen);
        if (parsed.toolCalls().isEmpty()) {
            String rest = text.substring(contentSent);
            if (!rest.isEmpty()) {
                out.add(new Delta(rest, null));
            }
            return out;
        }
        if (contentSent == 0 && !parsed.content().isEmpty()) {
            out.add(new Delta(parsed.content(), null));
        }
        int index = 0;
        for (ToolCall call : parsed.toolCalls()) {
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", call.name());
            function.put("arguments", call.arguments());
            out.add(new Delta(null, header(index, call.id(), function)));
            argumentsSent.add(call.arguments().length());
            index++;
        }
        return out;
    }

    /** Whether any tool call was sent: the finish reason is then {@code tool_calls}. */
    boolean calledTools() {
        return !argumentsSent.isEmpty();
    }

    private List<Delta> deltas(boolean end) {
        List<Delta> out = new ArrayList<>();
        if (failed) {
            return out;
        }
        String s = text.toString();
        int body = bodyStart(s);
        if (body < 0) {
            return out; // still reasoning
        }
        int marker = markerAt(s, body);
        int contentEnd = marker >= 0 ? marker : end ? s.length() : s.length() - heldBack(s, body);
        while ((marker >= 0 || !end) && contentEnd > body && Character.isWhitespace(s.charAt(contentEnd - 1))) {
            contentEnd--; // whitespace before a call goes with it, so it waits to see what follows
        }
        if (argumentsSent.isEmpty() && contentEnd > Math.max(contentSent, body)) {
            out.add(new Delta(s.substring(Math.max(contentSent, body), contentEnd), null));
            contentSent = contentEnd;
        }
        if (marker < 0) {
            return out;
        }
        List<Partial> calls;
        try {
            calls = calls(s, marker);
        } catch (IllegalArgumentException e) {
            failed = argumentsSent.isEmpty();
            return out;
        }
        for (int i = 0; i < calls.size(); i++) {
            Partial p = calls.get(i);
            if (p.name() == null) {
                break;
            }
            if (i >= argumentsSent.size()) {
                Map<String, Object> function = new LinkedHashMap<>();
                function.put("name", p.name());
                function.put("arguments", "");
                out.add(new Delta(null, header(i, "", function)));
                argumentsSent.add(0);
            }
            int sent = argumentsSent.get(i);
            if (p.arguments().length() > sent) {
                Map<String, Object> call = new LinkedHashMap<>();
                call.put("index", i);
                call.put("function", Map.of("arguments", p.arguments().substring(sent)));
                out.add(new Delta(null, call));
                argumentsSent.set(i, p.arguments().length());
            }
        }
        return out;
    }

    private Map<String, Object> header(int index, String id, Map<String, Object> function) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("index", index);
        call.put("id", id == null || id.isBlank() ? idPrefix + "-" + index : id);
        call.put("type", "function");
        call.put("function", function);
        return call;
    }

    /** Where the answer proper starts after a reasoning block, or -1 while the block is still open. */
    private int bodyStart(String s) {
        if (syntax.thinkOpen() == null) {
            return 0;
        }
        String lead = s.stripLeading();
        boolean opened = lead.startsWith(syntax.thinkOpen());
        if (!forcedOpen && !opened) {
            return syntax.thinkOpen().startsWith(lead) && !lead.isEmpty() ? -1 : 0;
        }
        int close = s.indexOf(syntax.thinkClose());
        if (close < 0) {
            return -1;
        }
        int at = close + syntax.thinkClose().length();
        while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
            at++;
        }
        return at;
    }

    /** Where a call starts, or -1. Marker-less families (Llama 3.x, generic JSON) start with '{' or not at all. */
    private int markerAt(String s, int from) {
        if (syntax.marker().isEmpty()) {
            int at = from;
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
            return at < s.length() && s.charAt(at) == '{' ? at : -1;
        }
        return s.indexOf(syntax.marker(), from);
    }

    /** How many trailing characters might begin a call, so are not yet sent as content. */
    private int heldBack(String s, int from) {
        if (syntax.marker().isEmpty()) {
            return s.substring(from).isBlank() ? s.length() - from : 0;
        }
        String m = syntax.marker();
        for (int k = Math.min(m.length() - 1, s.length() - from); k > 0; k--) {
            if (s.endsWith(m.substring(0, k))) {
                return k;
            }
        }
        return 0;
    }

    /** The calls written from {@code marker} on, the last one possibly unfinished; throws if it is not a call. */
    private List<Partial> calls(String s, int marker) {
        List<Partial> calls = new ArrayList<>();
        int pos = marker + syntax.marker().length();
        if (syntax.argsKey() == null) {
            return functionTags(s, marker);
        }
        if (syntax.wrapper() != null) {
            pos = unwrap(s, pos);
            if (pos < 0) {
                return calls;
            }
        }
        if (syntax.array()) {
            pos = skipSpace(s, pos);
            if (pos >= s.length()) {
                return calls;
            }
            if (s.charAt(pos) != '[') {
                throw new IllegalArgumentException("no call array");
            }
            pos++;
        }
        while (true) {
            pos = skipSpace(s, pos);
            if (pos >= s.length()) {
                return calls;
            }
            char c = s.charAt(pos);
            if (syntax.array() && (c == ',' || c == ']')) {
                if (c == ']') {
                    return calls;
                }
                pos++;
                continue;
            }
            if (c != '{') {
                if (!syntax.array() && !syntax.marker().isEmpty()) {
                    int next = s.indexOf(syntax.marker(), pos);
                    if (next >= 0 && s.substring(pos, next).strip().replace("</tool_call>", "").isBlank()) {
                        pos = next + syntax.marker().length();
                        continue;
                    }
                }
                return calls;
            }
            int end = object(s, pos, calls);
            if (end < 0 || syntax.marker().isEmpty()) {
                return calls;
            }
            pos = end;
        }
    }

    /** Generic JSON: past {@code {"tool_call":} to the call object; -1 while undecided. */
    private int unwrap(String s, int pos) {
        int at = skipSpace(s, pos + 1);
        String key = "\"" + syntax.wrapper() + "\"";
        if (at + key.length() > s.length()) {
            if (!key.startsWith(s.substring(at))) {
                throw new IllegalArgumentException("not a tool call");
            }
            return -1;
        }
        if (!s.startsWith(key, at)) {
            throw new IllegalArgumentException("not a tool call");
        }
        at = skipSpace(s, at + key.length());
        if (at >= s.length()) {
            return -1;
        }
        if (s.charAt(at) != ':') {
            throw new IllegalArgumentException("not a tool call");
        }
        return at + 1;
    }

    /** Reads one call object at {@code pos}; returns where it ends, or -1 while unfinished. */
    private int object(String s, int pos, List<Partial> calls) {
        String name = null;
        String arguments = "";
        int at = pos + 1;
        int index = calls.size();
        calls.add(new Partial(null, ""));
        while (true) {
            at = skipSpace(s, at);
            if (at >= s.length()) {
                return -1;
            }
            if (s.charAt(at) == '}') {
                return at + 1;
            }
            if (s.charAt(at) == ',') {
                at++;
                continue;
            }
            int keyEnd = JsonValues.end(s, at);
            if (keyEnd < 0) {
                return -1;
            }
            Object key = Json.parseAt(s, at).value();
            at = skipSpace(s, keyEnd);
            if (at >= s.length()) {
                return -1;
            }
            if (s.charAt(at) != ':') {
                throw new IllegalArgumentException("expected ':'");
            }
            int valueStart = skipSpace(s, at + 1);
            if (valueStart >= s.length()) {
                return -1;
            }
            int valueEnd = JsonValues.end(s, valueStart);
            if (syntax.nameKey().equals(key)) {
                if (valueEnd < 0) {
                    return -1;
                }
                if (!(Json.parseAt(s, valueStart).value() instanceof String n)) {
                    throw new IllegalArgumentException("the name is not a string");
                }
                name = n;
            } else if (syntax.argsKey().equals(key)) {
                arguments = s.substring(valueStart, valueEnd < 0 ? s.length() : valueEnd);
            }
            calls.set(index, new Partial(name, arguments));
            if (valueEnd < 0) {
                return -1;
            }
            at = valueEnd;
        }
    }

    /** Functionary v3.1: {@code <function=name>{...}</function>}, repeated. */
    private List<Partial> functionTags(String s, int marker) {
        List<Partial> calls = new ArrayList<>();
        int pos = marker;
        while (pos >= 0 && pos < s.length()) {
            int nameStart = pos + syntax.marker().length();
            int close = s.indexOf('>', nameStart);
            if (close < 0) {
                return calls;
            }
            String name = s.substring(nameStart, close);
            int argsStart = close + 1;
            if (argsStart >= s.length()) {
                calls.add(new Partial(name, ""));
                return calls;
            }
            int argsEnd = JsonValues.end(s, argsStart);
            calls.add(new Partial(name, s.substring(argsStart, argsEnd < 0 ? s.length() : argsEnd)));
            if (argsEnd < 0) {
                return calls;
            }
            pos = s.indexOf(syntax.marker(), argsEnd);
        }
        return calls;
    }

    private static int skipSpace(String s, int pos) {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
        return pos;
    }
}
