package dev.gantry.engine.chat.jinja;

import java.util.List;

/** Statement nodes of the template AST. {@code offset} is the source position, for error messages. */
sealed interface Node {

    int offset();

    record Text(String text, int offset) implements Node {
    }

    /** {@code {{ expr }}}. */
    record Output(Expr expr, int offset) implements Node {
    }

    record Branch(Expr test, List<Node> body) {
    }

    /** {@code if / elif* / else?}. */
    record If(List<Branch> branches, List<Node> orElse, int offset) implements Node {
    }

    /**
     * {@code for targets in iterable [if filter] [recursive]}; {@code orElse} renders when nothing is iterated.
     */
    record For(List<String> targets, Expr iterable, Expr filter, boolean recursive, List<Node> body,
               List<Node> orElse, int offset) implements Node {
    }

    /** {@code set a = v} or {@code set a, b = v} (unpacking). */
    record Set(List<String> targets, Expr value, int offset) implements Node {
    }

    /** {@code set ns.attr = v}: assigns into a namespace object. */
    record SetAttr(String namespace, String attribute, Expr value, int offset) implements Node {
    }

    /** {@code set name [| filters] %}...{% endset}: captures rendered output; {@code filter} may be null. */
    record SetBlock(String name, Expr filter, List<Node> body, int offset) implements Node {
    }

    record Param(String name, Expr defaultValue) {
    }

    record Macro(String name, List<Param> params, List<Node> body, int offset) implements Node {
    }

    /** {@code call(params) callee(args)}: calls with {@code caller} bound to the body as a macro. */
    record CallBlock(Expr.Call call, List<Param> params, List<Node> body, int offset) implements Node {
    }

    /**
     * {@code filter f | g %}...{% endfilter}: renders the body, then applies the chain. {@code chain} is a filter
     * expression whose innermost value is a placeholder {@link Expr.Name} {@code "__body__"}.
     */
    record FilterBlock(Expr chain, List<Node> body, int offset) implements Node {
    }

    /** {@code with a = x, b = y %}...{% endwith}: a new scope. */
    record With(List<String> names, List<Expr> values, List<Node> body, int offset) implements Node {
    }

    /** {@code do expr}: evaluates for its side effects (e.g. {@code list.append}). */
    record Do(Expr expr, int offset) implements Node {
    }

    record Break(int offset) implements Node {
    }

    record Continue(int offset) implements Node {
    }
}
