package dev.gantry.engine.chat.jinja;

import dev.gantry.engine.chat.jinja.Token.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a template into text and tags, applies whitespace control, and tokenizes the inside of tags.
 *
 * <p>Whitespace control follows minja (llama.cpp's Jinja engine) with the options chat templates are rendered
 * with in both llama.cpp and Hugging Face ({@code trim_blocks}, {@code lstrip_blocks}, no
 * {@code keep_trailing_newline}):
 * <ul>
 *   <li>{@code -} after a tag opener ({@code {%-}, {@code {{-}, {@code {#-}) strips all whitespace before it;
 *       {@code -} before a closer strips all whitespace after it.</li>
 *   <li>trim_blocks: one newline right after a block or comment tag is dropped (not after {@code }}}).</li>
 *   <li>lstrip_blocks: spaces and tabs between the start of a line and a tag are dropped. NOTE: minja does this
 *       before {@code {{} too, where Python Jinja2 only does it before block and comment tags; we follow minja
 *       because llama.cpp is the reference.</li>
 *   <li>A {@code +} ({@code {%+}, {@code +%}}) turns lstrip/trim off for that side of the tag, as in Jinja2.</li>
 *   <li>One trailing newline at the very end of the template is dropped.</li>
 * </ul>
 * Inside a tag, the end delimiter only counts outside brackets, so {@code {{ {'a': {'b': 1}} }}} works.
 */
final class Lexer {

    private static final Pattern RAW_OPEN = Pattern.compile("\\{%([-+]?)\\s*raw\\s*([-+]?)%}");
    private static final Pattern RAW_CLOSE = Pattern.compile("\\{%([-+]?)\\s*endraw\\s*([-+]?)%}");
    private static final String[] OPERATORS = {
        "//", "**", "==", "!=", "<=", ">=",
        "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", ";"
    };

    private enum Kind { TEXT, VAR, BLOCK, COMMENT, RAW_MARKER }

    /** A stretch of the source: text, or one tag with its tokens and whitespace modifiers. */
    private static final class Segment {
        final Kind kind;
        final int offset;
        String text;
        List<Token> tokens = List.of();
        char openModifier;  // '-', '+' or 0, right after the opener
        char closeModifier; // '-', '+' or 0, right before the closer
        int endOffset;

        Segment(Kind kind, int offset) {
            this.kind = kind;
            this.offset = offset;
        }
    }

    private final String source;
    private final boolean trimBlocks;
    private final boolean lstripBlocks;
    private final boolean keepTrailingNewline;
    /** Where the token last read by {@link #readToken} ends. */
    private int tokenEnd;

    Lexer(String source, boolean trimBlocks, boolean lstripBlocks, boolean keepTrailingNewline) {
        this.source = source;
        this.trimBlocks = trimBlocks;
        this.lstripBlocks = lstripBlocks;
        this.keepTrailingNewline = keepTrailingNewline;
    }

    List<Token> tokenize() {
        List<Segment> segments = split();
        applyWhitespaceControl(segments);
        List<Token> tokens = new ArrayList<>();
        for (Segment s : segments) {
            switch (s.kind) {
                case TEXT -> {
                    if (!s.text.isEmpty()) {
                        tokens.add(new Token(Type.TEXT, s.text, s.offset));
                    }
                }
                case VAR -> {
                    tokens.add(new Token(Type.VAR_BEGIN, "{{", s.offset));
                    tokens.addAll(s.tokens);
                    tokens.add(new Token(Type.VAR_END, "}}", s.endOffset));
                }
                case BLOCK -> {
                    tokens.add(new Token(Type.BLOCK_BEGIN, "{%", s.offset));
                    tokens.addAll(s.tokens);
                    tokens.add(new Token(Type.BLOCK_END, "%}", s.endOffset));
                }
                case COMMENT, RAW_MARKER -> {
                    // only their whitespace modifiers matter, already applied
                }
            }
        }
        tokens.add(new Token(Type.EOF, "", source.length()));
        return tokens;
    }

    private List<Segment> split() {
        List<Segment> segments = new ArrayList<>();
        int pos = 0;
        int n = source.length();
        while (pos < n) {
            int open = nextTagStart(pos);
            if (open < 0) {
                addText(segments, pos, n);
                break;
            }
            addText(segments, pos, open);
            char second = source.charAt(open + 1);
            if (second == '#') {
                pos = readComment(segments, open);
            } else if (second == '{') {
                pos = readTag(segments, open, Kind.VAR);
            } else {
                Matcher raw = RAW_OPEN.matcher(source).region(open, n);
                pos = raw.lookingAt() ? readRaw(segments, raw) : readTag(segments, open, Kind.BLOCK);
            }
        }
        return segments;
    }

    private int nextTagStart(int from) {
        int i = source.indexOf('{', from);
        while (i >= 0 && i + 1 < source.length()) {
            char c = source.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
            i = source.indexOf('{', i + 1);
        }
        return -1;
    }

    private void addText(List<Segment> segments, int from, int to) {
        if (to > from) {
            Segment s = new Segment(Kind.TEXT, from);
            s.text = source.substring(from, to);
            segments.add(s);
        }
    }

    private int readComment(List<Segment> segments, int open) {
        int close = source.indexOf("#}", open + 2);
        if (close < 0) {
            throw error(open, "unterminated comment: '{#' without '#}'");
        }
        Segment s = new Segment(Kind.COMMENT, open);
        s.openModifier = modifierAt(open + 2);
        s.closeModifier = close > open + 2 ? modifierAt(close - 1) : 0;
        segments.add(s);
        return close + 2;
    }

    private int readRaw(List<Segment> segments, Matcher rawOpen) {
        Matcher rawClose = RAW_CLOSE.matcher(source);
        if (!rawClose.find(rawOpen.end())) {
            throw error(rawOpen.start(), "unterminated raw block: '{% raw %}' without '{% endraw %}'");
        }
        Segment open = new Segment(Kind.RAW_MARKER, rawOpen.start());
        open.openModifier = firstChar(rawOpen.group(1));
        open.closeModifier = firstChar(rawOpen.group(2));
        segments.add(open);
        Segment body = new Segment(Kind.TEXT, rawOpen.end());
        body.text = source.substring(rawOpen.end(), rawClose.start());
        segments.add(body);
        Segment close = new Segment(Kind.RAW_MARKER, rawClose.start());
        close.openModifier = firstChar(rawClose.group(1));
        close.closeModifier = firstChar(rawClose.group(2));
        segments.add(close);
        return rawClose.end();
    }

    private static char firstChar(String s) {
        return s.isEmpty() ? 0 : s.charAt(0);
    }

    private char modifierAt(int i) {
        char c = i < source.length() ? source.charAt(i) : 0;
        return c == '-' || c == '+' ? c : 0;
    }

    /** Reads {@code {{ ... }}} or {@code {% ... %}} starting at {@code open}; returns the offset after it. */
    private int readTag(List<Segment> segments, int open, Kind kind) {
        Segment s = new Segment(kind, open);
        int pos = open + 2;
        s.openModifier = modifierAt(pos);
        if (s.openModifier != 0) {
            pos++;
        }
        String closer = kind == Kind.VAR ? "}}" : "%}";
        List<Token> tokens = new ArrayList<>();
        int depth = 0;
        while (true) {
            while (pos < source.length() && isSpace(source.charAt(pos))) {
                pos++;
            }
            if (pos >= source.length()) {
                throw error(open, "unterminated tag: '" + source.substring(open, open + 2) + "' without '"
                        + closer + "'");
            }
            if (depth == 0) {
                char c = source.charAt(pos);
                if ((c == '-' || c == '+') && source.startsWith(closer, pos + 1)) {
                    s.closeModifier = c;
                    s.endOffset = pos;
                    pos += 3;
                    break;
                }
                if (source.startsWith(closer, pos)) {
                    s.endOffset = pos;
                    pos += 2;
                    break;
                }
            }
            Token t = readToken(pos);
            if (t.type() == Type.OPERATOR) {
                switch (t.text()) {
                    case "(", "[", "{" -> depth++;
                    case ")", "]", "}" -> depth = Math.max(0, depth - 1);
                    default -> { }
                }
            }
            tokens.add(t);
            pos = tokenEnd;
        }
        s.tokens = tokens;
        segments.add(s);
        return pos;
    }

    private Token readToken(int pos) {
        char c = source.charAt(pos);
        if (c == '\'' || c == '"') {
            return readString(pos, c);
        }
        if (c >= '0' && c <= '9') {
            return readNumber(pos);
        }
        if (Character.isLetter(c) || c == '_') {
            int end = pos + 1;
            while (end < source.length()
                    && (Character.isLetterOrDigit(source.charAt(end)) || source.charAt(end) == '_')) {
                end++;
            }
            tokenEnd = end;
            return new Token(Type.NAME, source.substring(pos, end), pos);
        }
        for (String op : OPERATORS) {
            if (source.startsWith(op, pos)) {
                tokenEnd = pos + op.length();
                return new Token(Type.OPERATOR, op, pos);
            }
        }
        throw error(pos, "unexpected character '" + c + "' in a tag");
    }

    private Token readNumber(int pos) {
        int end = pos;
        while (end < source.length() && (isDigit(source.charAt(end)) || source.charAt(end) == '_')) {
            end++;
        }
        boolean isFloat = false;
        if (end + 1 < source.length() && source.charAt(end) == '.' && isDigit(source.charAt(end + 1))) {
            isFloat = true;
            end++;
            while (end < source.length() && (isDigit(source.charAt(end)) || source.charAt(end) == '_')) {
                end++;
            }
        }
        if (end < source.length() && (source.charAt(end) == 'e' || source.charAt(end) == 'E')) {
            int e = end + 1;
            if (e < source.length() && (source.charAt(e) == '+' || source.charAt(e) == '-')) {
                e++;
            }
            if (e < source.length() && isDigit(source.charAt(e))) {
                isFloat = true;
                end = e;
                while (end < source.length() && isDigit(source.charAt(end))) {
                    end++;
                }
            }
        }
        tokenEnd = end;
        return new Token(isFloat ? Type.FLOAT : Type.INTEGER, source.substring(pos, end).replace("_", ""), pos);
    }

    /** A Python string literal: the usual backslash escapes; an unknown escape keeps its backslash. */
    private Token readString(int pos, char quote) {
        StringBuilder out = new StringBuilder();
        int i = pos + 1;
        while (true) {
            if (i >= source.length()) {
                throw error(pos, "unterminated string literal");
            }
            char c = source.charAt(i++);
            if (c == quote) {
                break;
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i >= source.length()) {
                throw error(pos, "unterminated string literal");
            }
            char e = source.charAt(i++);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000b');
                case 'a' -> out.append('\u0007');
                case '0' -> out.append('\0');
                case '\\', '\'', '"' -> out.append(e);
                case '\n' -> { } // line continuation
                case 'x', 'u', 'U' -> {
                    int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + digits > source.length()) {
                        throw error(i - 2, "truncated \\" + e + " escape");
                    }
                    int code;
                    try {
                        code = Integer.parseInt(source.substring(i, i + digits), 16);
                    } catch (NumberFormatException ex) {
                        throw error(i - 2, "invalid \\" + e + " escape");
                    }
                    out.appendCodePoint(code);
                    i += digits;
                }
                default -> out.append('\\').append(e);
            }
        }
        tokenEnd = i;
        return new Token(Type.STRING, out.toString(), pos);
    }

    private void applyWhitespaceControl(List<Segment> segments) {
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (s.kind != Kind.TEXT) {
                continue;
            }
            Segment prev = i > 0 ? segments.get(i - 1) : null;
            Segment next = i + 1 < segments.size() ? segments.get(i + 1) : null;
            String text = s.text;
            if (next != null && next.openModifier == '-') {
                text = stripTrailing(text);
            } else if (lstripBlocks && next != null && next.openModifier != '+') {
                int j = text.length();
                while (j > 0 && (text.charAt(j - 1) == ' ' || text.charAt(j - 1) == '\t')) {
                    j--;
                }
                if ((j == 0 && i == 0) || (j > 0 && text.charAt(j - 1) == '\n')) {
                    text = text.substring(0, j);
                }
            }
            if (prev != null && prev.closeModifier == '-') {
                text = stripLeading(text);
            } else if (trimBlocks && prev != null && prev.kind != Kind.VAR && prev.closeModifier != '+') {
                if (text.startsWith("\r\n")) {
                    text = text.substring(2);
                } else if (text.startsWith("\n")) {
                    text = text.substring(1);
                }
            }
            if (next == null && !keepTrailingNewline) {
                if (text.endsWith("\r\n")) {
                    text = text.substring(0, text.length() - 2);
                } else if (text.endsWith("\n")) {
                    text = text.substring(0, text.length() - 1);
                }
            }
            s.text = text;
        }
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String stripLeading(String s) {
        int start = 0;
        while (start < s.length() && isSpace(s.charAt(start))) {
            start++;
        }
        return s.substring(start);
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private TemplateException error(int offset, String message) {
        return TemplateException.at(TemplateException.Kind.SYNTAX, source, offset, message);
    }
}
