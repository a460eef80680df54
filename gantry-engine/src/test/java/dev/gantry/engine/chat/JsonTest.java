package dev.gantry.engine.chat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void parsesIntoPlainJavaValuesKeepingKeyOrder() {
        Object v = Json.parse(" {\"b\": [1, -2.5, 3e2, true, false, null], \"a\": \"x\\n\\u00e9\\ud83d\\ude00\"} ");
        assertThat(v).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.keySet()).containsExactly("b", "a");
        assertThat(m.get("b")).isEqualTo(java.util.Arrays.asList(1L, -2.5, 300.0, true, false, null));
        assertThat(m.get("a")).isEqualTo("x\né😀");
    }

    @Test
    void integersBeyondALongBecomeDoubles() {
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("9223372036854775808")).isEqualTo(9.223372036854775808e18);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,]", "{\"a\":1,}", "01", "1.", ".5", "'a'", "{a:1}", "[1] x", "// c\n1", "\"\t\"",
        "\"\\x41\"", "nul", "[", "{\"a\" 1}", "-", "+1", "NaN", "\"abc"})
    void rejectsWhatRfc8259Rejects(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(Json.JsonException.class)
                .hasMessageContaining("invalid JSON at line");
    }

    @Test
    void errorNamesLineAndColumn() {
        assertThatThrownBy(() -> Json.parse("{\n  \"a\": tru\n}"))
                .isInstanceOfSatisfying(Json.JsonException.class, e -> {
                    assertThat(e.getMessage()).startsWith("invalid JSON at line 2, column 8");
                    assertThat(e.offset()).isEqualTo(9);
                });
    }

    @Test
    void parseAtReadsOneValueAndSaysWhereItEnds() {
        String text = "<tool_call>{\"name\": \"f\"}</tool_call>";
        Json.ParseResult r = Json.parseAt(text, 11);
        assertThat(r.value()).isEqualTo(Map.of("name", "f"));
        assertThat(text.substring(r.end())).isEqualTo("</tool_call>");
    }

    @Test
    void writesCompactPythonAndIndentedStyles() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("a", List.of(1, 2));
        v.put("b", Map.of());
        assertThat(Json.write(v)).isEqualTo("{\"a\":[1,2],\"b\":{}}");
        assertThat(Json.write(v, Json.Style.PYTHON)).isEqualTo("{\"a\": [1, 2], \"b\": {}}");
        assertThat(Json.write(v, Json.Style.indented(2))).isEqualTo("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}");
    }

    @Test
    void escapesOnlyWhatJsonRequiresUnlessAsciiIsAskedFor() {
        String s = "q\"b\\n\nt\t\u0001é/";
        assertThat(Json.quote(s, false)).isEqualTo("\"q\\\"b\\\\n\\nt\\t\\u0001é/\"");
        assertThat(Json.quote("é😀", true)).isEqualTo("\"\\u00e9\\ud83d\\ude00\"");
    }

    @Test
    void sortKeysOrdersObjectKeys() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("b", 1);
        v.put("a", 2);
        assertThat(Json.write(v, Json.Style.PYTHON.withSortKeys(true))).isEqualTo("{\"a\": 2, \"b\": 1}");
    }

    /** Python's repr(float), which json.dumps uses. */
    @ParameterizedTest
    @CsvSource({"18.0, 18.0", "0.1, 0.1", "1e-05, 1.0E-5", "0.0001, 1.0E-4", "1e+16, 1.0E16",
        "1234567890123456.0, 1.234567890123456E15", "1.2345678901234568e+17, 123456789012345678", "1.5e+300, 1.5E300",
        "-2.5, -2.5", "-0.0, -0.0", "3.141592653589793, 3.141592653589793", "100.0, 100"})
    void formatsDoublesAsPythonDoes(String python, double value) {
        assertThat(Json.formatDouble(value)).isEqualTo(python);
    }

    @Test
    void writeThenParseRoundTripsRandomValues() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            Object value = randomValue(random, 0);
            assertThat(Json.parse(Json.write(value))).isEqualTo(value);
            assertThat(Json.parse(Json.write(value, Json.Style.indented(3).withEnsureAscii(true)))).isEqualTo(value);
        }
    }

    private static Object randomValue(Random r, int depth) {
        int kind = r.nextInt(depth > 3 ? 5 : 7);
        return switch (kind) {
            case 0 -> null;
            case 1 -> r.nextBoolean();
            case 2 -> r.nextLong();
            case 3 -> r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
            case 4 -> {
                StringBuilder s = new StringBuilder();
                for (int j = r.nextInt(8); j > 0; j--) {
                    s.appendCodePoint(r.nextInt(4) == 0 ? r.nextInt(0x20) : r.nextInt(4) == 0 ? 0x1F600 : 0x20 + r.nextInt(0x3000));
                }
                yield s.toString();
            }
            case 5 -> {
                List<Object> list = new ArrayList<>();
                for (int j = r.nextInt(4); j > 0; j--) {
                    list.add(randomValue(r, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int j = r.nextInt(4); j > 0; j--) {
                    map.put("k" + r.nextInt(100), randomValue(r, depth + 1));
                }
                yield map;
            }
        };
    }
}
