package dev.gantry.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * llama.cpp's tokenizer test vectors (tests/test-tokenizer-0): every input of each {@code .inp} file must give
 * the ids of the same line of {@code .out}, tokenized as test-tokenizer-0 does, without BOS/EOS
 * ({@code add_special = false}) and without parsing special tokens ({@code parse_special = false}).
 */
class LlamaCppVocabVectorsTest {

    /** test-tokenizer-0 splits the .inp file at this separator; the text after the last one is ignored when empty. */
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    private static final List<String> VOCABS = List.of("llama-spm", "phi-3", "gpt-2", "deepseek-coder", "falcon", "bert-bge");

    @TestFactory
    Stream<DynamicContainer> everyVectorTokenizesLikeLlamaCpp() {
        return VOCABS.stream().map(name -> {
            Path gguf = SharedVocabularies.vocab(name);
            Tokenizer tokenizer = SharedVocabularies.open(gguf);
            List<String> inputs = inputs(Path.of(gguf + ".inp"));
            List<int[]> expected = outputs(Path.of(gguf + ".out"));
            assertThat(inputs).as("inputs of %s", name).hasSize(expected.size());
            List<DynamicTest> tests = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                String input = inputs.get(i);
                int[] ids = expected.get(i);
                tests.add(DynamicTest.dynamicTest(i + ": " + printable(input),
                        () -> assertThat(tokenizer.encode(input, false, false)).as(printable(input)).containsExactly(ids)));
            }
            return DynamicContainer.dynamicContainer(name, tests);
        });
    }

    static List<String> inputs(Path file) {
        String raw = read(file);
        List<String> inputs = new ArrayList<>();
        int pos = 0;
        while (pos < raw.length()) {
            int next = raw.indexOf(SEPARATOR, pos);
            if (next < 0) {
                inputs.add(raw.substring(pos));
                break;
            }
            inputs.add(raw.substring(pos, next));
            pos = next + SEPARATOR.length();
        }
        return inputs;
    }

    static List<int[]> outputs(Path file) {
        return read(file).lines()
                .map(String::strip)
                .map(line -> line.isEmpty() ? new int[0] : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray())
                .toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    static String printable(String s) {
        return "'" + s.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") + "'";
    }
}
