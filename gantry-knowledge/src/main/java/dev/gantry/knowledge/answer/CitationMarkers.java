package dev.gantry.knowledge.answer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the sources an answer cites: {@code [n]} markers, also written as {@code [1, 2]} or {@code [1][2]}.
 * Numbers outside {@code 1..sourceCount} (a model inventing a source) are ignored.
 */
public final class CitationMarkers {
    private static final Pattern MARKER = Pattern.compile("\\[(\\d{1,3}(?:\\s*,\\s*\\d{1,3})*)]");

    private CitationMarkers() {
    }

    /** The cited source numbers in order of first appearance. */
    public static List<Integer> cited(String answer, int sourceCount) {
        Set<Integer> seen = new LinkedHashSet<>();
        Matcher m = MARKER.matcher(answer);
        while (m.find()) {
            for (String n : m.group(1).split(",")) {
                int number = Integer.parseInt(n.strip());
                if (number >= 1 && number <= sourceCount) {
                    seen.add(number);
                }
            }
        }
        return new ArrayList<>(seen);
    }
}
