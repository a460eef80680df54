package dev.gantry.engine.chat.jinja;

import java.util.List;

/** Expression nodes of the template AST. {@code offset} is the source position, for error messages. */
sealed interface Expr {

    int offset();

    record Literal(Object value, int offset) implements Expr {
    }

    record Name(String name, int offset) implements Expr {
    }

    /** {@code target.name}: a mapping key (or, when called, a Python-style method). */
    record Attr(Expr target, String name, int offset) implements Expr {
    }

    /** {@code target[index]}. */
    record Item(Expr target, Expr index, int offset) implements Expr {
    }

    /** {@code target[start:stop:step]}, each part optional. */
    record Slice(Expr target, Expr start, Expr stop, Expr step, int offset) implements Expr {
    }

    /** A keyword argument {@code name=value}. */
    record Kwarg(String name, Expr value) {
    }

    /** Call arguments: positional, keyword, and optional {@code *args} / {@code **kwargs} expansions. */
    record Args(List<Expr> positional, List<Kwarg> keywords, Expr starArgs, Expr starKwargs) {
        static final Args NONE = new Args(List.of(), List.of(), null, null);
    }

    record Call(Expr callee, Args args, int offset) implements Expr {
    }

    /** {@code value | name(args)}. */
    record Filter(Expr value, String name, Args args, int offset) implements Expr {
    }

    /** {@code value is [not] name(args)}. */
    record Test(Expr value, String name, Args args, boolean negated, int offset) implements Expr {
    }

    /** Unary {@code -}, {@code +}. */
    record Unary(String op, Expr operand, int offset) implements Expr {
    }

    /** Arithmetic and {@code ~}: one of {@code + - * / // % ** ~}. */
    record Binary(String op, Expr left, Expr right, int offset) implements Expr {
    }

    /** One link of a comparison chain: {@code == != < <= > >= in notin}. */
    record Comparison(String op, Expr operand) {
    }

    /** {@code a < b <= c} compares pairwise, as Python does. */
    record Compare(Expr first, List<Comparison> rest, int offset) implements Expr {
    }

    record And(Expr left, Expr right, int offset) implements Expr {
    }

    record Or(Expr left, Expr right, int offset) implements Expr {
    }

    record Not(Expr operand, int offset) implements Expr {
    }

    /** {@code then if test else orElse}; {@code orElse} may be null (undefined). */
    record Conditional(Expr then, Expr test, Expr orElse, int offset) implements Expr {
    }

    /** A list or tuple literal (tuples are lists at run time). */
    record ListLiteral(List<Expr> items, int offset) implements Expr {
    }

    record DictEntry(Expr key, Expr value) {
    }

    record DictLiteral(List<DictEntry> entries, int offset) implements Expr {
    }
}
