package dev.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.gguf.SyntheticModel;
import dev.gantry.engine.gguf.SyntheticShape;
import dev.gantry.engine.tensor.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry bench} on stories260K with tiny tests: llama-bench's JSON keys and statistics, its markdown table,
 * comma lists in its order, the synthetic model cache, {@code --compare} against a stand-in llama-bench, and
 * one-line errors for bad arguments. Timings themselves are never asserted.
 */
class BenchCommandTest {

    /** The keys of llama-bench's JSON objects (build 3f545bec) that tools read and Gantry fills. */
    private static final List<String> LLAMA_BENCH_KEYS = List.of("build_commit", "build_number", "cpu_info", "gpu_info", "backends",
            "model_filename", "model_type", "model_size", "model_n_params", "n_batch", "n_ubatch", "n_threads", "type_k", "type_v",
            "n_gpu_layers", "embeddings", "n_prompt", "n_gen", "n_depth", "test_time", "avg_ns", "stddev_ns", "avg_ts", "stddev_ts",
            "samples_ns", "samples_ts");

    @TempDir
    Path dir;

    @Test
    void jsonHasLlamaBenchsShapeAndStatistics() throws IOException {
        Cli r = Cli.run("bench", "-m", Cli.stories(), "-p", "8", "-n", "4", "-r", "3", "-t", "1", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.isArray()).isTrue();
        assertThat(root).hasSize(2);
        for (JsonNode o : root) {
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsAll(LLAMA_BENCH_KEYS);
            assertThat(o.get("model_filename").asText()).isEqualTo(Cli.stories());
            // The same description, size and parameter count as llama-bench prints for this file.
            assertThat(o.get("model_type").asText()).isEqualTo("llama ?B (guessed) all F32");
            assertThat(o.get("model_size").asLong()).isEqualTo(1171200);
            assertThat(o.get("model_n_params").asLong()).isEqualTo(292800);
            assertThat(o.get("n_threads").asInt()).isEqualTo(1);
            assertThat(o.get("samples_ns")).hasSize(3);
            assertThat(o.get("samples_ts")).hasSize(3);
            double mean = 0;
            for (JsonNode ts : o.get("samples_ts")) {
                assertThat(ts.asDouble()).isPositive();
                mean += ts.asDouble() / 3;
            }
            assertThat(o.get("avg_ts").asDouble()).isCloseTo(mean, org.assertj.core.data.Percentage.withPercentage(0.01));
            assertThat(o.get("test_time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        }
        assertThat(root.get(0).get("n_prompt").asInt()).isEqualTo(8);
        assertThat(root.get(0).get("n_gen").asInt()).isZero();
        assertThat(root.get(1).get("n_prompt").asInt()).isZero();
        assertThat(root.get(1).get("n_gen").asInt()).isEqualTo(4);
    }

    @Test
    void markdownIsLlamaBenchsTableInItsOrder() {
        Cli r = Cli.run("bench", "-m", Cli.stories(), "-p", "4,8", "-n", "2", "-r", "1", "-t", "1,2", "--no-warmup");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("| model                          |       size |     params | backend    | threads |            test |                  t/s |");
        assertThat(lines.get(1)).startsWith("| ------------------------------ | ---------: |");
        List<String> tests = lines.subList(2, 8).stream().map(l -> l.split("\\|")[5].strip() + "@" + l.split("\\|")[6].strip()).toList();
        assertThat(tests).containsExactly("1@pp4", "1@pp8", "1@tg2", "2@pp4", "2@pp8", "2@tg2");
        assertThat(lines.get(2)).contains("| llama ?B (guessed) all F32     |   1.12 MiB |     0.29 M | CPU (Java) |").contains(" ± ");
        assertThat(r.out()).contains("build: ");
    }

    @Test
    void compareRunsLlamaBenchPerTestAndPrintsTheRatio() throws IOException {
        Path log = dir.resolve("calls.txt");
        Path fake = script("llama-bench", """
                #!/bin/sh
                echo "$@" >> %s
                while [ $# -gt 0 ]; do case "$1" in -p) p=$2; shift;; -n) n=$2; shift;; esac; shift; done
                echo '[{"build_commit": "fake1", "build_number": 7, "model_type": "llama ?B all F32",'
                echo "\\"n_prompt\\": $p, \\"n_gen\\": $n, \\"samples_ns\\": [1000000, 1000000]}]"
                """.formatted(log));
        Cli md = Cli.run("bench", "-m", Cli.stories(), "-p", "8", "-n", "4", "-r", "2", "-t", "1", "--compare", fake.toString());
        assertThat(md.exitCode()).as(md.err()).isZero();
        assertThat(md.out().lines().findFirst().orElseThrow()).endsWith("|        llama.cpp t/s |  ratio |");
        // The stand-in takes 1 ms per repetition: 8000 t/s for pp8, 4000 t/s for tg4.
        assertThat(md.out()).contains("8000.00 ± 0.00").contains("4000.00 ± 0.00").contains("llama.cpp build: fake1 (7)");
        assertThat(Files.readAllLines(log)).containsExactly(
                "-m " + Cli.stories() + " -p 8 -n 0 -r 2 -t 1 -o json",
                "-m " + Cli.stories() + " -p 0 -n 4 -r 2 -t 1 -o json");

        Cli json = Cli.run("bench", "-m", Cli.stories(), "-p", "8", "-n", "0", "-r", "2", "-t", "1", "-o", "json", "--compare", fake.toString());
        JsonNode row = new ObjectMapper().readTree(json.out()).get(0);
        assertThat(row.get("llamacpp_avg_ts").asDouble()).isEqualTo(8000.0);
        assertThat(row.get("llamacpp_build_commit").asText()).isEqualTo("fake1");
        assertThat(row.get("ratio_ts").asDouble()).isCloseTo(row.get("avg_ts").asDouble() / 8000.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void aFailingLlamaBenchIsOneLine() throws IOException {
        Path fake = script("broken-bench", """
                #!/bin/sh
                echo "loading model" >&2
                echo "error: failed to load model 'x'" >&2
                exit 1
                """);
        Cli r = Cli.run("bench", "-m", Cli.stories(), "-p", "4", "-n", "0", "-r", "1", "-t", "1", "--compare", fake.toString());
        assertOneLineError(r, "llama-bench (" + fake + ") on " + Cli.stories() + " pp4 failed with exit code 1: error: failed to load model 'x'");
    }

    @Test
    void aCachedSyntheticModelIsUsedAsIs() {
        // A small model stands in for llama-1b:q4_0 in the cache: found there, it is used, not regenerated.
        Path cached = dir.resolve("models/synthetic/llama-1b-q4_0.gguf");
        cached.getParent().toFile().mkdirs();
        SyntheticModel.write(cached, new SyntheticShape("tiny", 64, 1, 4, 2, 64, 300, 64, 1e-5f, 10000f), GgmlType.Q4_0, 1, 1);
        Cli r = Cli.run("bench", "--synthetic", "llama-1b:q4_0", "--data-dir", dir.toString(), "-p", "4", "-n", "0", "-r", "1", "-t", "1", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("writing synthetic model");
        assertThat(r.out()).contains(cached.toString()).contains("\"model_type\" : \"llama ?B Q4_0\"");
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        String m = Cli.stories();
        assertOneLineError(Cli.run("bench", "-p", "4"), "give a model: -m FILE or --synthetic NAME:TYPE");
        assertOneLineError(Cli.run("bench", "-m", m, "-o", "xml"), "-o must be md or json, got 'xml'");
        assertOneLineError(Cli.run("bench", "-m", m, "-r", "0"), "-r must be at least 1, got 0");
        assertOneLineError(Cli.run("bench", "-m", m, "-p", "4,-1"), "-p must not be negative, got -1");
        assertOneLineError(Cli.run("bench", "-m", m, "-t", "0"), "-t must be at least 1, got 0");
        assertOneLineError(Cli.run("bench", "-m", m, "--warmup", "-1"), "--warmup must not be negative, got -1");
        assertOneLineError(Cli.run("bench", "-m", m, "-p", "0", "-n", "0"), "nothing to run");
        assertOneLineError(Cli.run("bench", "-m", m, "-p", "4096", "-n", "0", "-r", "1"), "pp4096 needs 4096 positions; the model's context is 2048");
        assertOneLineError(Cli.run("bench", "--synthetic", "llama-9b:q4_0", "--data-dir", dir.toString()), "unknown synthetic model 'llama-9b' (known: llama-1b)");
        assertOneLineError(Cli.run("bench", "--synthetic", "llama-1b:q9_9", "--data-dir", dir.toString()), "unknown quantization type 'q9_9'");
        assertOneLineError(Cli.run("bench", "--synthetic", "llama-1b", "--data-dir", dir.toString()), "should be NAME:TYPE");
        assertOneLineError(Cli.run("bench", "-m", m, "--compare", dir.resolve("none").toString()), "no such file");
        assertOneLineError(Cli.run("bench", "-m", dir.resolve("absent.gguf").toString()), "no such file");
        assertOneLineError(Cli.run("bench", "-m", m, "-p", "x"), "Invalid value for option '--n-prompt'");
    }

    private static void assertOneLineError(Cli r, String message) {
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("gantry: ").contains(message).doesNotContain("\tat ");
    }

    private Path script(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
