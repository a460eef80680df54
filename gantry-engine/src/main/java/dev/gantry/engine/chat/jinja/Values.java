package dev.gantry.engine.chat.jinja;

import dev.gantry.engine.chat.Json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The run-time semantics of template values, as in Python (which Jinja2 borrows) with the deviations of minja,
 * llama.cpp's engine, that chat templates and the reference renderings depend on:
 * <ul>
 *   <li>There is one "missing" value, {@code null}: Python's {@code None} and Jinja's undefined are the same,
 *       so a key holding {@code null} is not {@code defined} (llama.cpp passes absent extras as null).</li>
 *   <li>{@code {{ none }}} prints nothing, but {@code str(none)} is {@code "None"}, and {@code +} with a string
 *       on either side concatenates {@code str()} of both: {@code "a" + none} is {@code "aNone"}.</li>
 * </ul>
 * Internally numbers are {@code Long} or {@code Double}, lists {@code ArrayList}, mappings
 * {@code LinkedHashMap} (insertion order is kept, as in Python); {@link #normalize} converts caller values.
 */
final class Values {

    private Values() {
    }

    // ---- conversion of caller values ----

    /** Deep-copies a caller value into template values, so a template can never mutate the caller's data. */
    static Object normalize(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Double d -> d;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Float f -> f.doubleValue();
            case BigInteger b -> b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
            case BigDecimal b -> b.doubleValue();
            case Character c -> c.toString();
            case JinjaFunction f -> f;
            case Map<?, ?> m -> {
                Map<Object, Object> copy = new LinkedHashMap<>();
                m.forEach((k, v) -> copy.put(normalize(k), normalize(v)));
                yield copy;
            }
            case Collection<?> c -> {
                List<Object> copy = new ArrayList<>(c.size());
                c.forEach(v -> copy.add(normalize(v)));
                yield copy;
            }
            case Object[] array -> normalize(java.util.Arrays.asList(array));
            default -> throw new IllegalArgumentException("a " + value.getClass().getName()
                    + " cannot be used in a template; use String, Number, Boolean, List, Map or null");
        };
    }

    // ---- type predicates ----

    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double;
    }

    static String typeName(Object v) {
        return switch (v) {
            case null -> "None";
            case String s -> "str";
            case Boolean b -> "bool";
            case Long l -> "int";
            case Double d -> "float";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case JinjaFunction f -> "function";
            default -> v.getClass().getSimpleName();
        };
    }

    // ---- truth and text ----

    static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0;
            case String s -> !s.isEmpty();
            case List<?> l -> !l.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            default -> true;
        };
    }

    /** What {@code {{ v }}} prints: like {@link #str} except that a missing value prints nothing. */
    static String output(Object v) {
        return v == null ? "" : str(v);
    }

    /** Python's {@code str()}. */
    static String str(Object v) {
        return switch (v) {
            case null -> "None";
            case String s -> s;
            case Boolean b -> b ? "True" : "False";
            case Long l -> l.toString();
            case Double d -> formatFloat(d);
            default -> repr(v);
        };
    }

    /** Python's {@code repr()}: strings quoted, containers shown with their elements' reprs. */
    static String repr(Object v) {
        return switch (v) {
            case null -> "None";
            case String s -> reprString(s);
            case List<?> list -> {
                StringBuilder out = new StringBuilder("[");
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(", ");
                    }
                    out.append(repr(list.get(i)));
                }
                yield out.append(']').toString();
            }
            case Map<?, ?> map -> {
                StringBuilder out = new StringBuilder("{");
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        out.append(", ");
                    }
                    first = false;
                    out.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                }
                yield out.append('}').toString();
            }
            case JinjaFunction f -> "<function>";
            default -> str(v);
        };
    }

    static String formatFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return Json.formatDouble(d);
    }

    private static String reprString(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == quote || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                out.append("\\x%02x".formatted((int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(quote).toString();
    }

    // ---- equality and ordering ----

    /** Python's {@code ==}: numbers by value (booleans count as 0 and 1), containers element by element. */
    static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (isNumeric(a) && isNumeric(b)) {
            Number x = asNumber(a);
            Number y = asNumber(b);
            if (x instanceof Long lx && y instanceof Long ly) {
                return lx.longValue() == ly.longValue();
            }
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!equal(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                if (!mb.containsKey(e.getKey()) || !equal(e.getValue(), mb.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    /** Python's ordering for {@code < <= > >=}: numbers, strings, and lists lexicographically. */
    static int compare(Object a, Object b, String op) {
        if (isNumeric(a) && isNumeric(b)) {
            Number x = asNumber(a);
            Number y = asNumber(b);
            if (x instanceof Long lx && y instanceof Long ly) {
                return Long.compare(lx, ly);
            }
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String sa && b instanceof String sb) {
            return sa.compareTo(sb);
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
                if (!equal(la.get(i), lb.get(i))) {
                    return compare(la.get(i), lb.get(i), op);
                }
            }
            return Integer.compare(la.size(), lb.size());
        }
        throw new EvalError("'" + op + "' is not supported between " + typeName(a) + " and " + typeName(b));
    }

    /** {@code item in container}; a missing container contains nothing (as in minja). */
    static boolean contains(Object container, Object item) {
        return switch (container) {
            case null -> false;
            case String s -> item instanceof String sub && s.contains(sub);
            case List<?> list -> list.stream().anyMatch(x -> equal(x, item));
            case Map<?, ?> map -> map.containsKey(item);
            default -> throw new EvalError("'in' needs a string, list or mapping on the right, not "
                    + typeName(container));
        };
    }

    // ---- containers ----

    static int length(Object v) {
        return switch (v) {
            case null -> 0;
            case String s -> s.codePointCount(0, s.length());
            case List<?> l -> l.size();
            case Map<?, ?> m -> m.size();
            default -> throw new EvalError("object of type " + typeName(v) + " has no length");
        };
    }

    /** The items a for loop or filter visits: list items, mapping keys, string characters; nothing for null. */
    static List<Object> iterate(Object v) {
        return switch (v) {
            case null -> List.of();
            case List<?> l -> new ArrayList<>(l);
            case Map<?, ?> m -> new ArrayList<>(m.keySet());
            case String s -> {
                List<Object> chars = new ArrayList<>();
                s.codePoints().forEach(cp -> chars.add(Character.toString(cp)));
                yield chars;
            }
            default -> throw new EvalError(typeName(v) + " is not iterable");
        };
    }

    static boolean isIterable(Object v) {
        return v instanceof List || v instanceof Map || v instanceof String;
    }

    /** {@code target.name}: a mapping key; other values have no attributes. */
    static Object getAttr(Object target, String name) {
        if (target == null) {
            throw new EvalError("cannot read attribute '" + name + "' of an undefined value");
        }
        if (target instanceof Map<?, ?> m) {
            return m.get(name);
        }
        return null;
    }

    /** {@code target[key]}: mapping lookup, or list/string index (negative counts from the end). */
    static Object getItem(Object target, Object key) {
        switch (target) {
            case null -> throw new EvalError("cannot read item " + repr(key) + " of an undefined value");
            case Map<?, ?> m -> {
                return m.get(key);
            }
            case List<?> list -> {
                int i = index(key, list.size());
                return i < 0 ? null : list.get(i);
            }
            case String s -> {
                int[] cps = s.codePoints().toArray();
                int i = index(key, cps.length);
                return i < 0 ? null : Character.toString(cps[i]);
            }
            default -> {
                return null;
            }
        }
    }

    private static int index(Object key, int size) {
        if (!(key instanceof Long) && !(key instanceof Boolean)) {
            throw new EvalError("list indices must be integers, not " + typeName(key));
        }
        long i = asNumber(key).longValue();
        if (i < 0) {
            i += size;
        }
        return i >= 0 && i < size ? (int) i : -1;
    }

    /** Python slicing with clamping: {@code s[1:]}, {@code s[::-1]}, {@code s[:-1]}. */
    static Object slice(Object target, Object start, Object stop, Object step) {
        long st = step == null ? 1 : asLong(step, "slice step");
        if (st == 0) {
            throw new EvalError("slice step cannot be zero");
        }
        List<Object> items;
        boolean isString = target instanceof String;
        if (target instanceof String s) {
            items = iterate(s);
        } else if (target instanceof List<?> l) {
            items = new ArrayList<>(l);
        } else {
            throw new EvalError("cannot slice " + typeName(target));
        }
        int n = items.size();
        long lo;
        long hi;
        if (st > 0) {
            lo = start == null ? 0 : clamp(asLong(start, "slice start"), n, 0, n);
            hi = stop == null ? n : clamp(asLong(stop, "slice stop"), n, 0, n);
        } else {
            lo = start == null ? n - 1 : clamp(asLong(start, "slice start"), n, -1, n - 1);
            hi = stop == null ? -1 : clamp(asLong(stop, "slice stop"), n, -1, n - 1);
        }
        List<Object> result = new ArrayList<>();
        for (long i = lo; st > 0 ? i < hi : i > hi; i += st) {
            result.add(items.get((int) i));
        }
        if (isString) {
            StringBuilder sb = new StringBuilder();
            result.forEach(x -> sb.append((String) x));
            return sb.toString();
        }
        return result;
    }

    private static long clamp(long i, int n, long min, long max) {
        if (i < 0) {
            i += n;
        }
        return Math.max(min, Math.min(max, i));
    }

    // ---- arithmetic ----

    private static boolean isNumeric(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    private static Number asNumber(Object v) {
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        return (Number) v;
    }

    static long asLong(Object v, String what) {
        if (v instanceof Long || v instanceof Boolean) {
            return asNumber(v).longValue();
        }
        throw new EvalError(what + " must be an integer, not " + typeName(v));
    }

    static Object binary(String op, Object a, Object b) {
        return switch (op) {
            case "+" -> add(a, b);
            case "-" -> arithmetic(op, a, b);
            case "*" -> multiply(a, b);
            case "/" -> {
                double divisor = requireNumber(b, op).doubleValue();
                if (divisor == 0) {
                    throw new EvalError("division by zero");
                }
                yield requireNumber(a, op).doubleValue() / divisor;
            }
            case "//", "%" -> floorDivOrMod(op, a, b);
            case "**" -> power(a, b);
            case "~" -> str(a) + str(b);
            default -> throw new EvalError("unknown operator " + op);
        };
    }

    private static Object add(Object a, Object b) {
        if (a instanceof String || b instanceof String) {
            // NOTE: Python would refuse "a" + None; minja (llama.cpp) concatenates str() of both, and real
            // templates rely on it (e.g. a missing description prints as "None").
            return str(a) + str(b);
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            List<Object> joined = new ArrayList<>(la);
            joined.addAll(lb);
            return joined;
        }
        return arithmetic("+", a, b);
    }

    private static Object multiply(Object a, Object b) {
        if (a instanceof String s && (b instanceof Long || b instanceof Boolean)) {
            return s.repeat((int) Math.max(0, asLong(b, "repeat count")));
        }
        if (b instanceof String s && (a instanceof Long || a instanceof Boolean)) {
            return s.repeat((int) Math.max(0, asLong(a, "repeat count")));
        }
        if (a instanceof List<?> l && (b instanceof Long || b instanceof Boolean)) {
            List<Object> out = new ArrayList<>();
            for (long i = 0; i < asLong(b, "repeat count"); i++) {
                out.addAll(l);
            }
            return out;
        }
        return arithmetic("*", a, b);
    }

    private static Object arithmetic(String op, Object a, Object b) {
        Number x = requireNumber(a, op);
        Number y = requireNumber(b, op);
        if (x instanceof Long lx && y instanceof Long ly) {
            try {
                return switch (op) {
                    case "+" -> Math.addExact(lx, ly);
                    case "-" -> Math.subtractExact(lx, ly);
                    default -> Math.multiplyExact(lx, ly);
                };
            } catch (ArithmeticException overflow) {
                // Python integers do not overflow; beyond 64 bits a double is the closest we keep.
            }
        }
        double dx = x.doubleValue();
        double dy = y.doubleValue();
        return switch (op) {
            case "+" -> dx + dy;
            case "-" -> dx - dy;
            default -> dx * dy;
        };
    }

    private static Object floorDivOrMod(String op, Object a, Object b) {
        Number x = requireNumber(a, op);
        Number y = requireNumber(b, op);
        if (y.doubleValue() == 0) {
            throw new EvalError(op.equals("%") ? "modulo by zero" : "division by zero");
        }
        if (x instanceof Long lx && y instanceof Long ly) {
            return op.equals("%") ? Math.floorMod(lx, ly) : Math.floorDiv(lx, ly);
        }
        double dx = x.doubleValue();
        double dy = y.doubleValue();
        double q = Math.floor(dx / dy);
        return op.equals("%") ? dx - dy * q : q;
    }

    private static Object power(Object a, Object b) {
        Number x = requireNumber(a, "**");
        Number y = requireNumber(b, "**");
        if (x instanceof Long lx && y instanceof Long ly && ly >= 0) {
            BigInteger r = BigInteger.valueOf(lx).pow((int) Math.min(ly, 10_000));
            if (r.bitLength() < 64) {
                return r.longValue();
            }
        }
        return Math.pow(x.doubleValue(), y.doubleValue());
    }

    static Object negate(Object v) {
        Number n = requireNumber(v, "unary -");
        if (n instanceof Long l) {
            return l == Long.MIN_VALUE ? (Object) (-l.doubleValue()) : (Object) (-l);
        }
        return -n.doubleValue();
    }

    static Number requireNumber(Object v, String op) {
        if (isNumeric(v)) {
            return asNumber(v);
        }
        throw new EvalError("unsupported operand type for " + op + ": " + typeName(v));
    }
}
