package dev.gantry.engine.tokenizer;

/**
 * Hand-written equivalents of the pre-tokenizer regexes that llama.cpp does not run through a regex engine
 * ({@code unicode_regex_split_custom} in unicode.cpp): GPT-2's, Llama 3's, Kimi-K2's and AFMoE's digit
 * grouping. They must be reproduced exactly, quirks included, because llama.cpp's token ids come from them:
 * e.g. {@code \s+(?!\S)} gives back one whitespace only when more text follows inside the same piece, and a
 * code point of an unassigned category counts as "other" (it is not a letter, number or space).
 *
 * <p>Two more are Gantry's own: SuperBPE's and Tiny Aya's digit-grouping lookaheads, which a backtracking
 * engine runs in quadratic time on long digit runs (in llama.cpp as in Java). The linear versions here give the
 * same pieces; PreTokenizerTest checks them against the regexes.
 *
 * <p>Each splitter refines a list of piece lengths (in code points) over {@code cps}, as the regexes do.
 */
final class CustomSplitters {

    /** A code point outside the piece being split; no real code point has this value. */
    private static final int OUTSIDE = -1;

    /** GPT-2: {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}. */
    static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";

    /** Llama 3, as written in tokenizer.json and as llama.cpp rewrote it without {@code (?i:)}. */
    static final String LLAMA3_ORIGINAL = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String LLAMA3 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Kimi-K2's trigger: llama.cpp implements all of K2's alternatives when it sees this one. */
    static final String KIMI_K2 = "\\p{Han}+";

    /** AFMoE's digit grouping: leading 1-2 digits, then groups of three. */
    static final String AFMOE_DIGITS = "\\p{AFMoE_digits}";

    /** SuperBPE: an empty match before every run of ASCII digits whose length is a multiple of three. */
    static final String SUPERBPE_DIGITS = "(?=(\\d{3})+(?!\\d))";

    /** Tiny Aya: 1-3 leading digits, then groups of three, in a digit run that ends at a word boundary. */
    static final String TINY_AYA_DIGITS = "\\d{1,3}(?=(?:\\d{3})*\\b)";

    private CustomSplitters() {
    }

    /** Whether {@code regex} is one that llama.cpp handles by hand. */
    static boolean handles(String regex) {
        return regex.equals(GPT2) || regex.equals(LLAMA3_ORIGINAL) || regex.equals(LLAMA3)
                || regex.equals(KIMI_K2) || regex.equals(AFMOE_DIGITS) || regex.equals(SUPERBPE_DIGITS)
                || regex.equals(TINY_AYA_DIGITS);
    }

    static IdList split(String regex, int[] cps, IdList lengths) {
        IdList out = new IdList();
        int start = 0;
        for (int i = 0; i < lengths.size(); i++) {
            Piece piece = new Piece(cps, start, start + lengths.get(i), out);
            switch (regex) {
                case GPT2 -> gpt2(piece);
                case LLAMA3, LLAMA3_ORIGINAL -> llama3(piece);
                case KIMI_K2 -> kimiK2(piece);
                case AFMOE_DIGITS -> afmoeDigits(piece);
                case SUPERBPE_DIGITS -> superbpeDigits(piece);
                case TINY_AYA_DIGITS -> tinyAyaDigits(piece);
                default -> throw new IllegalArgumentException("no custom splitter for " + regex);
            }
            start += lengths.get(i);
        }
        return out;
    }

    /** One piece being split: reads outside it see {@link #OUTSIDE} and flags 0. */
    private static final class Piece {
        final int[] cps;
        final int begin;
        final int end;
        final IdList out;
        int prevEnd;

        Piece(int[] cps, int begin, int end, IdList out) {
            this.cps = cps;
            this.begin = begin;
            this.end = end;
            this.out = out;
            this.prevEnd = begin;
        }

        int cp(int pos) {
            return pos >= begin && pos < end ? cps[pos] : OUTSIDE;
        }

        int flags(int pos) {
            return pos >= begin && pos < end ? CodepointFlags.of(cps[pos]) : 0;
        }

        /** Emits the text since the previous cut up to {@code cut}; returns its length. */
        int cut(int cut) {
            int len = cut - prevEnd;
            if (len > 0) {
                out.add(len);
            }
            prevEnd = cut;
            return len;
        }
    }

    private static boolean isNewline(int cp) {
        return cp == '\r' || cp == '\n';
    }

    private static boolean isOther(int flags) {
        return (flags & (CodepointFlags.WHITESPACE | CodepointFlags.LETTER | CodepointFlags.NUMBER)) == 0;
    }

    /** Length of the contraction ('s 't 'm 'd 're 've 'll) at {@code pos}, or 0. */
    private static int contraction(Piece p, int pos, boolean ignoreCase) {
        if (p.cp(pos) != '\'' || pos + 1 >= p.end) {
            return 0;
        }
        int next = ignoreCase ? CodepointFlags.toLower(p.cp(pos + 1)) : p.cp(pos + 1);
        if (next == 's' || next == 't' || next == 'm' || next == 'd') {
            return 2;
        }
        if (pos + 2 < p.end) {
            int nextNext = ignoreCase ? CodepointFlags.toLower(p.cp(pos + 2)) : p.cp(pos + 2);
            if ((next == 'r' && nextNext == 'e') || (next == 'v' && nextNext == 'e') || (next == 'l' && nextNext == 'l')) {
                return 3;
            }
        }
        return 0;
    }

    /** The trailing-whitespace rules shared by all three: {@code \s*[\r\n]+} (when asked), {@code \s+(?!\S)}, {@code \s+}. */
    private static int whitespace(Piece p, int pos, boolean newlines) {
        int count = 0;
        int lastNewlineEnd = 0;
        while (CodepointFlags.isWhitespaceFlag(p.flags(pos + count))) {
            if (isNewline(p.cp(pos + count))) {
                lastNewlineEnd = pos + count + 1;
            }
            count++;
        }
        if (newlines && lastNewlineEnd > 0) {
            p.cut(lastNewlineEnd);
            return lastNewlineEnd;
        }
        if (count > 1 && p.cp(pos + count) != OUTSIDE) {
            pos += count - 1;
            p.cut(pos);
            return pos;
        }
        if (count > 0) {
            pos += count;
            p.cut(pos);
            return pos;
        }
        p.cut(++pos); // no rule matched: one code point on its own
        return pos;
    }

    private static void gpt2(Piece p) {
        for (int pos = p.begin; pos < p.end; ) {
            int cp = p.cp(pos);
            int flags = p.flags(pos);
            int contraction = contraction(p, pos, false);
            if (contraction > 0) {
                pos += p.cut(pos + contraction);
                continue;
            }
            int flags2 = cp == ' ' ? p.flags(pos + 1) : flags;
            if (CodepointFlags.isLetter(flags2)) { // " ?\p{L}+"
                pos += cp == ' ' ? 1 : 0;
                while (CodepointFlags.isLetter(flags2)) {
                    flags2 = p.flags(++pos);
                }
                p.cut(pos);
                continue;
            }
            if (CodepointFlags.isNumber(flags2)) { // " ?\p{N}+"
                pos += cp == ' ' ? 1 : 0;
                while (CodepointFlags.isNumber(flags2)) {
                    flags2 = p.flags(++pos);
                }
                p.cut(pos);
                continue;
            }
            if (isOther(flags2) && flags2 != 0) { // " ?[^\s\p{L}\p{N}]+"
                pos += cp == ' ' ? 1 : 0;
                while (isOther(flags2) && flags2 != 0) {
                    flags2 = p.flags(++pos);
                }
                p.cut(pos);
                continue;
            }
            pos = whitespace(p, pos, false);
        }
    }

    private static void llama3(Piece p) {
        for (int pos = p.begin; pos < p.end; ) {
            int cp = p.cp(pos);
            int flags = p.flags(pos);
            int contraction = contraction(p, pos, true); // (?i:'s|'t|'re|'ve|'m|'ll|'d)
            if (contraction > 0) {
                pos += p.cut(pos + contraction);
                continue;
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if (!(isNewline(cp) || CodepointFlags.isNumber(flags))
                    && (CodepointFlags.isLetter(flags) || CodepointFlags.isLetter(p.flags(pos + 1)))) {
                pos++;
                while (CodepointFlags.isLetter(p.flags(pos))) {
                    pos++;
                }
                p.cut(pos);
                continue;
            }
            if (CodepointFlags.isNumber(flags)) { // \p{N}{1,3}
                int groupStart = pos;
                while (CodepointFlags.isNumber(p.flags(pos))) {
                    if (++pos - groupStart >= 3) {
                        p.cut(pos);
                        groupStart = pos;
                    }
                }
                p.cut(pos);
                continue;
            }
            // " ?[^\s\p{L}\p{N}]+[\r\n]*"; llama.cpp tests the current code point's flags here, not flags2
            int flags2 = cp == ' ' ? p.flags(pos + 1) : flags;
            if (isOther(flags2) && flags != 0) {
                pos += cp == ' ' ? 1 : 0;
                while (isOther(flags2) && flags2 != 0) {
                    flags2 = p.flags(++pos);
                }
                while (isNewline(p.cp(pos))) {
                    pos++;
                }
                p.cut(pos);
                continue;
            }
            pos = whitespace(p, pos, true);
        }
    }

    private static boolean isNonHanLetter(Piece p, int pos) {
        return CodepointFlags.isLetter(p.flags(pos)) && !CodepointFlags.isHan(p.cp(pos));
    }

    private static void kimiK2(Piece p) {
        for (int pos = p.begin; pos < p.end; ) {
            int cp = p.cp(pos);
            int flags = p.flags(pos);
            if (CodepointFlags.isHan(cp)) { // [\p{Han}]+
                while (CodepointFlags.isHan(p.cp(pos))) {
                    pos++;
                }
                p.cut(pos);
                continue;
            }
            // [^\r\n\p{L}\p{N}]?[letters without Han]+ with an optional contraction
            boolean leadingCandidate = !(isNewline(cp) || CodepointFlags.isLetter(flags) || CodepointFlags.isNumber(flags));
            if (isNonHanLetter(p, pos) || (leadingCandidate && isNonHanLetter(p, pos + 1))) {
                boolean leading = false;
                if (leadingCandidate) {
                    leading = true;
                    pos++;
                }
                boolean letters = false;
                while (isNonHanLetter(p, pos)) {
                    letters = true;
                    pos++;
                }
                if (letters || (!leading && isNonHanLetter(p, pos))) {
                    if (!letters) {
                        pos++;
                    }
                    while (isNonHanLetter(p, pos)) {
                        pos++;
                    }
                    pos += contraction(p, pos, true);
                    p.cut(pos);
                    continue;
                } else if (leading) {
                    pos--;
                }
            }
            if (CodepointFlags.isNumber(flags)) { // \p{N}{1,3}
                int groupStart = pos;
                while (CodepointFlags.isNumber(p.flags(pos))) {
                    if (++pos - groupStart >= 3) {
                        p.cut(pos);
                        groupStart = pos;
                    }
                }
                p.cut(pos);
                continue;
            }
            int flags2 = cp == ' ' ? p.flags(pos + 1) : flags; // " ?[^\s\p{L}\p{N}]+[\r\n]*"
            if (isOther(flags2) && flags2 != 0) {
                pos += cp == ' ' ? 1 : 0;
                while (isOther(flags2) && flags2 != 0) {
                    flags2 = p.flags(++pos);
                }
                while (isNewline(p.cp(pos))) {
                    pos++;
                }
                p.cut(pos);
                continue;
            }
            pos = whitespace(p, pos, true);
        }
    }

    private static void afmoeDigits(Piece p) {
        for (int pos = p.begin; pos < p.end; ) {
            if (!CodepointFlags.isNumber(p.flags(pos))) {
                pos++;
                continue;
            }
            int digitsStart = pos;
            while (pos < p.end && CodepointFlags.isNumber(p.flags(pos))) {
                pos++;
            }
            int count = pos - digitsStart;
            int current = digitsStart;
            if (count % 3 > 0) {
                current += count % 3;
                p.cut(current); // also emits the non-digit text before the run
            }
            while (current < digitsStart + count) {
                current += 3;
                p.cut(current);
            }
        }
        if (p.prevEnd < p.end) {
            p.cut(p.end);
        }
    }

    private static boolean isAsciiDigit(int cp) {
        return cp >= '0' && cp <= '9';
    }

    /** {@code \w} in ECMAScript and in java.util.regex: ASCII letters, digits and '_'. */
    private static boolean isWordCharacter(int cp) {
        return isAsciiDigit(cp) || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
    }

    /**
     * {@code (?=(\d{3})+(?!\d))} matches (empty) at p exactly when the digit run from p has a length that is a
     * positive multiple of three, since {@code (?!\d)} forces the groups to end where the run ends.
     */
    private static void superbpeDigits(Piece p) {
        int runEnd = p.begin;
        for (int pos = p.begin; pos < p.end; pos++) {
            if (!isAsciiDigit(p.cp(pos))) {
                continue;
            }
            if (runEnd <= pos) {
                runEnd = pos;
                while (runEnd < p.end && isAsciiDigit(p.cp(runEnd))) {
                    runEnd++;
                }
            }
            if ((runEnd - pos) % 3 == 0) {
                p.cut(pos);
            }
        }
        p.cut(p.end);
    }

    /**
     * {@code \d{1,3}(?=(?:\d{3})*\b)}: the lookahead can only reach a word boundary at the end of the digit run,
     * so a run matches only when a non-word character (or the end) follows it; it is then cut into its leading
     * length % 3 digits (three if that is 0) and groups of three. Any other run stays unmatched text.
     */
    private static void tinyAyaDigits(Piece p) {
        int pos = p.begin;
        while (pos < p.end) {
            if (!isAsciiDigit(p.cp(pos))) {
                pos++;
                continue;
            }
            int runEnd = pos;
            while (runEnd < p.end && isAsciiDigit(p.cp(runEnd))) {
                runEnd++;
            }
            if (runEnd < p.end && isWordCharacter(p.cp(runEnd))) {
                pos = runEnd;
                continue;
            }
            int first = (runEnd - pos) % 3 == 0 ? 3 : (runEnd - pos) % 3;
            p.cut(pos);
            for (int cut = pos + first; cut <= runEnd; cut += 3) {
                p.cut(cut);
            }
            pos = runEnd;
        }
        p.cut(p.end);
    }
}
