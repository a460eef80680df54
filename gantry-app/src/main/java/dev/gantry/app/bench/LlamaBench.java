package dev.gantry.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs llama.cpp's {@code llama-bench} on one test and reads its {@code -o json} output: the reference that
 * {@code gantry bench --compare} measures Gantry against, in the same run on the same file. Each call is its own
 * process (llama-bench loads the model again; the file is in the page cache by then, and load time is not
 * measured), so Gantry's and llama.cpp's runs can alternate test by test.
 */
public final class LlamaBench {

    /** What llama-bench reported for one test. */
    public record Result(String buildCommit, long buildNumber, String modelType, Samples samples) {
    }

    private final Path executable;
    private final ObjectMapper json = new ObjectMapper();

    public LlamaBench(Path executable) {
        if (!Files.isRegularFile(executable)) {
            throw new IllegalArgumentException("--compare: " + executable + ": no such file");
        }
        if (!Files.isExecutable(executable)) {
            throw new IllegalArgumentException("--compare: " + executable + " is not executable");
        }
        this.executable = executable;
    }

    public Path executable() {
        return executable;
    }

    /** Runs {@code test} on {@code model} with {@code repetitions} repetitions, as llama-bench's own options say it. */
    public Result run(Path model, BenchCase test, int repetitions, boolean warmup) {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "-m", model.toString(),
                "-p", String.valueOf(test.nPrompt()), "-n", String.valueOf(test.nGen()),
                "-r", String.valueOf(repetitions), "-t", String.valueOf(test.threads()), "-o", "json"));
        if (!warmup) {
            command.add("--no-warmup");
        }
        String where = "llama-bench (" + executable + ") on " + model + " " + test.name();
        Path errors = null;
        try {
            errors = Files.createTempFile("gantry-llama-bench", ".err");
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectError(errors.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(where + " failed with exit code " + exit + lastLine(errors));
            }
            return parse(new String(out, StandardCharsets.UTF_8), test, where);
        } catch (IOException e) {
            throw new UncheckedIOException(where + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(where + ": interrupted", e);
        } finally {
            if (errors != null) {
                try {
                    Files.deleteIfExists(errors);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless and must not hide the result
                }
            }
        }
    }

    /** Finds {@code test}'s entry in llama-bench's JSON array. */
    Result parse(String output, BenchCase test, String where) {
        JsonNode root;
        try {
            root = json.readTree(output);
        } catch (IOException e) {
            throw new IllegalStateException(where + " printed no JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isArray()) {
            throw new IllegalStateException(where + " printed no JSON array");
        }
        for (JsonNode entry : root) {
            if (entry.path("n_prompt").asInt(-1) == test.nPrompt() && entry.path("n_gen").asInt(-1) == test.nGen()) {
                JsonNode samples = entry.path("samples_ns");
                if (!samples.isArray() || samples.isEmpty()) {
                    throw new IllegalStateException(where + ": its JSON has no samples_ns");
                }
                long[] ns = new long[samples.size()];
                for (int i = 0; i < ns.length; i++) {
                    ns[i] = samples.get(i).asLong();
                }
                return new Result(entry.path("build_commit").asText("?"), entry.path("build_number").asLong(0),
                        entry.path("model_type").asText("?"), new Samples(test.tokens(), ns));
            }
        }
        throw new IllegalStateException(where + ": its JSON has no result for " + test.name());
    }

    private static String lastLine(Path file) throws IOException {
        List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : ": " + lines.getLast().strip();
    }
}
