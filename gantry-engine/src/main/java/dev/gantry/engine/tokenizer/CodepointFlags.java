package dev.gantry.engine.tokenizer;

import java.text.Normalizer;

/**
 * Unicode facts about one code point, as llama.cpp's {@code unicode.cpp} sees them.
 *
 * <p>llama.cpp generates its tables from UnicodeData.txt (scripts/gen-unicode-data.py): the general category
 * gives one flag (letter, number, mark, punctuation, symbol, separator, control; Cn is "undefined"), the
 * whitespace set is the Unicode White_Space property, lower-casing is the simple mapping, and its "NFD" keeps
 * only the first code point of the canonical decomposition. The JDK carries the same data, so this class
 * derives the flags from {@link Character} and {@link Normalizer} instead of copying tables. (The JDK's
 * Unicode version may be newer than the one llama.cpp was generated from; only code points assigned in
 * between can differ.)
 */
final class CodepointFlags {

    static final int UNDEFINED = 0x0001;
    static final int NUMBER = 0x0002;
    static final int LETTER = 0x0004;
    static final int SEPARATOR = 0x0008;
    static final int MARK = 0x0010;
    static final int PUNCTUATION = 0x0020;
    static final int SYMBOL = 0x0040;
    static final int CONTROL = 0x0080;
    static final int CATEGORIES = 0x00FF;
    static final int WHITESPACE = 0x0100;

    private CodepointFlags() {
    }

    /** The flags of {@code cp}; never 0 for a real code point (0 stands for "outside the text"). */
    static int of(int cp) {
        if (cp < 0 || cp > Character.MAX_CODE_POINT) {
            return UNDEFINED;
        }
        int flags = switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> MARK;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> PUNCTUATION;
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                 Character.OTHER_SYMBOL -> SYMBOL;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SEPARATOR;
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE -> CONTROL;
            default -> UNDEFINED;
        };
        return isWhitespace(cp) ? flags | WHITESPACE : flags;
    }

    static boolean isLetter(int flags) {
        return (flags & LETTER) != 0;
    }

    static boolean isNumber(int flags) {
        return (flags & NUMBER) != 0;
    }

    static boolean isWhitespaceFlag(int flags) {
        return (flags & WHITESPACE) != 0;
    }

    /** Unicode White_Space (PropList.txt), the set llama.cpp hard-codes. */
    static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    /** Simple lower-case mapping (UnicodeData.txt field 13), like llama.cpp's {@code unicode_tolower}. */
    static int toLower(int cp) {
        return Character.toLowerCase(cp);
    }

    /** llama.cpp's {@code unicode_cpts_normalize_nfd}: the first code point of the NFD decomposition. */
    static int nfdFirst(int cp) {
        if (cp < 0xC0) {
            return cp; // nothing below U+00C0 decomposes
        }
        String nfd = Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFD);
        return nfd.codePointAt(0);
    }

    /** Han ideographs, as llama.cpp's {@code unicode_cpt_is_han} (used by the kimi-k2 splitter). */
    static boolean isHan(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0x2CEB0 && cp <= 0x2EBEF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /**
     * The code points of {@code text}. An unpaired surrogate becomes U+FFFD, which is what llama.cpp makes of
     * the invalid UTF-8 it would be given for it.
     */
    static int[] codepoints(String text) {
        int[] out = new int[text.length()];
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out[n++] = Character.toCodePoint(c, text.charAt(i + 1));
                i += 2;
            } else {
                out[n++] = Character.isSurrogate(c) ? 0xFFFD : c;
                i++;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** {@code text} with every unpaired surrogate replaced by U+FFFD, so UTF-8 encoding is lossless. */
    static String wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                int[] cps = codepoints(text);
                return new String(cps, 0, cps.length);
            }
        }
        return text;
    }
}
