package dev.gantry.server.models;

import dev.gantry.engine.EngineConfig;
import dev.gantry.server.ServedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shared test models linked into a temporary models directory (links, so nothing is copied), and a loader that
 * counts its loads and can be slowed down to widen race windows.
 */
final class ModelFiles {

    /** KV cache per loaded model in these tests: small, so budgets are easy to reason about. */
    static final long KV_BYTES = 1L << 20;

    private ModelFiles() {
    }

    static Path shared(String relative) {
        return Path.of(System.getProperty("gantry.shared", "../../shared")).resolve("models").resolve(relative);
    }

    /** Links {@code relative} (under the shared models) into {@code dir} as {@code name}. */
    static Path link(Path dir, String name, String relative) {
        try {
            return Files.createSymbolicLink(dir.resolve(name), shared(relative).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the links (before JUnit cleans the directory, which warns about links to outside it). */
    static void unlinkAll(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(Files::isSymbolicLink).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A models directory with stories260K, tiny-llama and tiny-qwen3. */
    static Path threeModels(Path dir) {
        link(dir, "stories260K.gguf", "stories260K.gguf");
        link(dir, "tiny-llama.gguf", "tiny/tiny-llama-q8_0.gguf");
        link(dir, "tiny-qwen3.gguf", "tiny/tiny-qwen3-q8_0.gguf");
        return dir;
    }

    /** Counts loads; each load first sleeps {@code delayMillis}. */
    static final class CountingLoader implements ModelLoader {
        final EngineModelLoader inner = new EngineModelLoader(1, EngineConfig.of(KV_BYTES), null);
        final AtomicInteger loads = new AtomicInteger();
        final long delayMillis;

        CountingLoader(long delayMillis) {
            this.delayMillis = delayMillis;
        }

        @Override
        public ServedModel load(String id, Path file) {
            loads.incrementAndGet();
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return inner.load(id, file);
        }

        @Override
        public long memoryBytes(Path file) {
            return inner.memoryBytes(file);
        }
    }
}
