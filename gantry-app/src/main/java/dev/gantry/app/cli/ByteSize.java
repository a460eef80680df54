package dev.gantry.app.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/**
 * A size in bytes written as a number with an optional binary or decimal unit: {@code 256MiB}, {@code 1GiB},
 * {@code 512M} (binary, as llama.cpp and the JVM read it), {@code 1000000}.
 */
record ByteSize(long bytes) {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b?)");

    ByteSize {
        if (bytes < 1) {
            throw new IllegalArgumentException("a size must be at least 1 byte, got " + bytes);
        }
    }

    static ByteSize parse(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 256MiB, 1GiB, 1048576)");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        try {
            long value = Long.parseLong(m.group(1));
            if (value > (Long.MAX_VALUE >> shift)) {
                throw new IllegalArgumentException("'" + text + "' is too large");
            }
            return new ByteSize(value << shift);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }

    /** {@code bytes} for people: {@code 812.0 KiB}, {@code 4.1 MiB}, {@code 7.25 GiB}. */
    static String human(long bytes) {
        if (bytes < 1 << 20) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1L << 30) {
            return String.format("%.1f MiB", bytes / 1048576.0);
        }
        return String.format("%.2f GiB", bytes / 1073741824.0);
    }

    /** Lets picocli read {@code --kv-cache-memory 256MiB}. */
    static final class Converter implements ITypeConverter<ByteSize> {
        @Override
        public ByteSize convert(String value) {
            return parse(value);
        }
    }
}
