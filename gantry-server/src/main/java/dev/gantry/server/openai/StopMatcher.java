package dev.gantry.server.openai;

import java.util.List;

/**
 * Finds stop strings in text that arrives piece by piece. Text is released as soon as it cannot be the start of a
 * stop string; the longest tail that could still become one is held back (llama.cpp's {@code find_partial_stop}).
 * A full match ends the text before the stop string, which is never returned. Input arrives in whole characters
 * ({@link dev.gantry.engine.TokenTextStream}), so a cut never falls inside a character.
 */
final class StopMatcher {

    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    StopMatcher(List<String> stops) {
        this.stops = stops;
    }

    /** The text that is now safe to emit (possibly empty); after a match, the text before it. */
    String accept(String text) {
        if (stopped) {
            return "";
        }
        held.append(text);
        if (stops.isEmpty()) {
            return drain(held.length());
        }
        int first = -1;
        for (String s : stops) {
            int at = held.indexOf(s);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        if (first >= 0) {
            stopped = true;
            String out = held.substring(0, first);
            held.setLength(0);
            return out;
        }
        return drain(held.length() - partialTail());
    }

    /** Whether a stop string was found; everything after it is dropped. */
    boolean stopped() {
        return stopped;
    }

    /** At the end of generation: whatever was held back (a prefix of a stop string that never completed). */
    String flush() {
        return stopped ? "" : drain(held.length());
    }

    /** Length of the longest suffix of {@link #held} that is a proper prefix of some stop string. */
    private int partialTail() {
        String text = held.toString();
        int best = 0;
        for (String s : stops) {
            for (int len = Math.min(s.length() - 1, text.length()); len > best; len--) {
                if (text.regionMatches(text.length() - len, s, 0, len)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }

    private String drain(int upTo) {
        String out = held.substring(0, upTo);
        held.delete(0, upTo);
        return out;
    }
}
