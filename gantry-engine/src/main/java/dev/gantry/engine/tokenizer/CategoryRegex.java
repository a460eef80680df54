package dev.gantry.engine.tokenizer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pre-tokenizer regex, run the way llama.cpp's {@code unicode_regex_split} runs it, so that a Java
 * {@link Pattern} finds the same pieces as llama.cpp's {@code std::regex} (ECMAScript).
 *
 * <p>llama.cpp cannot give {@code std::regex} Unicode categories, so a regex that uses {@code \p{..}} runs on a
 * "collapsed" text: ASCII stays itself, any other code point becomes one byte naming its category (0xD1 number,
 * 0xD2 letter, 0xD3 punctuation, 0xD4 mark, 0xD5 symbol, 0xD0 anything else; whitespace becomes 0x0B), and
 * each {@code \p{X}} becomes that byte plus X's ASCII members from a fixed table (the table omits '~' from
 * \p{S}; so does this class). {@code \p{Lu}}, {@code \p{Ll}}, ... all mean "any letter" there. A regex without
 * categories runs on the real code points, non-ASCII whitespace again replaced by 0x0B. ECMAScript and
 * {@code java.util.regex} agree on what remains (leftmost alternation, greedy backtracking, ASCII {@code \s},
 * {@code \d}, {@code \b}), except that {@code $} is written {@code \z} here so it never matches before a final
 * line break.
 *
 * <p>One rewrite keeps Java from recursing once per character on long words: the idiom
 * {@code ((?=[A])([B]))} (one character in both A and B) becomes the class intersection {@code [A&&[B]]}, which
 * matches exactly the same strings.
 */
final class CategoryRegex {

    private static final Pattern LOOKAHEAD_CLASS = Pattern.compile("\\(\\(\\?=\\[([^\\]]*)\\]\\)\\(\\[([^\\]]*)\\]\\)\\)");

    private static final char COLLAPSED_OTHER = 0xD0;
    private static final char COLLAPSED_WHITESPACE = 0x0B;

    private final String source;
    private final boolean collapsed;
    private final Pattern pattern;

    CategoryRegex(String source) {
        this.source = source;
        this.collapsed = source.contains("\\p{");
        String rewritten = rewriteLookaheadClasses(source);
        this.pattern = Pattern.compile(collapsed ? translateCollapsed(rewritten) : translatePlain(rewritten));
    }

    String source() {
        return source;
    }

    boolean collapsed() {
        return collapsed;
    }

    /** The text this regex runs on: one char per code point when collapsed, else the code points themselves. */
    static String collapsedText(int[] cps) {
        char[] out = new char[cps.length];
        for (int i = 0; i < cps.length; i++) {
            int cp = cps[i];
            if (cp < 128) {
                out[i] = (char) cp;
                continue;
            }
            int flags = CodepointFlags.of(cp);
            out[i] = CodepointFlags.isWhitespaceFlag(flags) ? COLLAPSED_WHITESPACE : collapsedCategory(flags & CodepointFlags.CATEGORIES);
        }
        return new String(out);
    }

    static String plainText(int[] cps) {
        StringBuilder sb = new StringBuilder(cps.length);
        for (int cp : cps) {
            sb.appendCodePoint(cp > 0x7F && CodepointFlags.isWhitespace(cp) ? COLLAPSED_WHITESPACE : cp);
        }
        return sb.toString();
    }

    /**
     * Splits every piece [start, start + length) further: each match is a piece and so is each gap between
     * matches. {@code charIndex} maps a code point index to an index in {@code text}; {@code cpIndex} back.
     */
    IdList split(String text, int[] charIndex, int[] cpIndex, IdList lengths) {
        IdList out = new IdList();
        Matcher m = pattern.matcher(text);
        int start = 0;
        for (int i = 0; i < lengths.size(); i++) {
            int end = start + lengths.get(i);
            int last = start;
            m.region(charIndex[start], charIndex[end]);
            while (m.find()) {
                int ms = cpIndex[m.start()];
                int me = cpIndex[m.end()];
                if (ms > last) {
                    out.add(ms - last);
                }
                if (me > ms) {
                    out.add(me - ms); // empty matches (superbpe's lookahead) only mark a cut
                }
                last = me;
            }
            if (last < end) {
                out.add(end - last);
            }
            start = end;
        }
        return out;
    }

    private static char collapsedCategory(int category) {
        return switch (category) {
            case CodepointFlags.NUMBER -> 0xD1;
            case CodepointFlags.LETTER -> 0xD2;
            case CodepointFlags.PUNCTUATION -> 0xD3;
            case CodepointFlags.MARK -> 0xD4;
            case CodepointFlags.SYMBOL -> 0xD5;
            default -> COLLAPSED_OTHER;
        };
    }

    /** The members of {@code \p{name}} in collapsed text: the category byte plus llama.cpp's ASCII table. */
    private static String categoryMembers(String name, String regex) {
        return switch (name) {
            case "N" -> "\\x{D1}0-9";
            case "L", "Lu", "Ll", "Lt", "Lm", "Lo" -> "\\x{D2}A-Za-z";
            case "P" -> "\\x{D3}\\x{21}-\\x{23}\\x{25}-\\x{2A}\\x{2C}-\\x{2F}\\x{3A}-\\x{3B}\\x{3F}-\\x{40}"
                    + "\\x{5B}-\\x{5D}\\x{5F}\\x{7B}\\x{7D}";
            case "M" -> "\\x{D4}";
            case "S" -> "\\x{D5}\\x{24}\\x{2B}\\x{3C}-\\x{3E}\\x{5E}\\x{60}\\x{7C}";
            default -> throw new TokenizerException("unsupported Unicode category \\p{" + name + "} in pre-tokenizer regex " + regex);
        };
    }

    private static String translateCollapsed(String regex) {
        for (int i = 0; i < regex.length(); i++) {
            if (regex.charAt(i) > 127) {
                throw new TokenizerException("pre-tokenizer regex mixes Unicode categories and non-ASCII characters: " + regex);
            }
        }
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                if (regex.startsWith("\\p{", i)) {
                    int close = regex.indexOf('}', i);
                    String members = categoryMembers(regex.substring(i + 3, close), regex);
                    out.append(depth == 0 ? "[" + members + "]" : members);
                    i = close;
                } else {
                    out.append(c).append(regex.charAt(++i));
                }
                continue;
            }
            depth = trackDepth(c, depth, out);
        }
        return out.toString();
    }

    private static String translatePlain(String regex) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                out.append(c).append(regex.charAt(++i));
                continue;
            }
            depth = trackDepth(c, depth, out);
        }
        return out.toString();
    }

    /** Copies {@code c}, turning a top-level {@code $} into {@code \z}; returns the new class nesting depth. */
    private static int trackDepth(char c, int depth, StringBuilder out) {
        if (c == '[') {
            out.append(c);
            return depth + 1;
        }
        if (c == ']' && depth > 0) {
            out.append(c);
            return depth - 1;
        }
        if (c == '$' && depth == 0) {
            out.append("\\z");
            return depth;
        }
        out.append(c);
        return depth;
    }

    private static String rewriteLookaheadClasses(String regex) {
        Matcher m = LOOKAHEAD_CLASS.matcher(regex);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement("[" + m.group(1) + "&&[" + m.group(2) + "]]"));
        }
        m.appendTail(out);
        return out.toString();
    }
}
