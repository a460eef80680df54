package dev.gantry.engine.grammar;

import java.util.List;

/**
 * A compiled grammar as the matcher walks it, laid out like llama.cpp's {@code llama_grammar_element} arrays: one
 * flat int array where each alternative of each rule is a run of elements ended by {@link #END}. A position in a
 * grammar is an index into {@link #code}; a matcher stack is a list of such positions.
 *
 * <p>Element encodings: {@code CHAR n lo0 hi0 .. lo(n-1) hi(n-1)} (a code point in one of the inclusive, sorted,
 * disjoint ranges), {@code CHAR_NOT n ...} (a code point in none of them; {@code .} has n = 0), {@code REF rule},
 * {@code END}.
 *
 * @param code         the elements of every alternative of every rule
 * @param alternatives per rule id, the positions where its alternatives start
 * @param names        per rule id, its name (generated rules are {@code owner-N})
 * @param root         the rule id matching starts from
 */
record GrammarCode(int[] code, int[][] alternatives, String[] names, int root) {

    static final int END = 0;
    static final int CHAR = 1;
    static final int CHAR_NOT = 2;
    static final int REF = 3;

    static GrammarCode of(List<String> names, List<List<int[]>> bodies, int root) {
        int size = 0;
        for (List<int[]> body : bodies) {
            for (int[] alt : body) {
                size += alt.length + 1;
            }
        }
        int[] code = new int[size];
        int[][] alternatives = new int[bodies.size()][];
        int at = 0;
        for (int r = 0; r < bodies.size(); r++) {
            List<int[]> body = bodies.get(r);
            alternatives[r] = new int[body.size()];
            for (int a = 0; a < body.size(); a++) {
                alternatives[r][a] = at;
                System.arraycopy(body.get(a), 0, code, at, body.get(a).length);
                at += body.get(a).length;
                code[at++] = END;
            }
        }
        return new GrammarCode(code, alternatives, names.toArray(String[]::new), root);
    }

    int kind(int pos) {
        return code[pos];
    }

    /** The position of the element after the one at {@code pos}. */
    int next(int pos) {
        return switch (code[pos]) {
            case CHAR, CHAR_NOT -> pos + 2 + 2 * code[pos + 1];
            case REF -> pos + 2;
            default -> throw new IllegalStateException("no element follows END at " + pos);
        };
    }

    int rule(int pos) {
        return code[pos + 1];
    }

    /** Whether the character element at {@code pos} matches code point {@code cp}. */
    boolean matches(int pos, int cp) {
        int n = code[pos + 1];
        boolean in = false;
        for (int i = 0, r = pos + 2; i < n; i++, r += 2) {
            if (cp < code[r]) {
                break;
            }
            if (cp <= code[r + 1]) {
                in = true;
                break;
            }
        }
        return in != (code[pos] == CHAR_NOT);
    }

    /** Whether the character element at {@code pos} matches some code point in [lo, hi]. */
    boolean matchesSome(int pos, int lo, int hi) {
        int n = code[pos + 1];
        if (code[pos] == CHAR) {
            for (int i = 0, r = pos + 2; i < n; i++, r += 2) {
                if (code[r] <= hi && code[r + 1] >= lo) {
                    return true;
                }
            }
            return false;
        }
        // Negated: some code point of [lo, hi] escapes every excluded range (they are sorted and disjoint).
        int next = lo;
        for (int i = 0, r = pos + 2; i < n; i++, r += 2) {
            if (code[r + 1] < next) {
                continue;
            }
            if (code[r] > next) {
                return true;
            }
            next = code[r + 1] + 1;
            if (next > hi) {
                return false;
            }
        }
        return next <= hi;
    }
}
