package dev.gantry.engine.grammar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema to GBNF, in the manner of llama.cpp's {@code json-schema-to-grammar}: each schema becomes a rule,
 * objects list their properties in the order given (required ones must appear; with no
 * {@code additionalProperties} given, no others may, as OpenAI's strict mode demands), and whitespace is limited
 * to one space or one newline plus up to 20 indentation characters where JSON allows it, so small models cannot
 * loop on spaces. Values are followed by whitespace only inside containers: the top-level value ends the match,
 * so generation stops right after its last character.
 *
 * <p>Supported: {@code type} (also as a list, e.g. {@code ["string", "null"]}), {@code enum}, {@code const},
 * {@code properties}, {@code required}, {@code additionalProperties}, {@code items}, {@code prefixItems},
 * {@code minItems}, {@code maxItems}, {@code minLength}, {@code maxLength}, {@code pattern} (a regex subset,
 * {@link RegexGrammar}), {@code minimum} / {@code maximum} / {@code exclusiveMinimum} / {@code exclusiveMaximum} on
 * integers, {@code anyOf}, {@code oneOf} (as anyOf), {@code allOf} of object schemas, {@code $ref} to
 * {@code #/$defs/...}, {@code #/definitions/...} or {@code #}, {@code nullable}, and the string formats
 * {@code date}, {@code time}, {@code date-time}, {@code uuid} (other formats are annotations, as JSON Schema 2020-12
 * treats them). Anything else that constrains values is refused with a {@link GrammarException} naming the keyword.
 *
 * <p>A converter collects rules; several schemas can share one ({@link #schema}) under a hand-written root
 * ({@link #rule}), which is how tool-call grammars embed each function's parameters.
 */
public final class JsonSchemaGrammar {

    private static final Set<String> UNSUPPORTED = Set.of("not", "if", "then", "else", "patternProperties",
            "propertyNames", "dependentRequired", "dependentSchemas", "dependencies", "minProperties", "maxProperties",
            "contains", "minContains", "maxContains", "multipleOf", "unevaluatedProperties", "unevaluatedItems",
            "additionalItems", "$dynamicRef", "$recursiveRef");

    private static final Map<String, String> PRIMITIVES = Map.ofEntries(
            Map.entry("space", "( \" \" | \"\\n\" [ \\t]{0,20} )?"),
            Map.entry("boolean", "\"true\" | \"false\""),
            Map.entry("null", "\"null\""),
            Map.entry("integral-part", "[0] | [1-9] [0-9]{0,15}"),
            Map.entry("decimal-part", "[0-9]{1,16}"),
            Map.entry("integer", "\"-\"? integral-part"),
            Map.entry("number", "\"-\"? integral-part (\".\" decimal-part)? ([eE] [-+]? integral-part)?"),
            Map.entry("char", "[^\"\\\\\\x7F\\x00-\\x1F] | \"\\\\\" ([\"\\\\/bfnrt] | \"u\" [0-9a-fA-F]{4})"),
            Map.entry("string", "\"\\\"\" char* \"\\\"\""),
            Map.entry("value", "object | array | string | number | boolean | null"),
            Map.entry("object", "\"{\" space ( string space \":\" space value space ( \",\" space string space \":\" space"
                    + " value space )* )? \"}\""),
            Map.entry("array", "\"[\" space ( value space ( \",\" space value space )* )? \"]\""),
            Map.entry("date", "[0-9]{4} \"-\" ( \"0\" [1-9] | \"1\" [0-2] ) \"-\" ( \"0\" [1-9] | [1-2] [0-9] | \"3\" [0-1] )"),
            Map.entry("time", "( [01] [0-9] | \"2\" [0-3] ) \":\" [0-5] [0-9] \":\" [0-5] [0-9] ( \".\" [0-9]{1,6} )?"
                    + " ( \"Z\" | [+-] ( [01] [0-9] | \"2\" [0-3] ) \":\" [0-5] [0-9] )"),
            Map.entry("date-time", "date \"T\" time"),
            Map.entry("uuid", "[0-9a-fA-F]{8} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{4} \"-\""
                    + " [0-9a-fA-F]{12}"));

    private static final Map<String, List<String>> PRIMITIVE_DEPENDENCIES = Map.ofEntries(
            Map.entry("integer", List.of("integral-part")),
            Map.entry("number", List.of("integral-part", "decimal-part")),
            Map.entry("string", List.of("char")),
            Map.entry("value", List.of("object", "array", "string", "number", "boolean", "null")),
            Map.entry("object", List.of("space", "string", "value")),
            Map.entry("array", List.of("space", "value")),
            Map.entry("date-time", List.of("date", "time")));

    private final Map<String, String> rules = new LinkedHashMap<>();
    private final Map<String, String> nameByBody = new HashMap<>();
    private final Map<String, String> refRules = new HashMap<>();
    private Object document;

    /** The GBNF of one schema, its value as {@code root}. */
    public static String gbnf(Object schema) {
        JsonSchemaGrammar g = new JsonSchemaGrammar();
        String value = g.schema("", schema);
        g.rule("root", value);
        return g.gbnf();
    }

    /**
     * Adds the rules for {@code schema} and returns the name of the rule that matches its values; {@code name}
     * prefixes the rule names ({@code $ref}s resolve within this schema).
     */
    public String schema(String name, Object schema) {
        Object previous = document;
        document = schema;
        try {
            return visit(schema, sanitize(name.isEmpty() ? "value" : name), "#");
        } finally {
            document = previous;
        }
    }

    /** Adds {@code name ::= body} under that exact name (for a root, or any hand-written rule), returning the name. */
    public String rule(String name, String body) {
        String existing = rules.putIfAbsent(name, body);
        if (existing != null && !existing.equals(body)) {
            throw new GrammarException("the rule '" + name + "' is already defined differently");
        }
        return name;
    }

    /** The rule name of a built-in rule ({@code space}, {@code string}, {@code value}, ...), added on first use. */
    public String primitive(String name) {
        String body = PRIMITIVES.get(name);
        if (body == null) {
            throw new IllegalArgumentException("no built-in rule '" + name + "'");
        }
        if (!rules.containsKey(name)) {
            rules.put(name, body);
            for (String dep : PRIMITIVE_DEPENDENCIES.getOrDefault(name, List.of())) {
                primitive(dep);
            }
        }
        return name;
    }

    /** All rules as GBNF text. */
    public String gbnf() {
        StringBuilder out = new StringBuilder();
        rules.forEach((name, body) -> out.append(name).append(" ::= ").append(body).append('\n'));
        return out.toString();
    }

    /** {@code text} as a GBNF string literal. */
    public static String literal(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        out.append(String.format("\\x%02X", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /** {@code value} written as compact JSON, for {@code const} and {@code enum}. */
    public static String json(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> quote(s);
            case Boolean b -> b.toString();
            case Double d when d == Math.rint(d) && Math.abs(d) < 1e15 -> Long.toString(d.longValue());
            case Float f when f == Math.rint(f) && Math.abs(f) < 1e15 -> Long.toString(f.longValue());
            case Number n -> n.toString();
            case Map<?, ?> m -> {
                List<String> parts = new ArrayList<>();
                m.forEach((k, v) -> parts.add(quote(String.valueOf(k)) + ":" + json(v)));
                yield "{" + String.join(",", parts) + "}";
            }
            case List<?> l -> "[" + String.join(",", l.stream().map(JsonSchemaGrammar::json).toList()) + "]";
            default -> throw new GrammarException("a schema value of type " + value.getClass().getSimpleName() + " is not JSON");
        };
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    // ---- schemas ----

    private String visit(Object schema, String name, String path) {
        if (Boolean.TRUE.equals(schema)) {
            return primitive("value");
        }
        if (!(schema instanceof Map<?, ?> raw)) {
            throw new GrammarException("the schema at " + path + " must be an object or true, not "
                    + (schema == null ? "null" : Boolean.FALSE.equals(schema) ? "false (it matches nothing)" : json(schema)));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) raw;
        for (String key : m.keySet()) {
            if (UNSUPPORTED.contains(key)) {
                throw new GrammarException("the JSON schema keyword '" + key + "' (at " + path + ") is not supported");
            }
        }
        if (Boolean.TRUE.equals(m.get("uniqueItems"))) {
            throw new GrammarException("the JSON schema keyword 'uniqueItems' (at " + path + ") is not supported");
        }
        if (Boolean.TRUE.equals(m.get("nullable"))) {
            Map<String, Object> inner = new LinkedHashMap<>(m);
            inner.remove("nullable");
            return define(name, visit(inner, name, path) + " | " + primitive("null"));
        }
        if (m.get("$ref") instanceof String ref) {
            return ref(ref, path);
        }
        if (m.containsKey("const")) {
            return define(name, literal(json(m.get("const"))));
        }
        if (m.containsKey("enum")) {
            if (!(m.get("enum") instanceof List<?> values) || values.isEmpty()) {
                throw new GrammarException("'enum' at " + path + " must be a non-empty array");
            }
            return define(name, String.join(" | ", values.stream().map(v -> literal(json(v))).toList()));
        }
        if (m.containsKey("anyOf") || m.containsKey("oneOf")) {
            String key = m.containsKey("anyOf") ? "anyOf" : "oneOf";
            return define(name, String.join(" | ", alternatives(m.get(key), name, path + "/" + key)));
        }
        if (m.containsKey("allOf")) {
            return visit(mergeAllOf(m, path), name, path);
        }
        Object type = m.get("type");
        if (type instanceof List<?> types) {
            if (types.isEmpty()) {
                throw new GrammarException("'type' at " + path + " is an empty list");
            }
            List<String> options = new ArrayList<>();
            for (Object t : types) {
                Map<String, Object> one = new LinkedHashMap<>(m);
                one.put("type", t);
                options.add(visit(one, name + "-" + t, path));
            }
            return define(name, String.join(" | ", options));
        }
        if (type == null) {
            type = m.containsKey("properties") || m.containsKey("additionalProperties") || m.containsKey("required") ? "object"
                    : m.containsKey("items") || m.containsKey("prefixItems") ? "array"
                    : m.containsKey("minLength") || m.containsKey("maxLength") || m.containsKey("pattern") || m.containsKey("format") ? "string"
                    : m.containsKey("minimum") || m.containsKey("maximum") ? "number" : null;
        }
        if (type == null) {
            return primitive("value");
        }
        return switch (String.valueOf(type)) {
            case "object" -> object(m, name, path);
            case "array" -> array(m, name, path);
            case "string" -> string(m, name, path);
            case "integer" -> integer(m, name, path);
            case "number" -> number(m, path);
            case "boolean" -> primitive("boolean");
            case "null" -> primitive("null");
            default -> throw new GrammarException("the type '" + type + "' at " + path + " is not a JSON Schema type");
        };
    }

    private List<String> alternatives(Object list, String name, String path) {
        if (!(list instanceof List<?> schemas) || schemas.isEmpty()) {
            throw new GrammarException(path + " must be a non-empty array of schemas");
        }
        List<String> options = new ArrayList<>();
        for (int i = 0; i < schemas.size(); i++) {
            options.add(visit(schemas.get(i), name + "-" + i, path + "/" + i));
        }
        return options;
    }

    /** {@code $ref}: a rule per target, reserved before the target is visited so recursive schemas work. */
    private String ref(String ref, String path) {
        String known = refRules.get(ref);
        if (known != null) {
            return known;
        }
        if (!ref.startsWith("#")) {
            throw new GrammarException("the $ref '" + ref + "' at " + path + " is not local; only '#/$defs/...',"
                    + " '#/definitions/...' and '#' are supported");
        }
        Object target = resolvePointer(ref, path);
        String pointer = ref.substring(1);
        String name = reserve(sanitize("ref" + (pointer.isEmpty() ? "-root" : pointer.substring(pointer.lastIndexOf('/') + 1))));
        refRules.put(ref, name);
        rules.put(name, visit(target, name + "-value", ref));
        return name;
    }

    private Map<String, Object> mergeAllOf(Map<String, Object> m, String path) {
        Map<String, Object> properties = new LinkedHashMap<>();
        Set<Object> required = new LinkedHashSet<>();
        Object additional = null;
        List<Object> parts = new ArrayList<>();
        Map<String, Object> own = new LinkedHashMap<>(m);
        own.remove("allOf");
        if (!(m.get("allOf") instanceof List<?> list)) {
            throw new GrammarException("'allOf' at " + path + " must be an array of schemas");
        }
        parts.addAll(list);
        parts.add(own);
        for (Object part : parts) {
            Object resolved = part;
            for (int hops = 0; resolved instanceof Map<?, ?> p && p.get("$ref") instanceof String ref; hops++) {
                if (hops > 32 || !ref.startsWith("#")) {
                    throw new GrammarException("the $ref '" + ref + "' in 'allOf' at " + path + " cannot be merged");
                }
                resolved = resolvePointer(ref, path);
            }
            if (!(resolved instanceof Map<?, ?> p)) {
                throw new GrammarException("'allOf' at " + path + " is supported only over object schemas");
            }
            Object type = p.get("type");
            if (type != null && !"object".equals(type) || p.containsKey("anyOf") || p.containsKey("oneOf") || p.containsKey("allOf")) {
                if (part == own && !p.containsKey("properties") && type == null) {
                    continue;
                }
                throw new GrammarException("'allOf' at " + path + " is supported only over plain object schemas");
            }
            if (p.get("properties") instanceof Map<?, ?> props) {
                props.forEach((k, v) -> properties.put(String.valueOf(k), v));
            }
            if (p.get("required") instanceof List<?> req) {
                required.addAll(req);
            }
            if (p.containsKey("additionalProperties")) {
                additional = p.get("additionalProperties");
            }
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        merged.put("type", "object");
        merged.put("properties", properties);
        merged.put("required", new ArrayList<>(required));
        if (additional != null) {
            merged.put("additionalProperties", additional);
        }
        return merged;
    }

    /** The schema a local {@code $ref} (a JSON pointer after '#', RFC 6901) points to in this document. */
    private Object resolvePointer(String ref, String path) {
        Object target = document;
        String pointer = ref.substring(1);
        for (String part : pointer.isEmpty() ? new String[0] : pointer.substring(pointer.startsWith("/") ? 1 : 0).split("/")) {
            String key = part.replace("~1", "/").replace("~0", "~");
            if (!(target instanceof Map<?, ?> map) || !map.containsKey(key)) {
                throw new GrammarException("the $ref '" + ref + "' at " + path + " points to nothing");
            }
            target = map.get(key);
        }
        return target;
    }

    private String object(Map<String, Object> m, String name, String path) {
        Object props = m.getOrDefault("properties", Map.of());
        if (!(props instanceof Map<?, ?> properties)) {
            throw new GrammarException("'properties' at " + path + " must be an object");
        }
        Set<String> required = new LinkedHashSet<>();
        if (m.get("required") instanceof List<?> req) {
            req.forEach(r -> required.add(String.valueOf(r)));
        } else if (m.containsKey("required")) {
            throw new GrammarException("'required' at " + path + " must be an array of property names");
        }
        for (String r : required) {
            if (!properties.containsKey(r)) {
                throw new GrammarException("the required property '" + r + "' at " + path + " is not in 'properties'");
            }
        }
        Object additional = m.containsKey("additionalProperties") ? m.get("additionalProperties")
                : properties.isEmpty() ? Boolean.TRUE : Boolean.FALSE;
        String space = primitive("space");
        List<String> kvs = new ArrayList<>();
        List<Boolean> optional = new ArrayList<>();
        for (Map.Entry<?, ?> e : properties.entrySet()) {
            String key = String.valueOf(e.getKey());
            String value = visit(e.getValue(), name + "-" + key, path + "/properties/" + key);
            kvs.add(define(name + "-" + key + "-kv", literal(quote(key)) + " " + space + " \":\" " + space + " " + value + " " + space));
            optional.add(!required.contains(key));
        }
        String extraKv = null;
        if (!Boolean.FALSE.equals(additional)) {
            String value = visit(additional, name + "-additional", path + "/additionalProperties");
            extraKv = define(name + "-additional-kv", primitive("string") + " " + space + " \":\" " + space + " " + value + " " + space);
        }
        // first[i]: properties i.. when none was written yet; rest[i]: when one was (so each needs a comma).
        String rest = extraKv == null ? "" : "( \",\" " + space + " " + extraKv + " )*";
        String first = extraKv == null ? "" : "( " + extraKv + " " + rest + " )?";
        for (int i = kvs.size() - 1; i >= 0; i--) {
            String kv = kvs.get(i);
            String restRule = rest.isEmpty() ? "" : " " + define(name + "-rest-" + i, rest);
            String firstBody = kv + restRule;
            String restBody = "\",\" " + space + " " + kv + restRule;
            if (optional.get(i)) {
                firstBody = firstBody + (first.isEmpty() ? " | " : " | " + define(name + "-first-" + (i + 1), first));
                restBody = restBody + (rest.isEmpty() ? " | " : " | " + define(name + "-rest-" + (i + 1), rest));
                first = "( " + firstBody + " )";
                rest = "( " + restBody + " )";
            } else {
                first = firstBody;
                rest = restBody;
            }
        }
        String body = "\"{\" " + space + " " + (first.isEmpty() ? "" : first + " ") + "\"}\"";
        return define(name, body);
    }

    private String array(Map<String, Object> m, String name, String path) {
        String space = primitive("space");
        int minItems = count(m, "minItems", path, 0);
        Integer maxItems = m.containsKey("maxItems") ? count(m, "maxItems", path, 0) : null;
        if (maxItems != null && maxItems < minItems) {
            throw new GrammarException("'maxItems' at " + path + " is below 'minItems'");
        }
        Object items = m.get("items");
        if (m.get("prefixItems") instanceof List<?> prefix) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < prefix.size(); i++) {
                String item = visit(prefix.get(i), name + "-" + i, path + "/prefixItems/" + i);
                parts.add((i == 0 ? "" : "\",\" " + space + " ") + item + " " + space);
            }
            String tail = "";
            if (items != null && !Boolean.FALSE.equals(items)) {
                String item = visit(items, name + "-item", path + "/items");
                String bound = maxItems == null ? "*" : "{0," + Math.max(0, maxItems - prefix.size()) + "}";
                tail = " ( \",\" " + space + " " + item + " " + space + " )" + bound;
            }
            String inner = String.join(" ", parts) + tail;
            return define(name, "\"[\" " + space + " " + (prefix.isEmpty() ? "" : inner + " ") + "\"]\"");
        }
        if (Boolean.FALSE.equals(items)) {
            return define(name, "\"[\" " + space + " \"]\"");
        }
        String item = visit(items == null ? Boolean.TRUE : items, name + "-item", path + "/items");
        String more = "( \",\" " + space + " " + item + " " + space + " )";
        String bound = maxItems == null ? "{" + Math.max(0, minItems - 1) + ",}"
                : "{" + Math.max(0, minItems - 1) + "," + Math.max(0, maxItems - 1) + "}";
        String list = item + " " + space + " " + more + bound;
        if (maxItems != null && maxItems == 0) {
            return define(name, "\"[\" " + space + " \"]\"");
        }
        return define(name, "\"[\" " + space + " " + (minItems == 0 ? "( " + list + " )?" : list) + " \"]\"");
    }

    private String string(Map<String, Object> m, String name, String path) {
        if (m.get("pattern") instanceof String pattern) {
            if (m.containsKey("minLength") || m.containsKey("maxLength")) {
                throw new GrammarException("'pattern' with 'minLength' or 'maxLength' at " + path + " is not supported");
            }
            return define(name, "\"\\\"\" " + RegexGrammar.gbnf(pattern, path) + " \"\\\"\"");
        }
        Object format = m.get("format");
        if (format instanceof String f && Set.of("date", "time", "date-time", "uuid").contains(f)) {
            return define(name, "\"\\\"\" " + primitive(f) + " \"\\\"\"");
        }
        int min = count(m, "minLength", path, 0);
        Integer max = m.containsKey("maxLength") ? count(m, "maxLength", path, 0) : null;
        if (min == 0 && max == null) {
            return primitive("string");
        }
        if (max != null && max < min) {
            throw new GrammarException("'maxLength' at " + path + " is below 'minLength'");
        }
        String bound = max == null ? "{" + min + ",}" : "{" + min + "," + max + "}";
        return define(name, "\"\\\"\" " + primitive("char") + bound + " \"\\\"\"");
    }

    private String integer(Map<String, Object> m, String name, String path) {
        Long min = bound(m, "minimum", path);
        Long max = bound(m, "maximum", path);
        Long exclusiveMin = bound(m, "exclusiveMinimum", path);
        Long exclusiveMax = bound(m, "exclusiveMaximum", path);
        if (exclusiveMin != null) {
            min = min == null ? exclusiveMin + 1 : Math.max(min, exclusiveMin + 1);
        }
        if (exclusiveMax != null) {
            max = max == null ? exclusiveMax - 1 : Math.min(max, exclusiveMax - 1);
        }
        if (min == null && max == null) {
            return primitive("integer");
        }
        return define(name, IntegerRange.gbnf(min, max));
    }

    private String number(Map<String, Object> m, String path) {
        for (String key : List.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")) {
            if (m.containsKey(key)) {
                throw new GrammarException("the JSON schema keyword '" + key + "' (at " + path + ") is supported only for"
                        + " type integer, not number");
            }
        }
        return primitive("number");
    }

    private static Long bound(Map<String, Object> m, String key, String path) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean) {
            throw new GrammarException("the draft-4 boolean form of '" + key + "' (at " + path + ") is not supported");
        }
        if (!(v instanceof Number n)) {
            throw new GrammarException("'" + key + "' at " + path + " must be a number");
        }
        double d = n.doubleValue();
        if (Math.abs(d) >= 1e15) {
            throw new GrammarException("'" + key + "' at " + path + " is too large for an integer range");
        }
        return key.equals("minimum") || key.equals("exclusiveMaximum") ? (long) Math.ceil(d) : (long) Math.floor(d);
    }

    private static int count(Map<String, Object> m, String key, String path, int fallback) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new GrammarException("'" + key + "' at " + path + " must be a non-negative integer");
        }
        if (n.longValue() > GbnfParser.MAX_REPEAT) {
            throw new GrammarException("'" + key + "' at " + path + " is above the limit of " + GbnfParser.MAX_REPEAT);
        }
        return n.intValue();
    }

    // ---- rule names ----

    /** A rule for {@code body}, shared with any earlier rule of the same body. */
    private String define(String name, String body) {
        if (rules.containsKey(body) || PRIMITIVES.containsKey(body)) {
            return body; // already a bare rule name
        }
        String known = nameByBody.get(body);
        if (known != null) {
            return known;
        }
        String unique = reserve(sanitize(name));
        rules.put(unique, body);
        nameByBody.put(body, unique);
        return unique;
    }

    private String reserve(String name) {
        String unique = name;
        for (int i = 1; rules.containsKey(unique) || PRIMITIVES.containsKey(unique) || unique.equals("root"); i++) {
            unique = name + "-" + i;
        }
        rules.put(unique, "");
        return unique;
    }

    private static String sanitize(String name) {
        String s = name.replaceAll("[^a-zA-Z0-9-]+", "-").replaceAll("-{2,}", "-").replaceAll("^-|-$", "");
        return s.isEmpty() ? "value" : s;
    }
}
