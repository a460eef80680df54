package dev.gantry.engine.grammar;

/**
 * A JSON Schema {@code pattern} (ECMA-262 regex, a subset) as a GBNF expression for the inside of a JSON string.
 * The regex describes the decoded string, the grammar its JSON text, so literal characters are written JSON-escaped
 * and {@code .} is any JSON string character (an escape included). An unanchored side matches anything there, as
 * the JSON Schema spec says patterns are not implicitly anchored.
 *
 * <p>Supported: literals, escapes {@code \d \w \s \D \W \S} and escaped punctuation, {@code .}, classes with ranges
 * and negation, groups ({@code (...)}, {@code (?:...)}), {@code |}, {@code * + ? {m} {m,} {m,n}} (lazy forms match
 * the same strings), {@code ^} and {@code $} at the ends. Backreferences, lookaround and other anchors are refused.
 */
final class RegexGrammar {

    private static final String JSON_CHAR = "( [^\"\\\\\\x7F\\x00-\\x1F] | \"\\\\\" ([\"\\\\/bfnrt] | \"u\" [0-9a-fA-F]{4}) )";
    private static final String UNSAFE = "\"\\\\\\x7F\\x00-\\x1F";

    private final String re;
    private final String path;
    private int pos;

    private RegexGrammar(String re, String path) {
        this.re = re;
        this.path = path;
    }

    static String gbnf(String pattern, String path) {
        String re = pattern;
        boolean start = re.startsWith("^");
        boolean end = re.endsWith("$") && !re.endsWith("\\$");
        re = re.substring(start ? 1 : 0, re.length() - (end ? 1 : 0));
        RegexGrammar g = new RegexGrammar(re, path);
        String body = g.alternatives();
        if (g.pos < re.length()) {
            throw g.error("unexpected '" + re.charAt(g.pos) + "'");
        }
        return (start ? "" : JSON_CHAR + "* ") + "(" + body + ")" + (end ? "" : " " + JSON_CHAR + "*");
    }

    private String alternatives() {
        StringBuilder out = new StringBuilder(sequence());
        while (pos < re.length() && re.charAt(pos) == '|') {
            pos++;
            out.append(" | ").append(sequence());
        }
        return out.toString();
    }

    private String sequence() {
        StringBuilder out = new StringBuilder();
        while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
            String atom = atom();
            out.append(out.isEmpty() ? "" : " ").append(atom).append(quantifier());
        }
        return out.toString();
    }

    private String atom() {
        char c = re.charAt(pos++);
        return switch (c) {
            case '(' -> {
                if (re.startsWith("?:", pos)) {
                    pos += 2;
                } else if (pos < re.length() && re.charAt(pos) == '?') {
                    throw error("lookaround and named groups are not supported");
                }
                String inner = alternatives();
                if (pos >= re.length() || re.charAt(pos) != ')') {
                    throw error("a group is not closed");
                }
                pos++;
                yield "(" + inner + ")";
            }
            case '[' -> charClass();
            case '.' -> JSON_CHAR;
            case '\\' -> escape();
            case '^', '$' -> throw error("anchors inside the pattern are not supported");
            case '*', '+', '?', '{' -> throw error("'" + c + "' has nothing to repeat");
            default -> JsonSchemaGrammar.literal(jsonEscaped(c));
        };
    }

    private String quantifier() {
        if (pos >= re.length()) {
            return "";
        }
        char c = re.charAt(pos);
        String q;
        if (c == '*' || c == '+' || c == '?') {
            pos++;
            q = String.valueOf(c);
        } else if (c == '{' && re.indexOf('}', pos) > pos) {
            int close = re.indexOf('}', pos);
            String inside = re.substring(pos + 1, close);
            if (!inside.matches("\\d+(,\\d*)?")) {
                return "";
            }
            pos = close + 1;
            q = "{" + inside + "}";
        } else {
            return "";
        }
        if (pos < re.length() && re.charAt(pos) == '?') {
            pos++; // lazy: same language
        }
        return q;
    }

    private String escape() {
        if (pos >= re.length()) {
            throw error("the pattern ends with '\\'");
        }
        char e = re.charAt(pos++);
        return switch (e) {
            case 'd' -> "[0-9]";
            case 'w' -> "[a-zA-Z0-9_]";
            case 's' -> "[ ]";
            case 'D' -> "[^0-9" + UNSAFE + "]";
            case 'W' -> "[^a-zA-Z0-9_" + UNSAFE + "]";
            case 'S' -> "[^ " + UNSAFE + "]";
            case 'n' -> JsonSchemaGrammar.literal("\\n");
            case 't' -> JsonSchemaGrammar.literal("\\t");
            case 'b', 'B' -> throw error("word boundaries are not supported");
            default -> {
                if (Character.isLetterOrDigit(e)) {
                    throw error("the escape '\\" + e + "' is not supported");
                }
                yield JsonSchemaGrammar.literal(jsonEscaped(e));
            }
        };
    }

    /** A class: its members must be plain characters (a quote, backslash or control would need JSON escapes). */
    private String charClass() {
        StringBuilder out = new StringBuilder("[");
        boolean negated = pos < re.length() && re.charAt(pos) == '^';
        if (negated) {
            pos++;
            out.append('^');
        }
        boolean first = true;
        while (pos < re.length() && (re.charAt(pos) != ']' || first)) {
            first = false;
            char c = re.charAt(pos++);
            if (c == '\\') {
                char e = re.charAt(pos++);
                switch (e) {
                    case 'd' -> out.append("0-9");
                    case 'w' -> out.append("a-zA-Z0-9_");
                    case 's' -> out.append(' ');
                    default -> {
                        if (Character.isLetterOrDigit(e)) {
                            throw error("the escape '\\" + e + "' in a class is not supported");
                        }
                        out.append(classChar(e));
                    }
                }
            } else {
                out.append(classChar(c));
            }
        }
        if (pos >= re.length()) {
            throw error("a character class is not closed");
        }
        pos++;
        if (negated) {
            out.append(UNSAFE);
        }
        return out.append(']').toString();
    }

    private String classChar(char c) {
        if (c == '"' || c == '\\' || c < 0x20) {
            throw error("a quote, backslash or control character in a class is not supported");
        }
        return c == ']' || c == '[' || c == '^' ? "\\" + c : String.valueOf(c);
    }

    private static String jsonEscaped(char c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '\r' -> "\\r";
            default -> String.valueOf(c);
        };
    }

    private GrammarException error(String message) {
        return new GrammarException("the pattern at " + path + " (/" + re + "/): " + message + " at offset " + pos);
    }
}
