package dev.gantry.server.openai;

/**
 * Where a JSON value ends in text that may still be growing (a streamed answer): the index after it, or -1 while
 * it is unfinished. Containers are matched by bracket depth outside strings; their insides are checked later by a
 * real parse of the finished text.
 */
final class JsonValues {

    private JsonValues() {
    }

    /** @throws IllegalArgumentException when no JSON value starts at {@code pos} (after whitespace) */
    static int end(String s, int pos) {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
        if (pos >= s.length()) {
            return -1;
        }
        char c = s.charAt(pos);
        if (c == '"') {
            return stringEnd(s, pos);
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            for (int i = pos; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch == '"') {
                    i = stringEnd(s, i);
                    if (i < 0) {
                        return -1;
                    }
                    i--;
                } else if (ch == '{' || ch == '[') {
                    depth++;
                } else if (ch == '}' || ch == ']') {
                    if (--depth == 0) {
                        return i + 1;
                    }
                }
            }
            return -1;
        }
        if (c == '-' || Character.isDigit(c) || c == 't' || c == 'f' || c == 'n') {
            int i = pos;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "+-.".indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
            return i == s.length() ? -1 : i;
        }
        throw new IllegalArgumentException("no JSON value at offset " + pos);
    }

    private static int stringEnd(String s, int pos) {
        for (int i = pos + 1; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\') {
                i++;
            } else if (ch == '"') {
                return i + 1;
            }
        }
        return -1;
    }
}
