package dev.gantry.engine.chat.jinja;

import dev.gantry.engine.chat.jinja.JinjaFunction.Arguments;

import java.util.List;
import java.util.Map;

/**
 * Jinja's tests, used as {@code value is name(args)} and by {@code select}/{@code selectattr}. {@code defined}
 * means "not null" (see {@link Values}), as in minja.
 */
final class Tests {

    @FunctionalInterface
    private interface Test {
        boolean test(Object value, Arguments args);
    }

    private static final Map<String, Test> TESTS = Map.ofEntries(
            Map.entry("defined", (v, a) -> v != null),
            Map.entry("undefined", (v, a) -> v == null),
            Map.entry("none", (v, a) -> v == null),
            Map.entry("boolean", (v, a) -> v instanceof Boolean),
            Map.entry("true", (v, a) -> Boolean.TRUE.equals(v)),
            Map.entry("false", (v, a) -> Boolean.FALSE.equals(v)),
            Map.entry("integer", (v, a) -> v instanceof Long),
            Map.entry("float", (v, a) -> v instanceof Double),
            Map.entry("number", (v, a) -> Values.isNumber(v)),
            Map.entry("string", (v, a) -> v instanceof String),
            Map.entry("mapping", (v, a) -> v instanceof Map),
            Map.entry("iterable", (v, a) -> Values.isIterable(v)),
            Map.entry("sequence", (v, a) -> v instanceof List || v instanceof String),
            Map.entry("callable", (v, a) -> v instanceof JinjaFunction),
            Map.entry("odd", (v, a) -> Math.floorMod(Values.asLong(v, "odd test value"), 2L) == 1),
            Map.entry("even", (v, a) -> Math.floorMod(Values.asLong(v, "even test value"), 2L) == 0),
            Map.entry("divisibleby", (v, a) -> {
                long n = Values.asLong(required(a, 0, "num", "divisibleby"), "divisibleby argument");
                return n != 0 && Values.asLong(v, "divisibleby test value") % n == 0;
            }),
            Map.entry("lower", (v, a) -> v instanceof String s && s.equals(s.toLowerCase())),
            Map.entry("upper", (v, a) -> v instanceof String s && s.equals(s.toUpperCase())),
            Map.entry("equalto", Tests::equalTo),
            Map.entry("eq", Tests::equalTo),
            Map.entry("==", Tests::equalTo),
            Map.entry("ne", (v, a) -> !equalTo(v, a)),
            Map.entry("!=", (v, a) -> !equalTo(v, a)),
            Map.entry("lt", (v, a) -> Values.compare(v, required(a, 0, "other", "lt"), "<") < 0),
            Map.entry("<", (v, a) -> Values.compare(v, required(a, 0, "other", "<"), "<") < 0),
            Map.entry("le", (v, a) -> Values.compare(v, required(a, 0, "other", "le"), "<=") <= 0),
            Map.entry("<=", (v, a) -> Values.compare(v, required(a, 0, "other", "<="), "<=") <= 0),
            Map.entry("gt", (v, a) -> Values.compare(v, required(a, 0, "other", "gt"), ">") > 0),
            Map.entry(">", (v, a) -> Values.compare(v, required(a, 0, "other", ">"), ">") > 0),
            Map.entry("ge", (v, a) -> Values.compare(v, required(a, 0, "other", "ge"), ">=") >= 0),
            Map.entry(">=", (v, a) -> Values.compare(v, required(a, 0, "other", ">="), ">=") >= 0),
            Map.entry("in", (v, a) -> Values.contains(required(a, 0, "seq", "in"), v)),
            Map.entry("sameas", (v, a) -> {
                Object other = required(a, 0, "other", "sameas");
                return v == other || (v instanceof Boolean && v.equals(other));
            }),
            Map.entry("escaped", (v, a) -> false),
            Map.entry("filter", (v, a) -> v instanceof String s && Filters.exists(s)),
            Map.entry("test", (v, a) -> v instanceof String s && exists(s)));

    private Tests() {
    }

    static boolean exists(String name) {
        return TESTS.containsKey(name);
    }

    static boolean apply(String name, Object value, Arguments args) {
        Test test = TESTS.get(name);
        if (test == null) {
            throw new EvalError("unknown test '" + name + "'");
        }
        return test.test(value, args);
    }

    private static boolean equalTo(Object value, Arguments args) {
        return Values.equal(value, required(args, 0, "value", "equalto"));
    }

    private static Object required(Arguments args, int index, String name, String test) {
        if (!args.has(index, name)) {
            throw new EvalError("the '" + test + "' test needs an argument");
        }
        return args.get(index, name, null);
    }
}
