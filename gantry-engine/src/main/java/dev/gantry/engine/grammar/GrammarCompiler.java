package dev.gantry.engine.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns parsed GBNF rules into {@link GrammarCode}: every rule a list of alternatives, every alternative a flat run
 * of character and rule-reference elements. Groups with alternatives and repetitions become generated rules
 * (named {@code rule-N}), as llama.cpp's parser generates them: {@code x*} is {@code r ::= x r | }, right
 * recursive so the matcher's stacks do not grow; {@code x{m,n}} is m copies of x and n-m nested optionals.
 * Then the whole grammar is checked: every referenced rule defined, a {@code root}, no left recursion.
 */
final class GrammarCompiler {

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<List<int[]>> bodies = new ArrayList<>();
    private final List<String> origins = new ArrayList<>();
    private final Map<String, GbnfNode.Ref> firstUse = new HashMap<>();
    private int generated;

    private GrammarCompiler() {
    }

    static GrammarCode compile(List<GbnfNode.Rule> rules, String rootName) {
        GrammarCompiler c = new GrammarCompiler();
        Map<String, GbnfNode.Rule> defined = new HashMap<>();
        for (GbnfNode.Rule r : rules) {
            GbnfNode.Rule before = defined.putIfAbsent(r.name(), r);
            if (before != null) {
                throw new GrammarException("the rule '" + r.name() + "' is defined twice (first at line " + before.line()
                        + ")", r.line(), r.column());
            }
            c.id(r.name());
        }
        if (!defined.containsKey(rootName)) {
            throw new GrammarException("the grammar has no '" + rootName + "' rule to start from");
        }
        for (GbnfNode.Rule r : rules) {
            int id = c.id(r.name());
            c.origins.set(id, r.name());
            c.bodies.set(id, c.alternatives(r.body(), r.name()));
        }
        for (int i = 0; i < c.names.size(); i++) {
            if (c.bodies.get(i) == null) {
                GbnfNode.Ref use = c.firstUse.get(c.names.get(i));
                throw new GrammarException("the rule '" + c.names.get(i) + "' is used but never defined", use.line(), use.column());
            }
        }
        GrammarCode code = GrammarCode.of(c.names, c.bodies, c.ids.get(rootName));
        LeftRecursion.check(code, c.origins, defined);
        return code;
    }

    private int id(String name) {
        Integer id = ids.get(name);
        if (id == null) {
            id = names.size();
            ids.put(name, id);
            names.add(name);
            bodies.add(null);
            origins.add(name);
        }
        return id;
    }

    /** A fresh rule for a group or repetition inside {@code owner}. */
    private int newRule(String owner, List<int[]> body) {
        String name;
        do {
            name = owner + "-" + (++generated);
        } while (ids.containsKey(name));
        int id = id(name);
        origins.set(id, owner);
        bodies.set(id, body);
        return id;
    }

    private List<int[]> alternatives(GbnfNode node, String owner) {
        List<int[]> out = new ArrayList<>();
        if (node instanceof GbnfNode.Alternatives a) {
            for (GbnfNode option : a.options()) {
                out.add(elements(option, owner));
            }
        } else {
            out.add(elements(node, owner));
        }
        return out;
    }

    /** The elements of a sequence, encoded as in {@link GrammarCode} without the END marker. */
    private int[] elements(GbnfNode node, String owner) {
        Elements out = new Elements();
        append(node, owner, out);
        return out.toArray();
    }

    private void append(GbnfNode node, String owner, Elements out) {
        switch (node) {
            case GbnfNode.Literal l -> {
                for (int cp : l.codePoints()) {
                    out.add(GrammarCode.CHAR, cp, cp);
                }
            }
            case GbnfNode.CharSet s -> out.add(s.negated() ? GrammarCode.CHAR_NOT : GrammarCode.CHAR, normalize(s.ranges()));
            case GbnfNode.Ref r -> {
                firstUse.putIfAbsent(r.name(), r);
                out.ref(id(r.name()));
            }
            case GbnfNode.Sequence s -> s.items().forEach(item -> append(item, owner, out));
            case GbnfNode.Alternatives a -> out.ref(newRule(owner, alternatives(a, owner)));
            case GbnfNode.Repeat r -> repeat(r, owner, out);
        }
    }

    private void repeat(GbnfNode.Repeat r, String owner, Elements out) {
        int[] item = elements(r.item(), owner);
        for (int i = 0; i < r.min(); i++) {
            out.addAll(item);
        }
        if (r.max() == GbnfNode.Repeat.UNBOUNDED) {
            // r ::= item r | (the self reference is filled in once the rule has its id)
            int id = newRule(owner, new ArrayList<>());
            Elements loop = new Elements();
            loop.addAll(item);
            loop.ref(id);
            bodies.get(id).add(loop.toArray());
            bodies.get(id).add(new int[0]);
            out.ref(id);
            return;
        }
        int optional = -1;
        for (int i = r.min(); i < r.max(); i++) {
            Elements some = new Elements();
            some.addAll(item);
            if (optional >= 0) {
                some.ref(optional);
            }
            List<int[]> body = new ArrayList<>();
            body.add(some.toArray());
            body.add(new int[0]);
            optional = newRule(owner, body);
        }
        if (optional >= 0) {
            out.ref(optional);
        }
    }

    /** Sorted, merged ranges, so matching can stop early and equal classes compare equal. */
    private static int[] normalize(int[] ranges) {
        int n = ranges.length / 2;
        long[] pairs = new long[n];
        for (int i = 0; i < n; i++) {
            pairs[i] = ((long) ranges[2 * i] << 32) | ranges[2 * i + 1];
        }
        Arrays.sort(pairs);
        int[] out = new int[ranges.length];
        int m = 0;
        for (long p : pairs) {
            int lo = (int) (p >>> 32);
            int hi = (int) p;
            if (m > 0 && lo <= out[m - 1] + 1) {
                out[m - 1] = Math.max(out[m - 1], hi);
            } else {
                out[m++] = lo;
                out[m++] = hi;
            }
        }
        return Arrays.copyOf(out, m);
    }

    /** A growable int run of encoded elements. */
    private static final class Elements {
        private int[] data = new int[16];
        private int size;

        void add(int kind, int... ranges) {
            ensure(2 + ranges.length);
            data[size++] = kind;
            data[size++] = ranges.length / 2;
            System.arraycopy(ranges, 0, data, size, ranges.length);
            size += ranges.length;
        }

        void ref(int rule) {
            ensure(2);
            data[size++] = GrammarCode.REF;
            data[size++] = rule;
        }

        void addAll(int[] elements) {
            ensure(elements.length);
            System.arraycopy(elements, 0, data, size, elements.length);
            size += elements.length;
        }

        private void ensure(int more) {
            if (size + more > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
            }
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
