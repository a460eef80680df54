package dev.gantry.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The prompt ids llama.cpp produced for the shared models (reference/*.jsonl), with special tokens added. */
class LlamaCppReferenceIdsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void stories260KEncodesOnceUponATimeWithBos() {
        Tokenizer tokenizer = SharedVocabularies.open(SharedVocabularies.shared().resolve("models/stories260K.gguf"));

        assertThat(tokenizer.encode("Once upon a time", true, false)).containsExactly(1, 403, 407, 261, 378);
    }

    @TestFactory
    Stream<DynamicTest> greedyReferencePromptIdsMatchForEveryModel() {
        return referenceTests("greedy-llamacpp.jsonl", "prompt", "prompt_ids");
    }

    @TestFactory
    Stream<DynamicTest> embeddingReferenceTokenIdsMatchForEveryModel() {
        return referenceTests("embeddings-llamacpp.jsonl", "input", "token_ids");
    }

    private static Stream<DynamicTest> referenceTests(String file, String textField, String idsField) {
        Map<String, Tokenizer> tokenizers = new HashMap<>();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode line : lines(SharedVocabularies.shared().resolve("reference").resolve(file))) {
            String model = line.get("model").asText();
            String text = line.get(textField).asText();
            int[] expected = new int[line.get(idsField).size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = line.get(idsField).get(i).asInt();
            }
            tests.add(DynamicTest.dynamicTest(model + " " + LlamaCppVocabVectorsTest.printable(text), () -> {
                Tokenizer tokenizer = tokenizers.computeIfAbsent(model, m -> SharedVocabularies.open(modelPath(m)));
                assertThat(tokenizer.encode(text, true, false)).containsExactly(expected);
            }));
        }
        assertThat(tests).as(file).isNotEmpty();
        return tests.stream();
    }

    private static Path modelPath(String model) {
        Path models = SharedVocabularies.shared().resolve("models");
        for (Path candidate : List.of(models.resolve(model), models.resolve("tiny").resolve(model), models.resolve("embed").resolve(model))) {
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared model named " + model);
    }

    private static List<JsonNode> lines(Path file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
