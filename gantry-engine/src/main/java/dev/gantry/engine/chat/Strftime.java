package dev.gantry.engine.chat;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * C's {@code strftime} in the "C" locale, for the {@code strftime_now(format)} function llama.cpp gives chat
 * templates (Llama 3.2 prints {@code strftime_now("%d %b %Y")}) and for the dates llama.cpp passes itself.
 * Covers the conversions templates use; an unknown one is copied through, as glibc does.
 */
final class Strftime {

    private Strftime() {
    }

    static String format(LocalDateTime t, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char conversion = format.charAt(++i);
            switch (conversion) {
                case 'a' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'A' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'b', 'h' -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'B' -> out.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'c' -> out.append(format(t, "%a %b %e %H:%M:%S %Y"));
                case 'C' -> out.append(two(t.getYear() / 100));
                case 'd' -> out.append(two(t.getDayOfMonth()));
                case 'D' -> out.append(format(t, "%m/%d/%y"));
                case 'e' -> out.append(t.getDayOfMonth() < 10 ? " " : "").append(t.getDayOfMonth());
                case 'F' -> out.append(format(t, "%Y-%m-%d"));
                case 'H' -> out.append(two(t.getHour()));
                case 'I' -> out.append(two(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12));
                case 'j' -> out.append("%03d".formatted(t.getDayOfYear()));
                case 'm' -> out.append(two(t.getMonthValue()));
                case 'M' -> out.append(two(t.getMinute()));
                case 'n' -> out.append('\n');
                case 'p' -> out.append(t.getHour() < 12 ? "AM" : "PM");
                case 'R' -> out.append(format(t, "%H:%M"));
                case 'S' -> out.append(two(t.getSecond()));
                case 't' -> out.append('\t');
                case 'T' -> out.append(format(t, "%H:%M:%S"));
                case 'u' -> out.append(t.getDayOfWeek().getValue());
                case 'w' -> out.append(t.getDayOfWeek().getValue() % 7);
                case 'x' -> out.append(format(t, "%m/%d/%y"));
                case 'X' -> out.append(format(t, "%H:%M:%S"));
                case 'y' -> out.append(two(t.getYear() % 100));
                case 'Y' -> out.append(t.getYear());
                case 'Z' -> out.append("UTC");
                case 'z' -> out.append("+0000");
                case '%' -> out.append('%');
                default -> out.append('%').append(conversion);
            }
        }
        return out.toString();
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
