package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.grammar.Grammar;
import dev.gantry.engine.kvcache.KvCacheConfig;
import dev.gantry.engine.sampling.SamplingParams;
import dev.gantry.engine.scheduler.FinishReason;
import dev.gantry.engine.scheduler.SchedulerConfig;
import dev.gantry.engine.support.SharedData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Grammar-constrained generation through the engine: whatever the seed and temperature, the output parses as JSON,
 * validates against the schema and stops once the value is complete; batching and preemption do not change it.
 */
class ConstrainedGenerationTest {

    static final String SCHEMA = """
            {"type":"object","properties":{"name":{"type":"string","maxLength":16},"age":{"type":"integer","minimum":0,"maximum":150},
             "mood":{"enum":["happy","sad"]},"tags":{"type":"array","items":{"type":"string","maxLength":6},"maxItems":3},
             "ok":{"type":"boolean"},"score":{"type":["integer","null"]}},
             "required":["name","age","mood"]}""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    record Output(String text, List<Integer> tokens, FinishReason finish) {
    }

    private static Output collect(LocalModel model, Generation g) throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Integer> tokens = new ArrayList<>();
        while (true) {
            Generation.Event e = g.next(60, TimeUnit.SECONDS);
            assertThat(e).as("an event within 60 s").isNotNull();
            if (e.token() >= 0) {
                tokens.add(e.token());
                bytes.writeBytes(model.tokenizer().tokenBytes(e.token()));
            }
            if (e.isLast()) {
                return new Output(bytes.toString(StandardCharsets.UTF_8), tokens, e.finish());
            }
        }
    }

    /** Checks the subset of JSON Schema that {@link #SCHEMA} uses. */
    @SuppressWarnings("unchecked")
    static void assertValid(JsonNode node, Map<?, ?> schema, String where) {
        Object type = schema.get("type");
        if (schema.containsKey("enum")) {
            assertThat((List<Object>) schema.get("enum")).as(where).contains(node.asText());
            return;
        }
        List<Object> types = type instanceof List<?> l ? (List<Object>) l : List.of(type);
        if (node.isNull()) {
            assertThat(types).as(where + " may be null").contains("null");
            return;
        }
        if (types.contains("object")) {
            assertThat(node.isObject()).as(where).isTrue();
            Map<String, Object> props = (Map<String, Object>) schema.get("properties");
            for (Object r : (List<?>) schema.get("required")) {
                assertThat(node.has((String) r)).as(where + " has " + r).isTrue();
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                assertThat(props).as(where + " declares " + f).containsKey(f);
                assertValid(node.get(f), (Map<?, ?>) props.get(f), where + "." + f);
            }
        } else if (types.contains("array")) {
            assertThat(node.isArray()).as(where).isTrue();
            assertThat(node.size()).as(where).isLessThanOrEqualTo(((Number) schema.get("maxItems")).intValue());
            node.forEach(item -> assertValid(item, (Map<?, ?>) schema.get("items"), where + "[]"));
        } else if (types.contains("string")) {
            assertThat(node.isTextual()).as(where).isTrue();
            String s = node.textValue();
            assertThat(s.codePointCount(0, s.length())).as(where).isLessThanOrEqualTo(((Number) schema.get("maxLength")).intValue());
        } else if (types.contains("integer")) {
            assertThat(node.isIntegralNumber()).as(where).isTrue();
            if (schema.containsKey("minimum")) {
                assertThat(node.asLong()).as(where).isBetween(((Number) schema.get("minimum")).longValue(),
                        ((Number) schema.get("maximum")).longValue());
            }
        } else if (types.contains("boolean")) {
            assertThat(node.isBoolean()).as(where).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "tiny-llama-q8_0.gguf", "tiny-qwen3-f16.gguf", "tiny-gemma2-f16.gguf"})
    void schemaConstrainedOutputAlwaysValidatesWhateverTheSeedAndTemperature(String file) throws Exception {
        Map<?, ?> schema = (Map<?, ?>) parse(SCHEMA);
        Grammar grammar = Grammar.jsonSchema(schema);
        try (LocalModel model = LocalModel.open(SharedData.model(file), 1);
             Engine engine = new Engine(model, new EngineConfig(SchedulerConfig.defaults(), KvCacheConfig.of(32L << 20)))) {
            int[] prompt = model.tokenizer().encode("Once upon a time, a JSON record:", true, false);
            double[] temperatures = {0, 0.7, 1.0, 1.5};
            List<Generation> gens = new ArrayList<>();
            int n = 0;
            for (double t : temperatures) {
                for (long seed = 0; seed < 4; seed++) {
                    SamplingParams sampling = SamplingParams.defaults().withTemperature(t).withSeed(seed * 7919 + n++);
                    gens.add(engine.submit(GenerationRequest.of(prompt, sampling, 450).withGrammar(grammar)));
                }
            }
            for (Generation g : gens) {
                Output out = collect(model, g);
                assertThat(out.finish()).as("finished by the grammar: %s", out.text()).isEqualTo(FinishReason.STOP);
                assertThat(grammar.matches(out.text())).as(out.text()).isTrue();
                assertValid(JSON.readTree(out.text()), schema, file + ":$");
            }
        }
    }

    @Test
    void aClosedChoiceStopsAsSoonAsItIsMade() throws Exception {
        Grammar grammar = Grammar.parse("root ::= \"yes\" | \"no\"");
        try (LocalModel model = LocalModel.open(SharedData.model("stories260K.gguf"), 1);
             Engine engine = new Engine(model, EngineConfig.of(16L << 20))) {
            int[] prompt = model.tokenizer().encode("Is the sky blue?", true, false);
            for (long seed = 0; seed < 8; seed++) {
                Output out = collect(model, engine.submit(GenerationRequest.of(prompt, SamplingParams.defaults()
                        .withTemperature(1.2).withSeed(seed), 50).withGrammar(grammar)));
                assertThat(out.text()).isIn("yes", "no");
                assertThat(out.finish()).isEqualTo(FinishReason.STOP);
            }
            Output plain = collect(model, engine.submit(GenerationRequest.of(prompt, SamplingParams.greedy(), 5)));
            assertThat(plain.text()).as("no grammar, no constraint").isNotIn("yes", "no");
        }
    }

    @Test
    void jsonObjectOutputIsAnObjectOrWhenCutByTheLimitAPrefixOfOne() throws Exception {
        Grammar grammar = Grammar.jsonObject();
        try (LocalModel model = LocalModel.open(SharedData.model("stories260K.gguf"), 1);
             Engine engine = new Engine(model, EngineConfig.of(16L << 20))) {
            int[] prompt = model.tokenizer().encode("Lily said", true, false);
            List<Generation> gens = new ArrayList<>();
            for (long seed = 0; seed < 6; seed++) {
                gens.add(engine.submit(new GenerationRequest(prompt, SamplingParams.defaults().withSeed(seed), 250, null,
                        true, null, -1, grammar)));
            }
            for (Generation g : gens) {
                Output out = collect(model, g);
                if (out.finish() == FinishReason.STOP) {
                    assertThat(JSON.readTree(out.text()).isObject()).as(out.text()).isTrue();
                } else {
                    assertThat(grammar.matchesPrefix(out.text())).as(out.text()).isTrue();
                }
            }
        }
    }

    record Run(List<Output> outputs, long preemptions) {
    }

    private static Run run(LocalModel model, EngineConfig config, Grammar grammar, int requests) throws Exception {
        try (Engine engine = new Engine(model, config)) {
            List<Generation> gens = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                int[] prompt = model.tokenizer().encode("Tom and Lily " + "went to the park ".repeat(i % 4), true, false);
                gens.add(engine.submit(GenerationRequest.of(prompt, SamplingParams.defaults().withSeed(100 + i), 160)
                        .withGrammar(grammar)));
            }
            List<Output> out = new ArrayList<>();
            for (Generation g : gens) {
                out.add(collect(model, g));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (engine.metrics().running() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return new Run(out, engine.metrics().preemptions());
        }
    }

    @Test
    void batchedAndPreemptedConstrainedOutputEqualsOneAtATime() throws Exception {
        Grammar grammar = Grammar.jsonSchema(parse(SCHEMA));
        try (LocalModel model = LocalModel.open(SharedData.model("stories260K.gguf"), 1)) {
            List<Output> alone = run(model, new EngineConfig(new SchedulerConfig(1, 512, 64, true), KvCacheConfig.of(32L << 20)), grammar, 8).outputs();
            List<Output> batched = run(model, new EngineConfig(new SchedulerConfig(8, 512, 64, true), KvCacheConfig.of(32L << 20)), grammar, 8).outputs();
            long blockBytes = KvCacheConfig.of(1).blockBytes(model.transformer().kvShape());
            EngineConfig tiny = new EngineConfig(new SchedulerConfig(8, 512, 64, true), KvCacheConfig.of(14 * blockBytes));
            Run small = run(model, tiny, grammar, 8);
            assertThat(small.preemptions()).as("preemptions in a 14-block cache").isPositive();
            List<Output> preempted = small.outputs();
            for (int i = 0; i < alone.size(); i++) {
                assertThat(batched.get(i).tokens()).as("request %d batched", i).isEqualTo(alone.get(i).tokens());
                assertThat(preempted.get(i).tokens()).as("request %d under preemption", i).isEqualTo(alone.get(i).tokens());
            }
        }
    }
}
