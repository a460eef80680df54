package dev.gantry.engine.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** JSON Schema turns into a grammar whose language is the schema's valid JSON, within limited whitespace. */
class JsonSchemaGrammarTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Object schema(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Grammar grammar(String schemaJson) {
        return Grammar.jsonSchema(schema(schemaJson));
    }

    @Test
    void objectsKeepThePropertyOrderAndRequireTheRequired() {
        Grammar g = grammar("""
                {"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"},"tags":{"type":"array","items":{"type":"string"}}},
                 "required":["name","age"]}""");
        assertThat(g.matches("{\"name\":\"Ann\",\"age\":31}")).isTrue();
        assertThat(g.matches("{ \"name\" : \"Ann\", \"age\": -4, \"tags\": [\"a\", \"b\"] }")).isTrue();
        assertThat(g.matches("{\n  \"name\": \"Ann\",\n  \"age\": 0\n}")).isTrue();
        assertThat(g.matches("{\"name\":\"Ann\"}")).as("age is required").isFalse();
        assertThat(g.matches("{\"age\":3,\"name\":\"Ann\"}")).as("the given order").isFalse();
        assertThat(g.matches("{\"name\":\"Ann\",\"age\":3,\"x\":1}")).as("no other properties").isFalse();
        assertThat(g.matches("{\"name\":\"Ann\",\"age\":3.5}")).as("an integer").isFalse();
        assertThat(g.matches("{\"name\":\"Ann\",\"age\":03}")).as("no leading zero").isFalse();
    }

    @Test
    void whitespaceIsLimitedSoModelsCannotLoopOnIt() {
        Grammar g = grammar("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"boolean\"}},\"required\":[\"a\"]}");
        assertThat(g.matches("{\"a\":" + " ".repeat(2) + "true}")).isFalse();
        assertThat(g.matches("{\"a\":\n" + " ".repeat(20) + "true}")).isTrue();
        assertThat(g.matches("{\"a\":\n" + " ".repeat(21) + "true}")).isFalse();
        assertThat(g.matches("{\"a\":true} ")).as("nothing after the top-level value").isFalse();
    }

    @Test
    void optionalPropertiesMayBeLeftOutInAnyCombination() {
        Grammar g = grammar("{\"properties\":{\"a\":{\"const\":1},\"b\":{\"const\":2},\"c\":{\"const\":3}},\"required\":[\"b\"]}");
        assertThat(g.matches("{\"b\":2}")).isTrue();
        assertThat(g.matches("{\"a\":1,\"b\":2}")).isTrue();
        assertThat(g.matches("{\"b\":2,\"c\":3}")).isTrue();
        assertThat(g.matches("{\"a\":1,\"b\":2,\"c\":3}")).isTrue();
        assertThat(g.matches("{\"a\":1,\"c\":3}")).isFalse();
        assertThat(g.matches("{\"a\":1,,\"b\":2}")).isFalse();
        Grammar none = grammar("{\"properties\":{\"a\":{\"const\":1},\"b\":{\"const\":2}}}");
        assertThat(none.matches("{}")).isTrue();
        assertThat(none.matches("{\"b\":2}")).isTrue();
        assertThat(none.matches("{,\"b\":2}")).isFalse();
    }

    @Test
    void additionalPropertiesSchemaAllowsMoreKeysOfThatType() {
        Grammar g = grammar("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}},\"required\":[\"id\"],"
                + "\"additionalProperties\":{\"type\":\"number\"}}");
        assertThat(g.matches("{\"id\":1,\"x\":2.5,\"y\":-1e3}")).isTrue();
        assertThat(g.matches("{\"id\":1,\"x\":\"no\"}")).isFalse();
        Grammar map = grammar("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}");
        assertThat(map.matches("{}")).isTrue();
        assertThat(map.matches("{\"k\":\"v\",\"k2\":\"v2\"}")).isTrue();
    }

    @Test
    void enumConstAnyOfAndNullableTypes() {
        assertThat(grammar("{\"enum\":[\"red\",\"green\",3,null]}").matches("\"green\"")).isTrue();
        assertThat(grammar("{\"enum\":[\"red\",\"green\",3,null]}").matches("3")).isTrue();
        assertThat(grammar("{\"enum\":[\"red\",\"green\"]}").matches("\"blue\"")).isFalse();
        assertThat(grammar("{\"const\":{\"a\":[1,true]}}").matches("{\"a\":[1,true]}")).isTrue();
        Grammar any = grammar("{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"string\",\"maxLength\":2}]}");
        assertThat(any.matches("12")).isTrue();
        assertThat(any.matches("\"ab\"")).isTrue();
        assertThat(any.matches("\"abc\"")).isFalse();
        Grammar nullable = grammar("{\"type\":[\"string\",\"null\"]}");
        assertThat(nullable.matches("null")).isTrue();
        assertThat(nullable.matches("\"x\"")).isTrue();
        assertThat(nullable.matches("1")).isFalse();
        assertThat(grammar("{\"type\":\"integer\",\"nullable\":true}").matches("null")).isTrue();
    }

    @Test
    void refsToDefsAndDefinitionsAndRecursion() {
        Grammar tree = grammar("""
                {"$ref":"#/$defs/node","$defs":{"node":{"type":"object","properties":{"v":{"type":"integer"},
                 "kids":{"type":"array","items":{"$ref":"#/$defs/node"}}},"required":["v"]}}}""");
        assertThat(tree.matches("{\"v\":1,\"kids\":[{\"v\":2},{\"v\":3,\"kids\":[{\"v\":4}]}]}")).isTrue();
        assertThat(tree.matches("{\"v\":1,\"kids\":[{\"w\":2}]}")).isFalse();
        Grammar old = grammar("{\"type\":\"object\",\"properties\":{\"p\":{\"$ref\":\"#/definitions/point\"}},\"required\":[\"p\"],"
                + "\"definitions\":{\"point\":{\"type\":\"array\",\"prefixItems\":[{\"type\":\"number\"},{\"type\":\"number\"}]}}}");
        assertThat(old.matches("{\"p\":[1.5,2]}")).isTrue();
        assertThat(old.matches("{\"p\":[1.5]}")).isFalse();
        assertThatThrownBy(() -> grammar("{\"$ref\":\"#/$defs/missing\"}")).hasMessageContaining("points to nothing");
        assertThatThrownBy(() -> grammar("{\"$ref\":\"https://example.com/s.json\"}")).hasMessageContaining("not local");
    }

    @Test
    void allOfMergesObjectSchemas() {
        Grammar g = grammar("""
                {"allOf":[{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]},
                          {"$ref":"#/$defs/b"}],"$defs":{"b":{"properties":{"b":{"type":"string"}},"required":["b"]}}}""");
        assertThat(g.matches("{\"a\":1,\"b\":\"x\"}")).isTrue();
        assertThat(g.matches("{\"a\":1}")).isFalse();
        assertThatThrownBy(() -> grammar("{\"allOf\":[{\"type\":\"string\"}]}")).hasMessageContaining("allOf");
    }

    @Test
    void arraysHonourItemCountsAndTuples() {
        Grammar g = grammar("{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"minItems\":2,\"maxItems\":3}");
        assertThat(g.matches("[1]")).isFalse();
        assertThat(g.matches("[1, 2]")).isTrue();
        assertThat(g.matches("[1,2,3]")).isTrue();
        assertThat(g.matches("[1,2,3,4]")).isFalse();
        assertThat(grammar("{\"type\":\"array\"}").matches("[]")).isTrue();
        assertThat(grammar("{\"type\":\"array\"}").matches("[1,\"a\",{\"b\":null}]")).isTrue();
        Grammar tuple = grammar("{\"prefixItems\":[{\"type\":\"string\"},{\"type\":\"boolean\"}],\"items\":{\"type\":\"null\"}}");
        assertThat(tuple.matches("[\"a\",true,null,null]")).isTrue();
        assertThat(tuple.matches("[true,\"a\"]")).isFalse();
    }

    @Test
    void stringLengthsFormatsAndEscapes() {
        Grammar g = grammar("{\"type\":\"string\",\"minLength\":2,\"maxLength\":3}");
        assertThat(g.matches("\"ab\"")).isTrue();
        assertThat(g.matches("\"a\\\"c\"")).as("an escape is one character").isTrue();
        assertThat(g.matches("\"abcd\"")).isFalse();
        assertThat(grammar("{\"type\":\"string\"}").matches("\"tab\there\"")).as("raw control characters").isFalse();
        assertThat(grammar("{\"type\":\"string\"}").matches("\"\\u00e9\\n\"")).isTrue();
        assertThat(grammar("{\"type\":\"string\",\"format\":\"date\"}").matches("\"2026-11-22\"")).isTrue();
        assertThat(grammar("{\"type\":\"string\",\"format\":\"date\"}").matches("\"2026-13-22\"")).isFalse();
        assertThat(grammar("{\"type\":\"string\",\"format\":\"date-time\"}").matches("\"2026-11-22T10:20:30.5Z\"")).isTrue();
        assertThat(grammar("{\"type\":\"string\",\"format\":\"time\"}").matches("\"23:59:59+01:00\"")).isTrue();
        assertThat(grammar("{\"type\":\"string\",\"format\":\"uuid\"}").matches("\"123e4567-e89b-12d3-a456-426614174000\"")).isTrue();
        assertThat(grammar("{\"type\":\"string\",\"format\":\"uuid\"}").matches("\"123e4567-e89b-12d3-a456\"")).isFalse();
        assertThat(grammar("{\"type\":\"string\",\"format\":\"email\"}").matches("\"anything\"")).as("other formats annotate").isTrue();
    }

    @Test
    void patternsAreARegexSubset() {
        Grammar g = grammar("{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}-\\\\d{2,4}(x|yz)?$\"}");
        assertThat(g.matches("\"ABC-123\"")).isTrue();
        assertThat(g.matches("\"ABC-1234yz\"")).isTrue();
        assertThat(g.matches("\"AB-123\"")).isFalse();
        assertThat(g.matches("\"ABC-123y\"")).isFalse();
        Grammar unanchored = grammar("{\"type\":\"string\",\"pattern\":\"ab\"}");
        assertThat(unanchored.matches("\"xxabyy\"")).isTrue();
        assertThat(unanchored.matches("\"xxayy\"")).isFalse();
        assertThatThrownBy(() -> grammar("{\"type\":\"string\",\"pattern\":\"(?=a)b\"}")).hasMessageContaining("lookaround");
    }

    @Test
    void integerBoundsMatchExactlyTheRange() {
        Random random = new Random(3);
        long[][] cases = {{0, 0}, {-5, 5}, {7, 123}, {-130, -12}, {10, 10_000}, {99, 101}, {-1, 0}, {1, 9}};
        for (long[] c : cases) {
            Grammar g = grammar("{\"type\":\"integer\",\"minimum\":" + c[0] + ",\"maximum\":" + c[1] + "}");
            for (long v = c[0] - 300; v <= c[1] + 300; v += 1 + random.nextInt(3)) {
                assertThat(g.matches(Long.toString(v))).as("%d in [%d, %d]", v, c[0], c[1]).isEqualTo(v >= c[0] && v <= c[1]);
            }
        }
        Grammar positive = grammar("{\"type\":\"integer\",\"exclusiveMinimum\":0}");
        assertThat(positive.matches("0")).isFalse();
        assertThat(positive.matches("1")).isTrue();
        assertThat(positive.matches("123456789")).isTrue();
        assertThat(positive.matches("-1")).isFalse();
        Grammar upTo = grammar("{\"type\":\"integer\",\"maximum\":-3}");
        assertThat(upTo.matches("-3")).isTrue();
        assertThat(upTo.matches("-2")).isFalse();
        assertThat(upTo.matches("-300000")).isTrue();
    }

    @Test
    void unsupportedKeywordsAreNamed() {
        assertThatThrownBy(() -> grammar("{\"type\":\"object\",\"patternProperties\":{\"^a\":{}}}"))
                .isInstanceOf(GrammarException.class).hasMessageContaining("'patternProperties'");
        assertThatThrownBy(() -> grammar("{\"properties\":{\"x\":{\"not\":{\"type\":\"null\"}}}}"))
                .hasMessageContaining("'not'").hasMessageContaining("#/properties/x");
        assertThatThrownBy(() -> grammar("{\"type\":\"number\",\"minimum\":0.5}")).hasMessageContaining("'minimum'");
        assertThatThrownBy(() -> grammar("{\"type\":\"array\",\"uniqueItems\":true}")).hasMessageContaining("'uniqueItems'");
        assertThatThrownBy(() -> grammar("{\"type\":\"strin\"}")).hasMessageContaining("'strin'");
        assertThatThrownBy(() -> Grammar.jsonSchema(false)).hasMessageContaining("matches nothing");
    }

    @Test
    void jsonObjectAcceptsAnyObjectOnly() {
        Grammar g = Grammar.jsonObject();
        assertThat(g.matches("{\"a\":[1,2,{\"b\":null}],\"c\":\"d\"}")).isTrue();
        assertThat(g.matches("{}")).isTrue();
        assertThat(g.matches("[1]")).isFalse();
        assertThat(g.matches("\"s\"")).isFalse();
    }
}
