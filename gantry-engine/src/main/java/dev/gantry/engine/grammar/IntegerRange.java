package dev.gantry.engine.grammar;

import java.util.ArrayList;
import java.util.List;

/**
 * A GBNF expression for the decimal integers in [min, max] written as JSON writes them (no leading zeros, no
 * {@code +}, no {@code -0}), for a schema's {@code minimum} / {@code maximum} on {@code integer}. The classic
 * digit-by-digit split of a range into same-length ranges and those into prefix-plus-digit-class pieces, as
 * llama.cpp's {@code _generate_min_max_int} does in spirit.
 */
final class IntegerRange {

    /** Unbounded sides stop at this many digits, as llama.cpp's {@code integral-part} does (16). */
    private static final int MAX_DIGITS = 16;

    private IntegerRange() {
    }

    /** Either bound may be null for "unbounded". */
    static String gbnf(Long min, Long max) {
        if (min != null && max != null && min > max) {
            throw new GrammarException("the integer schema has minimum " + min + " above maximum " + max);
        }
        List<String> options = new ArrayList<>();
        // Negative part: "-" followed by magnitudes in [max(1, -max), -min].
        if (min == null || min < 0) {
            long loMag = max == null || max >= 0 ? 1 : -max;
            Long hiMag = min == null ? null : -min;
            options.add("\"-\" " + group(nonNegative(loMag, hiMag)));
        }
        if (max == null || max >= 0) {
            long lo = min == null || min < 0 ? 0 : min;
            options.add(nonNegative(lo, max));
        }
        return options.size() == 1 ? group(options.getFirst()) : "(" + String.join(" | ", options) + ")";
    }

    /** Integers in [lo, hi] (hi null: unbounded), lo >= 0. */
    private static String nonNegative(long lo, Long hi) {
        List<String> options = new ArrayList<>();
        int loDigits = digits(lo);
        int hiDigits = hi == null ? MAX_DIGITS : digits(hi);
        for (int d = loDigits; d <= hiDigits; d++) {
            long first = d == 1 ? 0 : pow10(d - 1);
            long last = d >= 19 ? Long.MAX_VALUE : pow10(d) - 1;
            long a = Math.max(lo, first);
            long b = hi == null ? last : Math.min(hi, last);
            if (a <= b) {
                options.add(sameLength(pad(a, d), pad(b, d)));
            }
        }
        return options.size() == 1 ? options.getFirst() : "(" + String.join(" | ", options) + ")";
    }

    /** All numbers from lo to hi, both written with the same number of digits. */
    private static String sameLength(String lo, String hi) {
        if (lo.equals(hi)) {
            return "\"" + lo + "\"";
        }
        int n = lo.length();
        if (n == 1) {
            return "[" + lo + "-" + hi + "]";
        }
        char l = lo.charAt(0);
        char h = hi.charAt(0);
        String loRest = lo.substring(1);
        String hiRest = hi.substring(1);
        if (l == h) {
            return "\"" + l + "\" " + group(sameLength(loRest, hiRest));
        }
        if (loRest.chars().allMatch(c -> c == '0') && hiRest.chars().allMatch(c -> c == '9')) {
            return "[" + l + "-" + h + "] " + anyDigits(n - 1);
        }
        List<String> options = new ArrayList<>();
        options.add("\"" + l + "\" " + group(sameLength(loRest, "9".repeat(n - 1))));
        if (l + 1 <= h - 1) {
            options.add("[" + (char) (l + 1) + "-" + (char) (h - 1) + "] " + anyDigits(n - 1));
        }
        options.add("\"" + h + "\" " + group(sameLength("0".repeat(n - 1), hiRest)));
        return "(" + String.join(" | ", options) + ")";
    }

    private static String anyDigits(int n) {
        return n == 1 ? "[0-9]" : "[0-9]{" + n + "}";
    }

    private static String group(String expression) {
        return expression.startsWith("(") || !expression.contains(" ") ? expression : "(" + expression + ")";
    }

    private static String pad(long v, int digits) {
        String s = Long.toString(v);
        return "0".repeat(digits - s.length()) + s;
    }

    private static int digits(long v) {
        return Long.toString(v).length();
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }
}
