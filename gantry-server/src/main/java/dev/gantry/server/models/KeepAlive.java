package dev.gantry.server.models;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a loaded model may stay idle before it is unloaded, written as Ollama's {@code keep_alive}:
 * {@code 5m}, {@code 30s}, {@code 1h30m}, a bare number of seconds, {@code 0} (unload as soon as the last
 * request ends) or a negative number / {@code forever} (never unload).
 *
 * @param idle the idle time, empty for never
 */
public record KeepAlive(Optional<Duration> idle) {

    /** Ollama's default. */
    public static final KeepAlive DEFAULT = new KeepAlive(Optional.of(Duration.ofMinutes(5)));
    public static final KeepAlive FOREVER = new KeepAlive(Optional.empty());

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    public KeepAlive {
        if (idle == null) {
            throw new IllegalArgumentException("idle must be present or empty, not null");
        }
        if (idle.isPresent() && idle.get().isNegative()) {
            throw new IllegalArgumentException("a keep-alive must not be negative; use FOREVER");
        }
    }

    public static KeepAlive of(Duration idle) {
        return new KeepAlive(Optional.of(idle));
    }

    public boolean forever() {
        return idle.isEmpty();
    }

    public static KeepAlive parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("forever") || t.equals("never") || t.matches("-\\d+[a-z]*")) {
            return FOREVER;
        }
        if (t.matches("\\d+")) {
            return of(Duration.ofSeconds(Long.parseLong(t)));
        }
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        if (end == 0 || end != t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a keep-alive (examples: 5m, 30s, 1h, 0, -1, forever)");
        }
        return of(total);
    }

    @Override
    public String toString() {
        return idle.map(Duration::toString).orElse("forever");
    }
}
