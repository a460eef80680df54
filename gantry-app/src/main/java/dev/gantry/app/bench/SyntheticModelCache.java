package dev.gantry.app.bench;

import dev.gantry.engine.gguf.SyntheticModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Synthetic models under {@code <data-dir>/models/synthetic/}, generated once: a file that exists is used as is
 * (the writer publishes a file only when complete, so an existing one is whole), a missing one is written with the
 * fixed seed {@link SyntheticModel#DEFAULT_SEED}, so every machine benchmarks the same weights.
 */
public final class SyntheticModelCache {

    private final Path directory;
    private final int threads;
    private final PrintWriter log;

    public SyntheticModelCache(Path dataDir, int threads, PrintWriter log) {
        this.directory = dataDir.resolve("models").resolve("synthetic");
        this.threads = threads;
        this.log = log;
    }

    public Path directory() {
        return directory;
    }

    /** The model's file, written first if missing. */
    public Path resolve(SyntheticSpec spec) {
        Path file = directory.resolve(spec.fileName());
        if (Files.isRegularFile(file)) {
            return file;
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(directory + ": cannot create the synthetic model directory: " + e.getMessage(), e);
        }
        log.printf("gantry: writing synthetic model %s (%,d parameters) to %s, once...%n", spec.label(), spec.shape().parameterCount(), file);
        log.flush();
        long start = System.nanoTime();
        SyntheticModel.write(file, spec.shape(), spec.type(), SyntheticModel.DEFAULT_SEED, threads);
        log.printf("gantry: wrote %s in %.1f s%n", file.getFileName(), (System.nanoTime() - start) / 1e9);
        log.flush();
        return file;
    }
}
