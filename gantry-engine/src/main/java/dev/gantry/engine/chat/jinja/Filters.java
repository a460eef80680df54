package dev.gantry.engine.chat.jinja;

import dev.gantry.engine.chat.Json;
import dev.gantry.engine.chat.jinja.JinjaFunction.Arguments;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja's built-in filters ({@code value | name(args)}) with Jinja2's semantics, except where llama.cpp's minja
 * differs and the reference renderings show it: string filters ({@code trim}, {@code lower}, ...) pass a missing
 * value through (so {@code "x" + none|trim} prints {@code "xNone"}), {@code select*}/{@code reject*} of a missing
 * value give an empty list, and nothing is HTML-escaped unless {@code escape} is asked for.
 */
final class Filters {

    @FunctionalInterface
    private interface Filter {
        Object apply(Object value, Arguments args);
    }

    private static final Pattern WORD = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern TITLE_WORD_BREAK = Pattern.compile("([-\\s({\\[<]+)");

    private static final Map<String, Filter> FILTERS = Map.ofEntries(
            Map.entry("abs", (v, a) -> {
                Number n = Values.requireNumber(v, "abs");
                return n instanceof Long l ? (Object) Math.abs(l) : (Object) Math.abs(n.doubleValue());
            }),
            Map.entry("attr", (v, a) -> Values.getAttr(v, Values.str(a.get(0, "name", null)))),
            Map.entry("batch", Filters::batch),
            Map.entry("capitalize", (v, a) -> v == null ? null : Methods.capitalize(Values.str(v))),
            Map.entry("center", (v, a) -> Methods.call(Values.str(v), "center",
                    Arguments.of(a.get(0, "width", 80L)))),
            Map.entry("count", (v, a) -> (long) Values.length(v)),
            Map.entry("length", (v, a) -> (long) Values.length(v)),
            Map.entry("default", Filters::defaultValue),
            Map.entry("d", Filters::defaultValue),
            Map.entry("dictsort", Filters::dictsort),
            Map.entry("escape", (v, a) -> escape(Values.str(v))),
            Map.entry("e", (v, a) -> escape(Values.str(v))),
            Map.entry("first", (v, a) -> {
                List<Object> items = Values.iterate(v);
                return items.isEmpty() ? null : items.getFirst();
            }),
            Map.entry("last", (v, a) -> {
                List<Object> items = Values.iterate(v);
                return items.isEmpty() ? null : items.getLast();
            }),
            Map.entry("float", Filters::toFloat),
            Map.entry("int", Filters::toInt),
            Map.entry("indent", Filters::indent),
            Map.entry("items", (v, a) -> {
                if (v == null) {
                    return new ArrayList<>();
                }
                if (!(v instanceof Map<?, ?>)) {
                    throw new EvalError("items needs a mapping, not " + Values.typeName(v));
                }
                return Methods.call(v, "items", Arguments.of());
            }),
            Map.entry("join", Filters::join),
            Map.entry("list", (v, a) -> Values.iterate(v)),
            Map.entry("lower", (v, a) -> v == null ? null : Values.str(v).toLowerCase()),
            Map.entry("upper", (v, a) -> v == null ? null : Values.str(v).toUpperCase()),
            Map.entry("title", (v, a) -> v == null ? null : title(Values.str(v))),
            Map.entry("trim", (v, a) -> v == null ? null
                    : Methods.strip(Values.str(v), (String) a.get(0, "chars", null), true, true)),
            Map.entry("map", Filters::map),
            Map.entry("max", (v, a) -> extreme(v, a, true)),
            Map.entry("min", (v, a) -> extreme(v, a, false)),
            Map.entry("select", (v, a) -> select(v, a, true)),
            Map.entry("reject", (v, a) -> select(v, a, false)),
            Map.entry("selectattr", (v, a) -> selectAttr(v, a, true)),
            Map.entry("rejectattr", (v, a) -> selectAttr(v, a, false)),
            Map.entry("replace", (v, a) -> Methods.replace(Values.str(v), Values.str(a.get(0, "old", "")),
                    Values.str(a.get(1, "new", "")), a.has(2, "count")
                            ? Values.asLong(a.get(2, "count", null), "count") : -1)),
            Map.entry("reverse", (v, a) -> {
                if (v instanceof String s) {
                    return new StringBuilder(s).reverse().toString();
                }
                List<Object> items = Values.iterate(v);
                java.util.Collections.reverse(items);
                return items;
            }),
            Map.entry("round", Filters::round),
            Map.entry("safe", (v, a) -> Values.str(v)),
            Map.entry("string", (v, a) -> Values.str(v)),
            Map.entry("pprint", (v, a) -> Values.repr(v)),
            Map.entry("sort", Filters::sort),
            Map.entry("sum", (v, a) -> {
                Object total = a.get(1, "start", 0L);
                String attribute = (String) a.get(0, "attribute", null);
                for (Object item : Values.iterate(v)) {
                    total = Values.binary("+", total, attribute == null ? item : attribute(item, attribute));
                }
                return total;
            }),
            Map.entry("tojson", Filters::toJson),
            Map.entry("truncate", Filters::truncate),
            Map.entry("unique", Filters::unique),
            Map.entry("wordcount", (v, a) -> {
                Matcher m = WORD.matcher(Values.str(v));
                long n = 0;
                while (m.find()) {
                    n++;
                }
                return n;
            }));

    private Filters() {
    }

    static boolean exists(String name) {
        return FILTERS.containsKey(name);
    }

    static Object apply(String name, Object value, Arguments args) {
        Filter filter = FILTERS.get(name);
        if (filter == null) {
            throw new EvalError("unknown filter '" + name + "'");
        }
        return filter.apply(value, args);
    }

    private static Object defaultValue(Object v, Arguments a) {
        Object fallback = a.get(0, "default_value", "");
        boolean boolean_ = Values.truthy(a.get(1, "boolean", false));
        if (boolean_) {
            return Values.truthy(v) ? v : fallback;
        }
        return v == null ? fallback : v;
    }

    /** markupsafe's escaping, as Jinja's {@code escape} filter. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&#34;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Jinja's title filter: capitalize each word, words separated by whitespace, '-', or opening brackets. */
    private static String title(String s) {
        StringBuilder out = new StringBuilder();
        Matcher m = TITLE_WORD_BREAK.matcher(s);
        int last = 0;
        while (m.find()) {
            out.append(capitalizeWord(s.substring(last, m.start()))).append(m.group());
            last = m.end();
        }
        return out.append(capitalizeWord(s.substring(last))).toString();
    }

    private static String capitalizeWord(String w) {
        return w.isEmpty() ? w : w.substring(0, 1).toUpperCase() + w.substring(1).toLowerCase();
    }

    private static Object batch(Object v, Arguments a) {
        long size = Values.asLong(a.get(0, "linecount", 1L), "batch size");
        if (size <= 0) {
            throw new EvalError("batch size must be positive");
        }
        boolean fill = a.has(1, "fill_with");
        Object filler = a.get(1, "fill_with", null);
        List<Object> out = new ArrayList<>();
        List<Object> current = new ArrayList<>();
        for (Object item : Values.iterate(v)) {
            current.add(item);
            if (current.size() == size) {
                out.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            while (fill && current.size() < size) {
                current.add(filler);
            }
            out.add(current);
        }
        return out;
    }

    private static Object dictsort(Object v, Arguments a) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new EvalError("dictsort needs a mapping, not " + Values.typeName(v));
        }
        boolean caseSensitive = Values.truthy(a.get(0, "case_sensitive", false));
        boolean byValue = "value".equals(a.get(1, "by", "key"));
        boolean reverse = Values.truthy(a.get(2, "reverse", false));
        List<Object> pairs = new ArrayList<>();
        m.forEach((k, val) -> pairs.add(new ArrayList<>(java.util.Arrays.asList(k, val))));
        Comparator<Object> order = (x, y) -> {
            Object kx = ((List<?>) x).get(byValue ? 1 : 0);
            Object ky = ((List<?>) y).get(byValue ? 1 : 0);
            return Values.compare(sortKey(kx, caseSensitive), sortKey(ky, caseSensitive), "<");
        };
        pairs.sort(reverse ? order.reversed() : order);
        return pairs;
    }

    private static Object sortKey(Object v, boolean caseSensitive) {
        return !caseSensitive && v instanceof String s ? s.toLowerCase() : v;
    }

    private static Object toFloat(Object v, Arguments a) {
        Object fallback = a.get(0, "default", 0.0);
        return switch (v) {
            case Double d -> d;
            case Long l -> l.doubleValue();
            case Boolean b -> b ? 1.0 : 0.0;
            case String s -> {
                try {
                    yield Double.parseDouble(s.strip());
                } catch (NumberFormatException e) {
                    yield fallback;
                }
            }
            case null, default -> fallback;
        };
    }

    private static Object toInt(Object v, Arguments a) {
        Object fallback = a.get(0, "default", 0L);
        int base = (int) Values.asLong(a.get(1, "base", 10L), "base");
        return switch (v) {
            case Long l -> l;
            case Double d -> (long) d.doubleValue();
            case Boolean b -> b ? 1L : 0L;
            case String s -> {
                String t = s.strip().replace("_", "");
                try {
                    yield Long.parseLong(t, base);
                } catch (NumberFormatException e) {
                    try {
                        yield (long) Double.parseDouble(t);
                    } catch (NumberFormatException e2) {
                        yield fallback;
                    }
                }
            }
            case null, default -> fallback;
        };
    }

    /** Jinja2 3.1's indent: lines after the first get the indent; blank lines only if {@code blank}. */
    private static Object indent(Object v, Arguments a) {
        Object width = a.get(0, "width", 4L);
        String indention = width instanceof String s ? s : " ".repeat((int) Values.asLong(width, "indent width"));
        boolean first = Values.truthy(a.get(1, "first", false));
        boolean blank = Values.truthy(a.get(2, "blank", false));
        String s = Values.str(v) + "\n"; // as Jinja2 does, so that a trailing newline survives splitlines
        List<Object> lines = Methods.splitLines(s);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = (String) lines.get(i);
            if (i > 0) {
                out.append('\n');
                if (blank || !line.isEmpty()) {
                    out.append(indention);
                }
            }
            out.append(line);
        }
        return first ? indention + out : out.toString();
    }

    private static Object join(Object v, Arguments a) {
        String separator = Values.str(a.get(0, "d", ""));
        String attribute = (String) a.get(1, "attribute", null);
        StringBuilder out = new StringBuilder();
        List<Object> items = Values.iterate(v);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(separator);
            }
            Object item = items.get(i);
            out.append(Values.str(attribute == null ? item : attribute(item, attribute)));
        }
        return out.toString();
    }

    /** {@code attribute="a.b"} or {@code attribute=0} as in Jinja's attribute-taking filters. */
    private static Object attribute(Object item, String path) {
        Object current = item;
        for (String part : path.split("\\.")) {
            if (current == null) {
                return null;
            }
            if (current instanceof List<?> && part.chars().allMatch(Character::isDigit) && !part.isEmpty()) {
                current = Values.getItem(current, Long.parseLong(part));
            } else {
                current = current instanceof Map<?, ?> m ? m.get(part) : null;
            }
        }
        return current;
    }

    private static Object map(Object v, Arguments a) {
        List<Object> out = new ArrayList<>();
        if (a.keywords().containsKey("attribute")) {
            String attribute = Values.str(a.keywords().get("attribute"));
            boolean hasDefault = a.keywords().containsKey("default");
            for (Object item : Values.iterate(v)) {
                Object value = attribute(item, attribute);
                out.add(value == null && hasDefault ? a.keywords().get("default") : value);
            }
            return out;
        }
        if (a.positional().isEmpty()) {
            throw new EvalError("map needs a filter name or attribute=");
        }
        String filter = Values.str(a.positional().getFirst());
        Arguments rest = new Arguments(a.positional().subList(1, a.positional().size()), a.keywords());
        for (Object item : Values.iterate(v)) {
            out.add(apply(filter, item, rest));
        }
        return out;
    }

    private static Object select(Object v, Arguments a, boolean keep) {
        List<Object> out = new ArrayList<>();
        String test = a.positional().isEmpty() ? null : Values.str(a.positional().getFirst());
        Arguments rest = test == null ? Arguments.of()
                : new Arguments(a.positional().subList(1, a.positional().size()), a.keywords());
        for (Object item : Values.iterate(v)) {
            boolean passes = test == null ? Values.truthy(item) : Tests.apply(test, item, rest);
            if (passes == keep) {
                out.add(item);
            }
        }
        return out;
    }

    private static Object selectAttr(Object v, Arguments a, boolean keep) {
        if (a.positional().isEmpty()) {
            throw new EvalError((keep ? "selectattr" : "rejectattr") + " needs an attribute name");
        }
        String attribute = Values.str(a.positional().getFirst());
        String test = a.positional().size() > 1 ? Values.str(a.positional().get(1)) : null;
        Arguments rest = test == null ? Arguments.of()
                : new Arguments(a.positional().subList(2, a.positional().size()), a.keywords());
        List<Object> out = new ArrayList<>();
        for (Object item : Values.iterate(v)) {
            Object value = attribute(item, attribute);
            boolean passes = test == null ? Values.truthy(value) : Tests.apply(test, value, rest);
            if (passes == keep) {
                out.add(item);
            }
        }
        return out;
    }

    private static Object extreme(Object v, Arguments a, boolean max) {
        boolean caseSensitive = Values.truthy(a.get(0, "case_sensitive", false));
        String attribute = (String) a.get(1, "attribute", null);
        Object best = null;
        Object bestKey = null;
        for (Object item : Values.iterate(v)) {
            Object key = sortKey(attribute == null ? item : attribute(item, attribute), caseSensitive);
            if (best == null || (max ? Values.compare(key, bestKey, ">") > 0 : Values.compare(key, bestKey, "<") < 0)) {
                best = item;
                bestKey = key;
            }
        }
        return best;
    }

    /** Python's {@code round()} (half to even on the exact binary value), as Jinja's 'common' method. */
    private static Object round(Object v, Arguments a) {
        double d = Values.requireNumber(v, "round").doubleValue();
        int precision = (int) Values.asLong(a.get(0, "precision", 0L), "precision");
        String method = Values.str(a.get(1, "method", "common"));
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return d;
        }
        RoundingMode mode = switch (method) {
            case "common" -> RoundingMode.HALF_EVEN;
            case "ceil" -> RoundingMode.CEILING;
            case "floor" -> RoundingMode.FLOOR;
            default -> throw new EvalError("round method must be 'common', 'ceil' or 'floor'");
        };
        return new BigDecimal(d).setScale(precision, mode).doubleValue();
    }

    private static Object sort(Object v, Arguments a) {
        boolean reverse = Values.truthy(a.get(0, "reverse", false));
        boolean caseSensitive = Values.truthy(a.get(1, "case_sensitive", false));
        String attribute = (String) a.get(2, "attribute", null);
        List<Object> items = Values.iterate(v);
        Comparator<Object> order = (x, y) -> Values.compare(
                sortKey(attribute == null ? x : attribute(x, attribute), caseSensitive),
                sortKey(attribute == null ? y : attribute(y, attribute), caseSensitive), "<");
        items.sort(reverse ? order.reversed() : order);
        return items;
    }

    /**
     * Hugging Face's {@code tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)}: Python's
     * {@code json.dumps}, so {@code {"a": 1}} with spaces, key order kept, non-ASCII unescaped.
     */
    private static Object toJson(Object v, Arguments a) {
        Object indent = a.get(0, "indent", null);
        Json.Style style = indent == null ? Json.Style.PYTHON
                : Json.Style.indented((int) Values.asLong(indent, "tojson indent"));
        Object separators = a.keywords().get("separators");
        if (separators instanceof List<?> seps && seps.size() == 2) {
            style = new Json.Style(style.indent(), Values.str(seps.get(0)), Values.str(seps.get(1)), false, false);
        }
        style = style.withEnsureAscii(Values.truthy(a.keywords().get("ensure_ascii")))
                .withSortKeys(Values.truthy(a.keywords().get("sort_keys")));
        try {
            return Json.write(v, style);
        } catch (IllegalArgumentException e) {
            throw new EvalError("tojson: " + e.getMessage());
        }
    }

    private static Object truncate(Object v, Arguments a) {
        String s = Values.str(v);
        int length = (int) Values.asLong(a.get(0, "length", 255L), "length");
        boolean killWords = Values.truthy(a.get(1, "killwords", false));
        String end = Values.str(a.get(2, "end", "..."));
        int leeway = (int) Values.asLong(a.get(3, "leeway", 5L), "leeway");
        if (s.length() <= length + leeway) {
            return s;
        }
        int keep = Math.max(0, length - end.length());
        if (killWords) {
            return s.substring(0, keep) + end;
        }
        String head = s.substring(0, keep);
        int space = head.lastIndexOf(' ');
        return (space > 0 ? head.substring(0, space) : head) + end;
    }

    private static Object unique(Object v, Arguments a) {
        boolean caseSensitive = Values.truthy(a.get(0, "case_sensitive", false));
        String attribute = (String) a.get(1, "attribute", null);
        List<Object> out = new ArrayList<>();
        List<Object> seen = new ArrayList<>();
        Map<Object, Boolean> seenHashable = new HashMap<>();
        for (Object item : Values.iterate(v)) {
            Object key = sortKey(attribute == null ? item : attribute(item, attribute), caseSensitive);
            boolean duplicate = key instanceof String || key instanceof Long || key instanceof Boolean
                    ? seenHashable.putIfAbsent(key, true) != null
                    : seen.stream().anyMatch(x -> Values.equal(x, key));
            if (!duplicate) {
                seen.add(key);
                out.add(item);
            }
        }
        return out;
    }
}
