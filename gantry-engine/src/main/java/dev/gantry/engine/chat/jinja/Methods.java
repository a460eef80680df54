package dev.gantry.engine.chat.jinja;

import dev.gantry.engine.chat.jinja.JinjaFunction.Arguments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python methods templates call on values, e.g. {@code content.split('</think>')[-1].lstrip('\n')},
 * {@code tool.items()} or {@code ns.list.append(x)}: the common {@code str}, {@code dict} and {@code list}
 * methods with Python's semantics.
 */
final class Methods {

    private Methods() {
    }

    static Object call(Object target, String name, Arguments args) {
        return switch (target) {
            case null -> throw new EvalError("cannot call method '" + name + "' on an undefined value");
            case String s -> stringMethod(s, name, args);
            case Map<?, ?> m -> mapMethod(cast(m), name, args);
            case List<?> l -> listMethod(cast(l), name, args);
            default -> throw new EvalError(Values.typeName(target) + " has no method '" + name + "'");
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    // ---- str ----

    private static Object stringMethod(String s, String name, Arguments a) {
        return switch (name) {
            case "strip" -> strip(s, optString(a, 0, "chars"), true, true);
            case "lstrip" -> strip(s, optString(a, 0, "chars"), true, false);
            case "rstrip" -> strip(s, optString(a, 0, "chars"), false, true);
            case "split" -> split(s, optString(a, 0, "sep"), (int) optLong(a, 1, "maxsplit", -1));
            case "rsplit" -> rsplit(s, optString(a, 0, "sep"), (int) optLong(a, 1, "maxsplit", -1));
            case "splitlines" -> splitLines(s);
            case "startswith" -> affix(s, a, true);
            case "endswith" -> affix(s, a, false);
            case "upper" -> s.toUpperCase();
            case "lower", "casefold" -> s.toLowerCase();
            case "title" -> title(s);
            case "capitalize" -> capitalize(s);
            case "swapcase" -> swapCase(s);
            case "replace" -> replace(s, reqString(a, 0, "old", name), reqString(a, 1, "new", name),
                    optLong(a, 2, "count", -1));
            case "find" -> (long) s.indexOf(reqString(a, 0, "sub", name), (int) optLong(a, 1, "start", 0));
            case "rfind" -> (long) s.lastIndexOf(reqString(a, 0, "sub", name));
            case "index" -> {
                int i = s.indexOf(reqString(a, 0, "sub", name));
                if (i < 0) {
                    throw new EvalError("substring not found");
                }
                yield (long) i;
            }
            case "count" -> {
                String sub = reqString(a, 0, "sub", name);
                yield (long) (sub.isEmpty() ? s.length() + 1 : s.split(java.util.regex.Pattern.quote(sub), -1)
                        .length - 1);
            }
            case "join" -> {
                StringBuilder out = new StringBuilder();
                List<Object> items = Values.iterate(a.get(0, "iterable", null));
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) {
                        out.append(s);
                    }
                    out.append(Values.str(items.get(i)));
                }
                yield out.toString();
            }
            case "format" -> format(s, a);
            case "removeprefix" -> {
                String p = reqString(a, 0, "prefix", name);
                yield s.startsWith(p) ? s.substring(p.length()) : s;
            }
            case "removesuffix" -> {
                String p = reqString(a, 0, "suffix", name);
                yield s.endsWith(p) && !p.isEmpty() ? s.substring(0, s.length() - p.length()) : s;
            }
            case "isdigit", "isnumeric", "isdecimal" -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isalpha" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            case "isalnum" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
            case "isspace" -> !s.isEmpty() && s.codePoints().allMatch(Methods::isWhitespace);
            case "isupper" -> s.codePoints().anyMatch(Character::isLetter) && s.equals(s.toUpperCase());
            case "islower" -> s.codePoints().anyMatch(Character::isLetter) && s.equals(s.toLowerCase());
            case "center" -> pad(s, (int) optLong(a, 0, "width", 0), optString(a, 1, "fillchar"), 0);
            case "ljust" -> pad(s, (int) optLong(a, 0, "width", 0), optString(a, 1, "fillchar"), -1);
            case "rjust" -> pad(s, (int) optLong(a, 0, "width", 0), optString(a, 1, "fillchar"), 1);
            case "zfill" -> {
                int width = (int) optLong(a, 0, "width", 0);
                yield s.length() >= width ? s : "0".repeat(width - s.length()) + s;
            }
            default -> throw new EvalError("str has no method '" + name + "'");
        };
    }

    /** Python's {@code str.splitlines()}: no trailing empty line, {@code \r\n} counts as one break. */
    static List<Object> splitLines(String s) {
        List<Object> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(s.substring(start, i));
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < s.length()) {
            lines.add(s.substring(start));
        }
        return lines;
    }

    static boolean isWhitespace(int cp) {
        return Character.isWhitespace(cp) || cp == 0x85 || cp == 0xa0 || cp == 0x2007 || cp == 0x202f;
    }

    /** Python's {@code str.strip([chars])}: whitespace by default, else any of {@code chars}. */
    static String strip(String s, String chars, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        if (left) {
            while (start < end && stripped(s.charAt(start), chars)) {
                start++;
            }
        }
        if (right) {
            while (end > start && stripped(s.charAt(end - 1), chars)) {
                end--;
            }
        }
        return s.substring(start, end);
    }

    private static boolean stripped(char c, String chars) {
        return chars == null ? isWhitespace(c) : chars.indexOf(c) >= 0;
    }

    /** Python's {@code str.split(sep=None, maxsplit=-1)}. */
    static List<Object> split(String s, String sep, int maxsplit) {
        List<Object> parts = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                if (maxsplit >= 0 && parts.size() == maxsplit) {
                    parts.add(strip(s.substring(i), null, false, true));
                    break;
                }
                int j = i;
                while (j < n && !isWhitespace(s.charAt(j))) {
                    j++;
                }
                parts.add(s.substring(i, j));
                i = j;
            }
            return parts;
        }
        if (sep.isEmpty()) {
            throw new EvalError("empty separator");
        }
        int start = 0;
        int idx;
        while ((maxsplit < 0 || parts.size() < maxsplit) && (idx = s.indexOf(sep, start)) >= 0) {
            parts.add(s.substring(start, idx));
            start = idx + sep.length();
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static List<Object> rsplit(String s, String sep, int maxsplit) {
        if (sep == null || maxsplit < 0) {
            return split(s, sep, maxsplit);
        }
        List<Object> parts = new ArrayList<>();
        int end = s.length();
        int idx;
        while (parts.size() < maxsplit && (idx = s.lastIndexOf(sep, end - sep.length())) >= 0 && end > 0) {
            parts.addFirst(s.substring(idx + sep.length(), end));
            end = idx;
        }
        parts.addFirst(s.substring(0, end));
        return parts;
    }

    private static boolean affix(String s, Arguments a, boolean prefix) {
        Object arg = a.get(0, prefix ? "prefix" : "suffix", null);
        int start = (int) optLong(a, 1, "start", 0);
        int end = (int) optLong(a, 2, "end", s.length());
        String region = s.substring(Math.min(Math.max(start, 0), s.length()), Math.max(Math.min(end, s.length()),
                Math.min(Math.max(start, 0), s.length())));
        List<Object> options = arg instanceof List<?> l ? cast(l) : List.of(arg == null ? "" : arg);
        for (Object o : options) {
            if (!(o instanceof String p)) {
                throw new EvalError((prefix ? "startswith" : "endswith") + " needs a string or a tuple of strings");
            }
            if (prefix ? region.startsWith(p) : region.endsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** Python's {@code str.title()}: a letter after a non-letter is upper case, other letters lower case. */
    static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(previousCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
            previousCased = Character.isLetter(c);
        }
        return out.toString();
    }

    /** Python's {@code str.capitalize()}: first character upper case, the rest lower case. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        int len = Character.charCount(first);
        return new StringBuilder().appendCodePoint(Character.toTitleCase(first))
                .append(s.substring(len).toLowerCase()).toString();
    }

    private static String swapCase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> out.appendCodePoint(Character.isUpperCase(cp) ? Character.toLowerCase(cp)
                : Character.toUpperCase(cp)));
        return out.toString();
    }

    static String replace(String s, String old, String replacement, long count) {
        if (count < 0) {
            return old.isEmpty() ? insertEverywhere(s, replacement) : s.replace(old, replacement);
        }
        StringBuilder out = new StringBuilder();
        int start = 0;
        int idx;
        long done = 0;
        while (done < count && !old.isEmpty() && (idx = s.indexOf(old, start)) >= 0) {
            out.append(s, start, idx).append(replacement);
            start = idx + old.length();
            done++;
        }
        return out.append(s.substring(start)).toString();
    }

    private static String insertEverywhere(String s, String insert) {
        StringBuilder out = new StringBuilder(insert);
        s.codePoints().forEach(cp -> out.appendCodePoint(cp).append(insert));
        return out.toString();
    }

    private static String pad(String s, int width, String fill, int align) {
        String f = fill == null ? " " : fill;
        int missing = width - Values.length(s);
        if (missing <= 0) {
            return s;
        }
        if (align < 0) {
            return s + f.repeat(missing);
        }
        if (align > 0) {
            return f.repeat(missing) + s;
        }
        int left = missing / 2 + (missing & width & 1);
        return f.repeat(left) + s + f.repeat(missing - left);
    }

    /** Python's {@code str.format}: {@code {}}, {@code {0}}, {@code {name}} and {@code {{ }}} escapes. */
    private static String format(String s, Arguments a) {
        StringBuilder out = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                out.append('{');
                i++;
            } else if (c == '}' && i + 1 < s.length() && s.charAt(i + 1) == '}') {
                out.append('}');
                i++;
            } else if (c == '{') {
                int close = s.indexOf('}', i);
                if (close < 0) {
                    throw new EvalError("single '{' in a format string");
                }
                String field = s.substring(i + 1, close);
                int colon = field.indexOf(':');
                if (colon >= 0) {
                    field = field.substring(0, colon);
                }
                Object value;
                if (field.isEmpty()) {
                    value = a.get(auto++, null, null);
                } else if (field.chars().allMatch(Character::isDigit)) {
                    value = a.get(Integer.parseInt(field), null, null);
                } else {
                    value = a.keywords().get(field);
                }
                out.append(Values.str(value));
                i = close;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ---- dict ----

    private static Object mapMethod(Map<Object, Object> m, String name, Arguments a) {
        return switch (name) {
            case "items" -> {
                List<Object> items = new ArrayList<>();
                m.forEach((k, v) -> items.add(new ArrayList<>(java.util.Arrays.asList(k, v))));
                yield items;
            }
            case "keys" -> new ArrayList<>(m.keySet());
            case "values" -> new ArrayList<>(m.values());
            case "get" -> {
                Object key = a.get(0, "key", null);
                yield m.containsKey(key) ? m.get(key) : a.get(1, "default", null);
            }
            case "pop" -> {
                Object key = a.get(0, "key", null);
                if (m.containsKey(key)) {
                    yield m.remove(key);
                }
                if (a.has(1, "default")) {
                    yield a.get(1, "default", null);
                }
                throw new EvalError("key " + Values.repr(key) + " not found");
            }
            case "setdefault" -> {
                Object key = a.get(0, "key", null);
                if (!m.containsKey(key)) {
                    m.put(key, a.get(1, "default", null));
                }
                yield m.get(key);
            }
            case "update" -> {
                if (a.get(0, null, null) instanceof Map<?, ?> other) {
                    other.forEach(m::put);
                }
                m.putAll(a.keywords());
                yield null;
            }
            case "copy" -> new LinkedHashMap<>(m);
            case "clear" -> {
                m.clear();
                yield null;
            }
            default -> throw new EvalError("dict has no method '" + name + "'");
        };
    }

    // ---- list ----

    private static Object listMethod(List<Object> l, String name, Arguments a) {
        return switch (name) {
            case "append" -> {
                l.add(a.get(0, "object", null));
                yield null;
            }
            case "extend" -> {
                l.addAll(Values.iterate(a.get(0, "iterable", null)));
                yield null;
            }
            case "insert" -> {
                int size = l.size();
                long i = Values.asLong(a.get(0, "index", 0L), "insert index");
                if (i < 0) {
                    i = Math.max(0, i + size);
                }
                l.add((int) Math.min(i, size), a.get(1, "object", null));
                yield null;
            }
            case "pop" -> {
                if (l.isEmpty()) {
                    throw new EvalError("pop from empty list");
                }
                long i = a.has(0, "index") ? Values.asLong(a.get(0, "index", null), "pop index") : -1;
                if (i < 0) {
                    i += l.size();
                }
                if (i < 0 || i >= l.size()) {
                    throw new EvalError("pop index out of range");
                }
                yield l.remove((int) i);
            }
            case "remove" -> {
                Object x = a.get(0, "value", null);
                for (int i = 0; i < l.size(); i++) {
                    if (Values.equal(l.get(i), x)) {
                        l.remove(i);
                        yield null;
                    }
                }
                throw new EvalError("list.remove(x): x not in list");
            }
            case "index" -> {
                Object x = a.get(0, "value", null);
                for (int i = 0; i < l.size(); i++) {
                    if (Values.equal(l.get(i), x)) {
                        yield (long) i;
                    }
                }
                throw new EvalError(Values.repr(x) + " is not in list");
            }
            case "count" -> l.stream().filter(x -> Values.equal(x, a.get(0, "value", null))).count();
            case "reverse" -> {
                java.util.Collections.reverse(l);
                yield null;
            }
            case "copy" -> new ArrayList<>(l);
            case "clear" -> {
                l.clear();
                yield null;
            }
            default -> throw new EvalError("list has no method '" + name + "'");
        };
    }

    // ---- arguments ----

    private static String optString(Arguments a, int index, String name) {
        Object v = a.get(index, name, null);
        if (v != null && !(v instanceof String)) {
            throw new EvalError("argument '" + name + "' must be a string, not " + Values.typeName(v));
        }
        return (String) v;
    }

    private static String reqString(Arguments a, int index, String name, String method) {
        Object v = a.get(index, name, null);
        if (!(v instanceof String s)) {
            throw new EvalError(method + "() argument '" + name + "' must be a string, not " + Values.typeName(v));
        }
        return s;
    }

    private static long optLong(Arguments a, int index, String name, long fallback) {
        Object v = a.get(index, name, null);
        return v == null ? fallback : Values.asLong(v, "argument '" + name + "'");
    }
}
