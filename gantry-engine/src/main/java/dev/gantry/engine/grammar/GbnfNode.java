package dev.gantry.engine.grammar;

import java.util.List;

/** The syntax tree of one GBNF rule body, as {@link GbnfParser} reads it. */
sealed interface GbnfNode {

    /** A string literal: its code points in order. */
    record Literal(int[] codePoints) implements GbnfNode {
    }

    /** A character class: inclusive ranges {@code [lo0, hi0, lo1, hi1, ...]}; {@code .} is a negated empty set. */
    record CharSet(int[] ranges, boolean negated) implements GbnfNode {
    }

    /** A reference to a rule, with where it was written (for "undefined rule" errors). */
    record Ref(String name, int line, int column) implements GbnfNode {
    }

    record Sequence(List<GbnfNode> items) implements GbnfNode {
    }

    record Alternatives(List<GbnfNode> options) implements GbnfNode {
    }

    /** {@code item{min,max}}; max is {@link #UNBOUNDED} for {@code *}, {@code +} and {@code {m,}}. */
    record Repeat(GbnfNode item, int min, int max) implements GbnfNode {
        static final int UNBOUNDED = -1;
    }

    /** One {@code name ::= body} definition and where it starts. */
    record Rule(String name, GbnfNode body, int line, int column) {
    }
}
