package dev.gantry.engine.chat.jinja;

import dev.gantry.engine.chat.jinja.JinjaFunction.Arguments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Global functions every template can call: Jinja's {@code range}, {@code dict}, {@code namespace},
 * {@code joiner}, {@code cycler}, and {@code raise_exception}, which Hugging Face and llama.cpp both give chat
 * templates so they can reject conversations they cannot render.
 */
final class Builtins {

    private Builtins() {
    }

    /** A fresh scope holding the built-ins, for one render (namespaces and cyclers are mutable). */
    static Scope newScope() {
        Scope scope = new Scope(null);
        scope.set("range", (JinjaFunction) Builtins::range);
        scope.set("dict", (JinjaFunction) Builtins::dict);
        scope.set("namespace", (JinjaFunction) Builtins::dict);
        scope.set("joiner", (JinjaFunction) Builtins::joiner);
        scope.set("cycler", (JinjaFunction) Builtins::cycler);
        scope.set("raise_exception", (JinjaFunction) args -> {
            throw EvalError.raised(Values.str(args.get(0, "message", "")));
        });
        return scope;
    }

    private static Object range(Arguments a) {
        List<Object> p = a.positional();
        long start = 0;
        long stop;
        long step = 1;
        switch (p.size()) {
            case 1 -> stop = Values.asLong(p.get(0), "range stop");
            case 2 -> {
                start = Values.asLong(p.get(0), "range start");
                stop = Values.asLong(p.get(1), "range stop");
            }
            case 3 -> {
                start = Values.asLong(p.get(0), "range start");
                stop = Values.asLong(p.get(1), "range stop");
                step = Values.asLong(p.get(2), "range step");
            }
            default -> throw new EvalError("range expects 1 to 3 integer arguments, got " + p.size());
        }
        if (step == 0) {
            throw new EvalError("range step must not be zero");
        }
        if ((stop - start) / step > 1_000_000) {
            throw new EvalError("range of more than a million items");
        }
        List<Object> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            out.add(i);
        }
        return out;
    }

    /** {@code dict(a=1)}, {@code dict(mapping, b=2)}, and {@code namespace(...)}, which is a mutable mapping. */
    private static Object dict(Arguments a) {
        Map<Object, Object> out = new LinkedHashMap<>();
        if (!a.positional().isEmpty()) {
            if (!(a.positional().getFirst() instanceof Map<?, ?> m)) {
                throw new EvalError("dict() positional argument must be a mapping");
            }
            out.putAll(m);
        }
        out.putAll(a.keywords());
        return out;
    }

    private static Object joiner(Arguments a) {
        String separator = Values.str(a.get(0, "sep", ", "));
        boolean[] used = {false};
        return (JinjaFunction) ignored -> {
            if (!used[0]) {
                used[0] = true;
                return "";
            }
            return separator;
        };
    }

    private static Object cycler(Arguments a) {
        List<Object> items = new ArrayList<>(a.positional());
        if (items.isEmpty()) {
            throw new EvalError("cycler needs at least one item");
        }
        Map<Object, Object> cycler = new LinkedHashMap<>();
        int[] position = {0};
        cycler.put("current", items.getFirst());
        cycler.put("next", (JinjaFunction) ignored -> {
            Object item = items.get(position[0]);
            position[0] = (position[0] + 1) % items.size();
            cycler.put("current", items.get(position[0]));
            return item;
        });
        cycler.put("reset", (JinjaFunction) ignored -> {
            position[0] = 0;
            cycler.put("current", items.getFirst());
            return null;
        });
        return cycler;
    }
}
