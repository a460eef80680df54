package dev.gantry.engine.grammar;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads GBNF, the grammar syntax of llama.cpp ({@code grammars/README.md}): rules {@code name ::= body}; bodies of
 * alternatives ({@code |}) of sequences; string literals {@code "..."} and character classes {@code [a-z]},
 * {@code [^"\\]} with the escapes {@code \n \r \t \" \\ \[ \] \- \xHH} and backslash-u HHHH, backslash-U HHHHHHHH; {@code .} for any
 * character; groups {@code ( )}; the postfix operators {@code * + ? {m} {m,} {m,n} {,n}}; {@code #} comments.
 *
 * <p>NOTE: llama.cpp ends a rule body at a newline outside parentheses. This parser is more lenient: a body runs
 * on over newlines until the next {@code name ::=} or the end, so every grammar llama.cpp accepts reads the same
 * here, and a body may also continue with {@code |} on a following line.
 */
final class GbnfParser {

    /** The most repetitions a {@code {m,n}} bound may ask for: larger ones would blow up the expanded rules. */
    static final int MAX_REPEAT = 10_000;

    private final String src;
    private int pos;

    private GbnfParser(String src) {
        this.src = src;
    }

    static List<GbnfNode.Rule> parse(String text) {
        if (text == null) {
            throw new GrammarException("the grammar is null");
        }
        GbnfParser p = new GbnfParser(text);
        List<GbnfNode.Rule> rules = new ArrayList<>();
        p.skipSpace();
        while (!p.atEnd()) {
            rules.add(p.rule());
            p.skipSpace();
        }
        if (rules.isEmpty()) {
            throw new GrammarException("the grammar defines no rules; it needs at least 'root ::= ...'", 1, 1);
        }
        return rules;
    }

    private GbnfNode.Rule rule() {
        int line = line(pos);
        int column = column(pos);
        if (!isNameChar(peek())) {
            throw error("expected a rule name, found " + describe(peek()));
        }
        String name = name();
        skipSpace();
        if (!src.startsWith("::=", pos)) {
            throw error("expected '::=' after the rule name '" + name + "', found " + describe(peek()));
        }
        pos += 3;
        skipSpace();
        GbnfNode body = alternatives(false);
        return new GbnfNode.Rule(name, body, line, column);
    }

    private GbnfNode alternatives(boolean nested) {
        List<GbnfNode> options = new ArrayList<>();
        options.add(sequence(nested));
        while (peek() == '|') {
            pos++;
            skipSpace();
            options.add(sequence(nested));
        }
        return options.size() == 1 ? options.getFirst() : new GbnfNode.Alternatives(options);
    }

    private GbnfNode sequence(boolean nested) {
        List<GbnfNode> items = new ArrayList<>();
        while (!atEnd()) {
            int c = peek();
            if (c == '|' || c == ')') {
                break;
            }
            if (!nested && startsRule()) {
                break;
            }
            items.add(postfix(primary()));
            skipSpace();
        }
        return items.size() == 1 ? items.getFirst() : new GbnfNode.Sequence(items);
    }

    private GbnfNode primary() {
        int c = peek();
        int line = line(pos);
        int column = column(pos);
        if (c == '"') {
            return literal();
        }
        if (c == '[') {
            return charSet();
        }
        if (c == '.') {
            pos++;
            return new GbnfNode.CharSet(new int[0], true);
        }
        if (c == '(') {
            pos++;
            skipSpace();
            GbnfNode inner = alternatives(true);
            if (peek() != ')') {
                throw error("expected ')' to close the group opened at line " + line + ", column " + column
                        + ", found " + describe(peek()));
            }
            pos++;
            return inner;
        }
        if (isNameChar(c)) {
            return new GbnfNode.Ref(name(), line, column);
        }
        throw error("unexpected " + describe(c) + "; expected a literal, [class], '.', '(' or a rule name");
    }

    private GbnfNode postfix(GbnfNode item) {
        while (true) {
            int c = peek();
            if (c == '*') {
                pos++;
                item = new GbnfNode.Repeat(item, 0, GbnfNode.Repeat.UNBOUNDED);
            } else if (c == '+') {
                pos++;
                item = new GbnfNode.Repeat(item, 1, GbnfNode.Repeat.UNBOUNDED);
            } else if (c == '?') {
                pos++;
                item = new GbnfNode.Repeat(item, 0, 1);
            } else if (c == '{') {
                item = braces(item);
            } else {
                return item;
            }
        }
    }

    /** {@code {m}}, {@code {m,}}, {@code {m,n}}, {@code {,n}}. */
    private GbnfNode braces(GbnfNode item) {
        int start = pos;
        pos++;
        skipInlineSpace();
        int min = peek() == ',' ? 0 : number();
        skipInlineSpace();
        int max = min;
        if (peek() == ',') {
            pos++;
            skipInlineSpace();
            max = peek() == '}' ? GbnfNode.Repeat.UNBOUNDED : number();
            skipInlineSpace();
        }
        if (peek() != '}') {
            throw error("expected '}' to close the repetition bound, found " + describe(peek()));
        }
        pos++;
        if (max != GbnfNode.Repeat.UNBOUNDED && max < min) {
            pos = start;
            throw error("the repetition bound {" + min + "," + max + "} has its maximum below its minimum");
        }
        return new GbnfNode.Repeat(item, min, max);
    }

    private int number() {
        int start = pos;
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
        if (start == pos) {
            throw error("expected a number in the repetition bound, found " + describe(peek()));
        }
        long n = Long.parseLong(src.substring(start, Math.min(pos, start + 12)));
        if (n > MAX_REPEAT) {
            pos = start;
            throw error("the repetition bound " + src.substring(start, Math.min(pos + 12, src.length())).split("\\D")[0]
                    + " is above the limit of " + MAX_REPEAT);
        }
        return (int) n;
    }

    private GbnfNode literal() {
        int line = line(pos);
        int column = column(pos);
        pos++;
        List<Integer> cps = new ArrayList<>();
        while (true) {
            if (atEnd()) {
                throw new GrammarException("the string literal is not closed", line, column);
            }
            int c = peek();
            if (c == '"') {
                pos++;
                break;
            }
            if (c == '\n') {
                throw new GrammarException("the string literal is not closed before the end of the line", line, column);
            }
            cps.add(character());
        }
        return new GbnfNode.Literal(cps.stream().mapToInt(Integer::intValue).toArray());
    }

    private GbnfNode charSet() {
        int line = line(pos);
        int column = column(pos);
        pos++;
        boolean negated = false;
        if (peek() == '^') {
            negated = true;
            pos++;
        }
        List<Integer> ranges = new ArrayList<>();
        while (true) {
            if (atEnd()) {
                throw new GrammarException("the character class is not closed with ']'", line, column);
            }
            if (peek() == ']') {
                pos++;
                break;
            }
            int lo = character();
            int hi = lo;
            if (peek() == '-' && pos + 1 < src.length() && src.charAt(pos + 1) != ']') {
                pos++;
                hi = character();
                if (hi < lo) {
                    throw error("the range " + show(lo) + "-" + show(hi) + " in the character class runs backwards");
                }
            }
            ranges.add(lo);
            ranges.add(hi);
        }
        return new GbnfNode.CharSet(ranges.stream().mapToInt(Integer::intValue).toArray(), negated);
    }

    /** One code point of a literal or class, with its escape decoded. */
    private int character() {
        int c = src.codePointAt(pos);
        if (c != '\\') {
            pos += Character.charCount(c);
            return c;
        }
        int escapeAt = pos;
        pos++;
        if (atEnd()) {
            throw error("the escape '\\' ends the grammar");
        }
        int e = src.charAt(pos++);
        return switch (e) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case '0' -> 0;
            case '"', '\\', '[', ']', '-', '^', '/', '\'', '.', '|', '(', ')', '*', '+', '?', '{', '}' -> e;
            case 'x' -> hex(2, escapeAt);
            case 'u' -> hex(4, escapeAt);
            case 'U' -> hex(8, escapeAt);
            default -> {
                pos = escapeAt;
                throw error("unknown escape '\\" + (char) e + "'");
            }
        };
    }

    private int hex(int digits, int escapeAt) {
        if (pos + digits > src.length()) {
            pos = escapeAt;
            throw error("the escape needs " + digits + " hex digits");
        }
        int value = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(src.charAt(pos + i), 16);
            if (d < 0) {
                pos = escapeAt;
                throw error("the escape needs " + digits + " hex digits, found '" + src.substring(escapeAt, escapeAt + 2 + digits) + "'");
            }
            value = value * 16 + d;
        }
        pos += digits;
        if (value > Character.MAX_CODE_POINT || value < 0) {
            pos = escapeAt;
            throw error("the escape names U+" + Integer.toHexString(value).toUpperCase() + ", beyond Unicode");
        }
        return value;
    }

    private String name() {
        int start = pos;
        while (isNameChar(peek())) {
            pos++;
        }
        return src.substring(start, pos);
    }

    /** Whether a new rule starts here: a name followed by {@code ::=}. */
    private boolean startsRule() {
        int p = pos;
        while (p < src.length() && isNameChar(src.charAt(p))) {
            p++;
        }
        if (p == pos) {
            return false;
        }
        while (p < src.length() && (src.charAt(p) == ' ' || src.charAt(p) == '\t')) {
            p++;
        }
        return src.startsWith("::=", p);
    }

    private void skipSpace() {
        while (!atEnd()) {
            int c = peek();
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else if (c == '#') {
                while (!atEnd() && peek() != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private void skipInlineSpace() {
        while (peek() == ' ' || peek() == '\t') {
            pos++;
        }
    }

    private static boolean isNameChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private boolean atEnd() {
        return pos >= src.length();
    }

    private int peek() {
        return atEnd() ? -1 : src.charAt(pos);
    }

    private GrammarException error(String message) {
        return new GrammarException(message, line(pos), column(pos));
    }

    private int line(int at) {
        int line = 1;
        for (int i = 0; i < at && i < src.length(); i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private int column(int at) {
        int lineStart = src.lastIndexOf('\n', Math.max(0, Math.min(at, src.length()) - 1));
        return at - lineStart;
    }

    private static String describe(int c) {
        return c < 0 ? "the end of the grammar" : "'" + show(c) + "'";
    }

    private static String show(int c) {
        return c == '\n' ? "\\n" : c < 0x20 ? String.format("\\x%02X", c) : new String(Character.toChars(c));
    }
}
