package dev.gantry.engine.chat.jinja;

import dev.gantry.engine.chat.jinja.JinjaFunction.Arguments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the AST of one template for one render. Errors are reported at the innermost expression or statement
 * being evaluated, with its line and column.
 */
final class Interpreter {

    /** Deeper macro recursion than this is certainly a runaway template. */
    private static final int MAX_CALL_DEPTH = 256;

    private final String source;
    private int callDepth;

    Interpreter(String source) {
        this.source = source;
    }

    /** Thrown by {@code break} and {@code continue}; caught by the innermost for loop. */
    private static final class LoopControl extends RuntimeException {
        final boolean isBreak;

        LoopControl(boolean isBreak) {
            super(null, null, false, false);
            this.isBreak = isBreak;
        }
    }

    // ---- statements ----

    /** Renders a whole template; a {@code break} or {@code continue} outside any loop is an error. */
    void renderTemplate(List<Node> nodes, Scope scope, StringBuilder out) {
        try {
            render(nodes, scope, out);
        } catch (LoopControl stray) {
            throw TemplateException.at(TemplateException.Kind.SYNTAX, source, 0,
                    (stray.isBreak ? "break" : "continue") + " outside of a for loop");
        }
    }

    void render(List<Node> nodes, Scope scope, StringBuilder out) {
        for (Node node : nodes) {
            try {
                renderNode(node, scope, out);
            } catch (EvalError e) {
                throw located(node.offset(), e);
            }
        }
    }

    private void renderNode(Node node, Scope scope, StringBuilder out) {
        switch (node) {
            case Node.Text t -> out.append(t.text());
            case Node.Output o -> out.append(Values.output(eval(o.expr(), scope)));
            case Node.If i -> {
                for (Node.Branch b : i.branches()) {
                    if (Values.truthy(eval(b.test(), scope))) {
                        render(b.body(), scope, out);
                        return;
                    }
                }
                render(i.orElse(), scope, out);
            }
            case Node.For f -> renderFor(f, eval(f.iterable(), scope), scope, out, 0);
            case Node.Set s -> bind(scope, s.targets(), eval(s.value(), scope));
            case Node.SetAttr s -> {
                Object namespace = scope.get(s.namespace());
                if (!(namespace instanceof Map<?, ?> map)) {
                    throw new EvalError("cannot set '" + s.namespace() + "." + s.attribute() + "': '"
                            + s.namespace() + "' is " + (namespace == null ? "undefined" : "a "
                            + Values.typeName(namespace)) + ", not a namespace()");
                }
                Object value = eval(s.value(), scope);
                @SuppressWarnings("unchecked")
                Map<Object, Object> target = (Map<Object, Object>) map;
                target.put(s.attribute(), value);
            }
            case Node.SetBlock s -> {
                StringBuilder body = new StringBuilder();
                render(s.body(), new Scope(scope), body);
                Object value = body.toString();
                if (s.filter() != null) {
                    Scope withBody = new Scope(scope);
                    withBody.set(Parser.FILTER_BODY, value);
                    value = eval(s.filter(), withBody);
                }
                scope.set(s.name(), value);
            }
            case Node.Macro m -> scope.set(m.name(), new Macro(m, scope));
            case Node.CallBlock c -> {
                Macro caller = new Macro(new Node.Macro("caller", c.params(), c.body(), c.offset()), scope);
                out.append(Values.output(evalCall(c.call(), scope, caller)));
            }
            case Node.FilterBlock f -> {
                StringBuilder body = new StringBuilder();
                render(f.body(), new Scope(scope), body);
                Scope withBody = new Scope(scope);
                withBody.set(Parser.FILTER_BODY, body.toString());
                out.append(Values.output(eval(f.chain(), withBody)));
            }
            case Node.With w -> {
                Scope inner = new Scope(scope);
                for (int i = 0; i < w.names().size(); i++) {
                    inner.set(w.names().get(i), eval(w.values().get(i), scope));
                }
                render(w.body(), inner, out);
            }
            case Node.Do d -> eval(d.expr(), scope);
            case Node.Break b -> throw new LoopControl(true);
            case Node.Continue c -> throw new LoopControl(false);
        }
    }

    private void renderFor(Node.For f, Object iterable, Scope scope, StringBuilder out, int depth) {
        if (iterable != null && !Values.isIterable(iterable)) {
            throw new EvalError("cannot loop over " + Values.typeName(iterable) + ": it is not iterable");
        }
        Scope loopScope = new Scope(scope);
        List<Object> items = Values.iterate(iterable);
        if (f.filter() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                bind(loopScope, f.targets(), item);
                if (Values.truthy(eval(f.filter(), loopScope))) {
                    kept.add(item);
                }
            }
            items = kept;
        }
        if (items.isEmpty()) {
            render(f.orElse(), scope, out);
            return;
        }
        LoopState loop = new LoopState(f.recursive() ? inner -> {
            StringBuilder nested = new StringBuilder();
            renderFor(f, inner, scope, nested, depth + 1);
            return nested.toString();
        } : null);
        loopScope.set("loop", loop);
        int n = items.size();
        for (int i = 0; i < n; i++) {
            Object item = items.get(i);
            bind(loopScope, f.targets(), item);
            loop.update(i, n, depth, i > 0 ? items.get(i - 1) : null, i + 1 < n ? items.get(i + 1) : null);
            try {
                render(f.body(), loopScope, out);
            } catch (LoopControl control) {
                if (control.isBreak) {
                    break;
                }
            }
        }
    }

    /** The {@code loop} variable: index, first, last, length, previtem, nextitem, cycle(), and loop() if recursive. */
    private static final class LoopState extends LinkedHashMap<Object, Object> implements JinjaFunction {
        private final java.util.function.Function<Object, String> recurse;

        LoopState(java.util.function.Function<Object, String> recurse) {
            this.recurse = recurse;
        }

        void update(int i, int n, int depth, Object previous, Object next) {
            put("index", (long) i + 1);
            put("index0", (long) i);
            put("revindex", (long) (n - i));
            put("revindex0", (long) (n - i - 1));
            put("first", i == 0);
            put("last", i == n - 1);
            put("length", (long) n);
            put("depth", (long) depth + 1);
            put("depth0", (long) depth);
            put("previtem", previous);
            put("nextitem", next);
            put("cycle", (JinjaFunction) args -> {
                if (args.positional().isEmpty()) {
                    throw new EvalError("loop.cycle() needs at least one item");
                }
                return args.positional().get(i % args.positional().size());
            });
        }

        @Override
        public Object call(Arguments args) {
            if (recurse == null) {
                throw new EvalError("loop() can only be called in a 'recursive' for loop");
            }
            return recurse.apply(args.get(0, "iterable", null));
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private static void bind(Scope scope, List<String> targets, Object value) {
        if (targets.size() == 1) {
            scope.set(targets.getFirst(), value);
            return;
        }
        if (!(value instanceof List<?> values) || values.size() != targets.size()) {
            throw new EvalError("cannot unpack " + Values.typeName(value) + " into " + targets.size()
                    + " names " + targets);
        }
        for (int i = 0; i < targets.size(); i++) {
            scope.set(targets.get(i), values.get(i));
        }
    }

    // ---- macros ----

    /** A macro bound to the scope it was defined in; calling it renders its body in a new scope. */
    private final class Macro implements JinjaFunction {
        private final Node.Macro definition;
        private final Scope closure;

        Macro(Node.Macro definition, Scope closure) {
            this.definition = definition;
            this.closure = closure;
        }

        @Override
        public Object call(Arguments args) {
            if (++callDepth > MAX_CALL_DEPTH) {
                callDepth = 0;
                throw new EvalError("macro '" + definition.name() + "' recursed more than " + MAX_CALL_DEPTH
                        + " levels deep");
            }
            try {
                Scope scope = new Scope(closure);
                List<Node.Param> params = definition.params();
                boolean[] bound = new boolean[params.size()];
                List<Object> varargs = new ArrayList<>();
                for (int i = 0; i < args.positional().size(); i++) {
                    if (i < params.size()) {
                        scope.set(params.get(i).name(), args.positional().get(i));
                        bound[i] = true;
                    } else {
                        varargs.add(args.positional().get(i));
                    }
                }
                Map<Object, Object> kwargs = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : args.keywords().entrySet()) {
                    int index = indexOf(params, e.getKey());
                    if (index >= 0) {
                        if (bound[index]) {
                            throw new EvalError("macro '" + definition.name() + "' got two values for '"
                                    + e.getKey() + "'");
                        }
                        bound[index] = true;
                        scope.set(e.getKey(), e.getValue());
                    } else if (e.getKey().equals("caller")) {
                        scope.set("caller", e.getValue());
                    } else {
                        kwargs.put(e.getKey(), e.getValue());
                    }
                }
                for (int i = 0; i < params.size(); i++) {
                    if (!bound[i]) {
                        Expr fallback = params.get(i).defaultValue();
                        scope.set(params.get(i).name(), fallback == null ? null : eval(fallback, scope));
                    }
                }
                scope.set("varargs", varargs);
                scope.set("kwargs", kwargs);
                StringBuilder out = new StringBuilder();
                render(definition.body(), scope, out);
                return out.toString();
            } finally {
                callDepth = Math.max(0, callDepth - 1);
            }
        }

        private static int indexOf(List<Node.Param> params, String name) {
            for (int i = 0; i < params.size(); i++) {
                if (params.get(i).name().equals(name)) {
                    return i;
                }
            }
            return -1;
        }
    }

    // ---- expressions ----

    Object eval(Expr e, Scope scope) {
        try {
            return evalInner(e, scope);
        } catch (EvalError err) {
            throw located(e.offset(), err);
        } catch (ClassCastException | IndexOutOfBoundsException | ArithmeticException
                 | IllegalArgumentException err) {
            // A built-in or a caller's function refused its arguments; report it where it happened.
            throw located(e.offset(), new EvalError("invalid argument: " + err.getMessage()));
        }
    }

    private Object evalInner(Expr e, Scope scope) {
        return switch (e) {
            case Expr.Literal l -> l.value();
            case Expr.Name n -> scope.get(n.name());
            case Expr.Attr a -> {
                Object target = eval(a.target(), scope);
                if (target == null) {
                    throw new EvalError(describe(a.target()) + " is undefined, so it has no attribute '"
                            + a.name() + "'");
                }
                yield Values.getAttr(target, a.name());
            }
            case Expr.Item i -> {
                Object target = eval(i.target(), scope);
                Object key = eval(i.index(), scope);
                if (target == null) {
                    throw new EvalError(describe(i.target()) + " is undefined, so it has no item "
                            + Values.repr(key));
                }
                yield Values.getItem(target, key);
            }
            case Expr.Slice s -> Values.slice(eval(s.target(), scope), evalOrNull(s.start(), scope),
                    evalOrNull(s.stop(), scope), evalOrNull(s.step(), scope));
            case Expr.Call c -> evalCall(c, scope, null);
            case Expr.Filter f -> Filters.apply(f.name(), eval(f.value(), scope), evalArgs(f.args(), scope, null));
            case Expr.Test t -> {
                boolean result = Tests.apply(t.name(), eval(t.value(), scope), evalArgs(t.args(), scope, null));
                yield t.negated() != result;
            }
            case Expr.Unary u -> u.op().equals("-") ? Values.negate(eval(u.operand(), scope))
                    : Values.requireNumber(eval(u.operand(), scope), "unary +");
            case Expr.Binary b -> Values.binary(b.op(), eval(b.left(), scope), eval(b.right(), scope));
            case Expr.Compare c -> compare(c, scope);
            case Expr.And a -> {
                Object left = eval(a.left(), scope);
                yield Values.truthy(left) ? eval(a.right(), scope) : left;
            }
            case Expr.Or o -> {
                Object left = eval(o.left(), scope);
                yield Values.truthy(left) ? left : eval(o.right(), scope);
            }
            case Expr.Not n -> !Values.truthy(eval(n.operand(), scope));
            case Expr.Conditional c -> Values.truthy(eval(c.test(), scope)) ? eval(c.then(), scope)
                    : evalOrNull(c.orElse(), scope);
            case Expr.ListLiteral l -> {
                List<Object> items = new ArrayList<>(l.items().size());
                for (Expr item : l.items()) {
                    items.add(eval(item, scope));
                }
                yield items;
            }
            case Expr.DictLiteral d -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (Expr.DictEntry entry : d.entries()) {
                    map.put(eval(entry.key(), scope), eval(entry.value(), scope));
                }
                yield map;
            }
        };
    }

    private Object evalOrNull(Expr e, Scope scope) {
        return e == null ? null : eval(e, scope);
    }

    private Object compare(Expr.Compare c, Scope scope) {
        Object left = eval(c.first(), scope);
        for (Expr.Comparison link : c.rest()) {
            Object right = eval(link.operand(), scope);
            boolean holds = switch (link.op()) {
                case "==" -> Values.equal(left, right);
                case "!=" -> !Values.equal(left, right);
                case "<" -> Values.compare(left, right, "<") < 0;
                case "<=" -> Values.compare(left, right, "<=") <= 0;
                case ">" -> Values.compare(left, right, ">") > 0;
                case ">=" -> Values.compare(left, right, ">=") >= 0;
                case "in" -> Values.contains(right, left);
                case "notin" -> !Values.contains(right, left);
                default -> throw new EvalError("unknown comparison " + link.op());
            };
            if (!holds) {
                return false;
            }
            left = right;
        }
        return true;
    }

    private Object evalCall(Expr.Call c, Scope scope, JinjaFunction caller) {
        if (c.callee() instanceof Expr.Attr attr) {
            Object target = eval(attr.target(), scope);
            Arguments args = evalArgs(c.args(), scope, caller);
            if (target instanceof Map<?, ?> m && m.get(attr.name()) instanceof JinjaFunction f) {
                return f.call(args);
            }
            if (target == null) {
                throw new EvalError("cannot call method '" + attr.name() + "' on " + describe(attr.target())
                        + ": it is undefined");
            }
            return Methods.call(target, attr.name(), args);
        }
        Object callee = eval(c.callee(), scope);
        Arguments args = evalArgs(c.args(), scope, caller);
        if (callee instanceof JinjaFunction f) {
            return f.call(args);
        }
        if (callee == null) {
            throw new EvalError(describe(c.callee()) + " is undefined, so it cannot be called");
        }
        throw new EvalError(describe(c.callee()) + " is a " + Values.typeName(callee) + ", not a function");
    }

    private Arguments evalArgs(Expr.Args args, Scope scope, JinjaFunction caller) {
        List<Object> positional = new ArrayList<>(args.positional().size());
        for (Expr p : args.positional()) {
            positional.add(eval(p, scope));
        }
        if (args.starArgs() != null) {
            positional.addAll(Values.iterate(eval(args.starArgs(), scope)));
        }
        Map<String, Object> keywords = new LinkedHashMap<>();
        for (Expr.Kwarg k : args.keywords()) {
            keywords.put(k.name(), eval(k.value(), scope));
        }
        if (args.starKwargs() != null) {
            Object extra = eval(args.starKwargs(), scope);
            if (!(extra instanceof Map<?, ?> m)) {
                throw new EvalError("** needs a mapping, not " + Values.typeName(extra));
            }
            m.forEach((k, v) -> keywords.put(Values.str(k), v));
        }
        if (caller != null) {
            keywords.put("caller", caller);
        }
        return new Arguments(positional, keywords);
    }

    /** A short description of an expression for error messages: its source text when it is short. */
    private String describe(Expr e) {
        return switch (e) {
            case Expr.Name n -> "'" + n.name() + "'";
            case Expr.Attr a -> "'" + path(a) + "'";
            case Expr.Item i -> "'" + path(i) + "'";
            default -> "the value";
        };
    }

    private static String path(Expr e) {
        return switch (e) {
            case Expr.Name n -> n.name();
            case Expr.Attr a -> path(a.target()) + "." + a.name();
            case Expr.Item i -> path(i.target()) + "[" + (i.index() instanceof Expr.Literal l
                    ? Values.repr(l.value()) : "...") + "]";
            default -> "...";
        };
    }

    private TemplateException located(int offset, EvalError e) {
        return TemplateException.at(e.isRaised() ? TemplateException.Kind.RAISED : TemplateException.Kind.RENDER,
                source, offset, e.getMessage());
    }
}
