package dev.gantry.app.cli;

import dev.gantry.engine.LocalModel;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that opens one model shares. */
final class ModelOptions {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "GGUF model file.")
    Path model;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads (default: one per core).")
    Integer threads;

    LocalModel open() {
        return LocalModel.open(model, threads(threads));
    }

    /** {@code --threads}, or one per core when not given. */
    static int threads(Integer given) {
        int n = given != null ? given : Runtime.getRuntime().availableProcessors();
        if (n < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + n);
        }
        return n;
    }
}
