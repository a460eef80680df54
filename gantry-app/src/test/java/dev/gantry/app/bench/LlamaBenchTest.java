package dev.gantry.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** llama-bench's JSON (as build 3f545bec prints it) is read back into the test it answers. */
class LlamaBenchTest {

    private static final String OUTPUT = """
            [
              {
                "build_commit": "3f545bec",
                "build_number": 10587,
                "cpu_info": "AMD EPYC",
                "model_filename": "/work/shared/models/stories260K.gguf",
                "model_type": "llama ?B (guessed) all F32",
                "model_size": 1171200,
                "model_n_params": 292800,
                "n_threads": 2,
                "n_prompt": 16,
                "n_gen": 0,
                "test_time": "2026-12-01T21:59:27Z",
                "avg_ns": 948651361,
                "stddev_ns": 1271832693,
                "avg_ts": 166.502714,
                "stddev_ts": 223.225943,
                "samples_ns": [ 1847972883, 49329840 ],
                "samples_ts": [ 8.65814, 324.347 ]
              },
              {
                "build_commit": "3f545bec",
                "build_number": 10587,
                "model_type": "llama ?B (guessed) all F32",
                "n_prompt": 0,
                "n_gen": 16,
                "samples_ns": [ 101448749, 377436023 ]
              }
            ]
            """;

    private final LlamaBench bench = new LlamaBench(Path.of("/bin/sh"));

    @Test
    void findsTheEntryOfTheTest() {
        LlamaBench.Result tg = bench.parse(OUTPUT, BenchCase.generation(16, 2), "test");
        assertThat(tg.buildCommit()).isEqualTo("3f545bec");
        assertThat(tg.buildNumber()).isEqualTo(10587);
        assertThat(tg.samples().ns()).containsExactly(101448749L, 377436023L);
        LlamaBench.Result pp = bench.parse(OUTPUT, BenchCase.prompt(16, 2), "test");
        assertThat(pp.samples().avgTs()).isCloseTo(166.502714, org.assertj.core.api.Assertions.offset(1e-5));
    }

    @Test
    void missingEntriesAndGarbageAreClearErrors() {
        assertThatThrownBy(() -> bench.parse(OUTPUT, BenchCase.prompt(32, 2), "llama-bench on x"))
                .hasMessage("llama-bench on x: its JSON has no result for pp32");
        assertThatThrownBy(() -> bench.parse("error: model not found", BenchCase.prompt(32, 2), "llama-bench on x"))
                .hasMessageStartingWith("llama-bench on x printed no JSON");
        assertThatThrownBy(() -> new LlamaBench(Path.of("/nonexistent/llama-bench")))
                .hasMessageContaining("/nonexistent/llama-bench: no such file");
    }
}
