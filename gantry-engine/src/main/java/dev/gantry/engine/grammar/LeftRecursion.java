package dev.gantry.engine.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Refuses left-recursive grammars, which a stack matcher would expand forever ({@code expr ::= expr "+" term}).
 * A rule's left corner is every rule it can start with, looking through rules that can match nothing. A cycle of
 * left-corner edges is harmless when every edge is a tail reference (nothing follows it, so the stack does not
 * grow and the matcher's revisit guard ends it, as in {@code ("a"?)*}); it is left recursion when one edge leaves
 * something to match afterwards. Found with Tarjan's strongly connected components.
 */
final class LeftRecursion {

    private final GrammarCode code;
    private final boolean[] nullable;
    /** Left-corner edges per rule: target rule and whether the edge grows the stack. */
    private final List<List<int[]>> edges = new ArrayList<>();
    private final int[] index;
    private final int[] low;
    private final int[] component;
    private final boolean[] onStack;
    private final int[] stack;
    private int stackSize;
    private int counter;
    private int components;

    private LeftRecursion(GrammarCode code) {
        this.code = code;
        int n = code.alternatives().length;
        this.nullable = nullable(code);
        this.index = new int[n];
        this.low = new int[n];
        this.component = new int[n];
        this.onStack = new boolean[n];
        this.stack = new int[n];
        Arrays.fill(index, -1);
    }

    /**
     * @param origins per rule id, the user rule it was written in (generated rules name their owner)
     * @param defined the user rules, for the place to report
     */
    static void check(GrammarCode code, List<String> origins, Map<String, GbnfNode.Rule> defined) {
        LeftRecursion lr = new LeftRecursion(code);
        lr.buildEdges();
        for (int r = 0; r < code.alternatives().length; r++) {
            if (lr.index[r] < 0) {
                lr.connect(r);
            }
        }
        for (int r = 0; r < code.alternatives().length; r++) {
            for (int[] e : lr.edges.get(r)) {
                if (e[1] == 1 && lr.component[r] == lr.component[e[0]]) {
                    GbnfNode.Rule at = defined.get(origins.get(r));
                    throw new GrammarException("the rule '" + origins.get(r) + "' is left-recursive (through '"
                            + code.names()[e[0]] + "'): it can reach itself before matching any character, which"
                            + " a stack matcher cannot expand; rewrite it with repetition, e.g. x ::= y (\"+\" y)*",
                            at.line(), at.column());
                }
            }
        }
    }

    /** Rules that can match the empty string, by fixpoint. */
    static boolean[] nullable(GrammarCode code) {
        int n = code.alternatives().length;
        boolean[] nullable = new boolean[n];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int r = 0; r < n; r++) {
                if (nullable[r]) {
                    continue;
                }
                for (int start : code.alternatives()[r]) {
                    if (allNullable(code, nullable, start)) {
                        nullable[r] = true;
                        changed = true;
                        break;
                    }
                }
            }
        }
        return nullable;
    }

    private static boolean allNullable(GrammarCode code, boolean[] nullable, int pos) {
        for (int p = pos; code.kind(p) != GrammarCode.END; p = code.next(p)) {
            if (code.kind(p) != GrammarCode.REF || !nullable[code.rule(p)]) {
                return false;
            }
        }
        return true;
    }

    private void buildEdges() {
        for (int r = 0; r < code.alternatives().length; r++) {
            List<int[]> out = new ArrayList<>();
            for (int start : code.alternatives()[r]) {
                for (int p = start; code.kind(p) == GrammarCode.REF; p = code.next(p)) {
                    int target = code.rule(p);
                    boolean grows = code.kind(code.next(p)) != GrammarCode.END;
                    out.add(new int[] {target, grows ? 1 : 0});
                    if (!nullable[target]) {
                        break;
                    }
                }
            }
            edges.add(out);
        }
    }

    private void connect(int v) {
        index[v] = low[v] = counter++;
        stack[stackSize++] = v;
        onStack[v] = true;
        for (int[] e : edges.get(v)) {
            int w = e[0];
            if (index[w] < 0) {
                connect(w);
                low[v] = Math.min(low[v], low[w]);
            } else if (onStack[w]) {
                low[v] = Math.min(low[v], index[w]);
            }
        }
        if (low[v] == index[v]) {
            int w;
            do {
                w = stack[--stackSize];
                onStack[w] = false;
                component[w] = components;
            } while (w != v);
            components++;
        }
    }
}
