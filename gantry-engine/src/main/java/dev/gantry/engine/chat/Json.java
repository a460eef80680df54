package dev.gantry.engine.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * JSON (RFC 8259) read into, and written from, plain Java values: {@code Map<String,Object>} (insertion ordered),
 * {@code List<Object>}, {@code String}, {@code Long} (or {@code Double} for numbers with a fraction, an exponent
 * or beyond the range of a long), {@code Boolean} and {@code null}.
 *
 * <p>Parsing is strict: no comments, no trailing commas, no single quotes, no control characters inside strings,
 * no leading zeros, nothing after the value. Errors name the line and column. {@link #parseAt} reads one value at
 * an offset and says where it ended, for values embedded in model output.
 *
 * <p>Writing is configurable by a {@link Style}: {@link Style#COMPACT} ({@code {"a":1}}), {@link Style#PYTHON}
 * (Python's {@code json.dumps} default, {@code {"a": 1}}, which Jinja's {@code tojson} filter produces) and
 * {@link Style#indented(int)}. Non-ASCII characters are written as they are unless the style asks for
 * {@code \\uXXXX} escapes. Doubles are written as Python writes them ({@code 18.0}, {@code 1e-05}).
 */
public final class Json {

    private Json() {
    }

    /** How values are written: indentation (negative for one line), separators, escaping and key order. */
    public record Style(int indent, String itemSeparator, String keySeparator, boolean ensureAscii,
                        boolean sortKeys) {
        /** No spaces at all: {@code {"a":[1,2]}}. */
        public static final Style COMPACT = new Style(-1, ",", ":", false, false);
        /** Python's {@code json.dumps(x, ensure_ascii=False)}: {@code {"a": [1, 2]}}. */
        public static final Style PYTHON = new Style(-1, ", ", ": ", false, false);

        public Style {
            Objects.requireNonNull(itemSeparator, "itemSeparator");
            Objects.requireNonNull(keySeparator, "keySeparator");
        }

        /** Python's {@code json.dumps(x, indent=n)}: one item per line, {@code ","} at line ends, {@code ": "}. */
        public static Style indented(int indent) {
            return new Style(indent, ",", ": ", false, false);
        }

        public Style withEnsureAscii(boolean ascii) {
            return new Style(indent, itemSeparator, keySeparator, ascii, sortKeys);
        }

        public Style withSortKeys(boolean sort) {
            return new Style(indent, itemSeparator, keySeparator, ensureAscii, sort);
        }
    }

    /** One value read from the middle of a text: the value and the offset just after it. */
    public record ParseResult(Object value, int end) {
    }

    /** Parses a whole JSON text; anything but whitespace after the value is an error. */
    public static Object parse(String text) {
        Reader reader = new Reader(text, 0);
        reader.skipWhitespace();
        Object value = reader.readValue();
        reader.skipWhitespace();
        if (reader.pos < text.length()) {
            throw reader.error("unexpected '" + text.charAt(reader.pos) + "' after the JSON value");
        }
        return value;
    }

    /** Parses one JSON value starting at {@code offset} (leading whitespace allowed); the rest is left unread. */
    public static ParseResult parseAt(String text, int offset) {
        Reader reader = new Reader(text, offset);
        reader.skipWhitespace();
        Object value = reader.readValue();
        return new ParseResult(value, reader.pos);
    }

    /** Writes {@code value} compactly. */
    public static String write(Object value) {
        return write(value, Style.COMPACT);
    }

    public static String write(Object value, Style style) {
        StringBuilder out = new StringBuilder();
        new Writer(out, style).write(value, 0);
        return out.toString();
    }

    /** Writes a string as a JSON string literal, quotes included. */
    public static String quote(String s, boolean ensureAscii) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        Writer.writeString(out, s, ensureAscii);
        return out.toString();
    }

    /**
     * A double as Python's {@code repr} writes it: the shortest digits that read back to the same double, in
     * positional notation when the decimal exponent is in [-4, 16), else as {@code d.ddde+XX}.
     */
    public static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int exponent = digits.length() - 1 - shortest.scale(); // value = d.ddd * 10^exponent
        StringBuilder out = new StringBuilder();
        if (d < 0) {
            out.append('-');
        }
        if (exponent >= -4 && exponent < 16) {
            if (exponent >= 0) {
                if (digits.length() <= exponent + 1) {
                    out.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
                } else {
                    out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
                }
            } else {
                out.append("0.").append("0".repeat(-exponent - 1)).append(digits);
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                out.append('0');
            }
            out.append(abs);
        }
        return out.toString();
    }

    /** A JSON text that is not valid: the message says what was expected and where. */
    public static final class JsonException extends IllegalArgumentException {
        private final int offset;

        JsonException(String message, int offset) {
            super(message);
            this.offset = offset;
        }

        /** Character offset of the problem in the text. */
        public int offset() {
            return offset;
        }
    }

    private static final class Reader {
        private final String text;
        private int pos;
        private int depth;

        Reader(String text, int pos) {
            this.text = Objects.requireNonNull(text, "text");
            this.pos = pos;
        }

        JsonException error(String problem) {
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < pos && i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            return new JsonException("invalid JSON at line " + line + ", column " + (pos - lineStart + 1) + ": "
                    + problem, pos);
        }

        void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        Object readValue() {
            if (pos >= text.length()) {
                throw error("expected a value but the text ended");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> readObject();
                case '[' -> readArray();
                case '"' -> readString();
                case 't' -> readLiteral("true", Boolean.TRUE);
                case 'f' -> readLiteral("false", Boolean.FALSE);
                case 'n' -> readLiteral("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield readNumber();
                    }
                    throw error("unexpected '" + c + "', expected a value");
                }
            };
        }

        private Object readLiteral(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("expected '" + word + "'");
            }
            pos += word.length();
            return value;
        }

        private Map<String, Object> readObject() {
            enter();
            pos++; // {
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                depth--;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("expected a string key");
                }
                String key = readString();
                skipWhitespace();
                if (peek() != ':') {
                    throw error("expected ':' after an object key");
                }
                pos++;
                skipWhitespace();
                map.put(key, readValue());
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == '}') {
                    depth--;
                    return map;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}' in an object");
                }
            }
        }

        private List<Object> readArray() {
            enter();
            pos++; // [
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                depth--;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(readValue());
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == ']') {
                    depth--;
                    return list;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or ']' in an array");
                }
            }
        }

        private void enter() {
            // Deep nesting would overflow the stack before a clear error; 1000 levels is far beyond real payloads.
            if (++depth > 1000) {
                throw error("nesting deeper than 1000 levels");
            }
        }

        private char peek() {
            if (pos >= text.length()) {
                throw error("the text ended inside a value");
            }
            return text.charAt(pos);
        }

        private String readString() {
            pos++; // opening quote
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    pos--;
                    throw error("control character U+%04X must be escaped in a string".formatted((int) c));
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= text.length()) {
                    throw error("unterminated escape");
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"' -> out.append('"');
                    case '\\' -> out.append('\\');
                    case '/' -> out.append('/');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("truncated \\u escape");
                        }
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int digit = Character.digit(text.charAt(pos + i), 16);
                            if (digit < 0) {
                                throw error("invalid hex digit in \\u escape");
                            }
                            code = code * 16 + digit;
                        }
                        pos += 4;
                        out.append((char) code);
                    }
                    default -> {
                        pos--;
                        throw error("invalid escape '\\" + e + "'");
                    }
                }
            }
        }

        private Object readNumber() {
            int start = pos;
            if (peekIs('-')) {
                pos++;
            }
            if (peekIs('0')) {
                pos++;
            } else if (peekDigit()) {
                while (peekDigit()) {
                    pos++;
                }
            } else {
                throw error("expected a digit");
            }
            boolean integral = true;
            if (peekIs('.')) {
                integral = false;
                pos++;
                if (!peekDigit()) {
                    throw error("expected a digit after '.'");
                }
                while (peekDigit()) {
                    pos++;
                }
            }
            if (peekIs('e') || peekIs('E')) {
                integral = false;
                pos++;
                if (peekIs('+') || peekIs('-')) {
                    pos++;
                }
                if (!peekDigit()) {
                    throw error("expected a digit in the exponent");
                }
                while (peekDigit()) {
                    pos++;
                }
            }
            String literal = text.substring(start, pos);
            if (integral) {
                BigInteger big = new BigInteger(literal);
                if (big.bitLength() < 64) {
                    return big.longValue();
                }
            }
            return Double.parseDouble(literal);
        }

        private boolean peekIs(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private boolean peekDigit() {
            return pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9';
        }
    }

    private record Writer(StringBuilder out, Style style) {

        void write(Object value, int level) {
            switch (value) {
                case null -> out.append("null");
                case String s -> writeString(out, s, style.ensureAscii());
                case Boolean b -> out.append(b ? "true" : "false");
                case Double d -> out.append(formatDouble(d));
                case Float f -> out.append(formatDouble(f));
                case BigDecimal b -> out.append(b.toString());
                case Number n -> out.append(n.toString());
                case Character c -> writeString(out, c.toString(), style.ensureAscii());
                case Map<?, ?> map -> writeObject(map, level);
                case Collection<?> list -> writeArray(list, level);
                case Object[] array -> writeArray(java.util.Arrays.asList(array), level);
                default -> throw new IllegalArgumentException(
                        "cannot write a " + value.getClass().getName() + " as JSON");
            }
        }

        private void writeObject(Map<?, ?> map, int level) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            Map<?, ?> entries = map;
            if (style.sortKeys()) {
                TreeMap<String, Object> sorted = new TreeMap<>();
                map.forEach((k, v) -> sorted.put(keyString(k), v));
                entries = sorted;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                separator(first, level + 1);
                first = false;
                writeString(out, keyString(e.getKey()), style.ensureAscii());
                out.append(style.keySeparator());
                write(e.getValue(), level + 1);
            }
            newline(level);
            out.append('}');
        }

        private void writeArray(Collection<?> list, int level) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                separator(first, level + 1);
                first = false;
                write(item, level + 1);
            }
            newline(level);
            out.append(']');
        }

        private void separator(boolean first, int level) {
            if (!first) {
                out.append(style.itemSeparator());
            }
            newline(level);
        }

        private void newline(int level) {
            if (style.indent() >= 0) {
                out.append('\n').append(" ".repeat(level * style.indent()));
            }
        }

        /** Python's json.dumps turns non-string keys into strings the same way. */
        private static String keyString(Object key) {
            return switch (key) {
                case null -> "null";
                case String s -> s;
                case Boolean b -> b ? "true" : "false";
                case Double d -> formatDouble(d);
                default -> key.toString();
            };
        }

        static void writeString(StringBuilder out, String s, boolean ensureAscii) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20 || (ensureAscii && c > 0x7f)) {
                            out.append("\\u%04x".formatted((int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
