package dev.gantry.server.models;

import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineConfig;
import dev.gantry.engine.EngineWarmup;
import dev.gantry.engine.LocalModel;
import dev.gantry.server.ServedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Loads every model with the same engine settings: {@code threads} compute threads, the engine configuration
 * (scheduler and KV cache budget), and a chat template override when one was given (only valid for a server of
 * one model, which the command line checks).
 *
 * @param chatTemplate a Jinja template replacing the model's, or null to use the GGUF's own
 * @param warmup       how long a model runs synthetic requests after it loads, before it serves
 *                     ({@link EngineWarmup}); zero for none
 */
public record EngineModelLoader(int threads, EngineConfig engine, String chatTemplate, Duration warmup)
        implements ModelLoader {

    /** Without a warm-up. */
    public EngineModelLoader(int threads, EngineConfig engine, String chatTemplate) {
        this(threads, engine, chatTemplate, Duration.ZERO);
    }

    public EngineModelLoader {
        if (warmup == null || warmup.isNegative()) {
            throw new IllegalArgumentException("the warm-up must be zero or more, got " + warmup);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (engine == null) {
            throw new IllegalArgumentException("an engine configuration is required");
        }
    }

    @Override
    public ServedModel load(String id, Path file) {
        LocalModel model = LocalModel.open(file, threads);
        Engine engine = null;
        try {
            // an encoder-only (embedding) model is served without an engine: /v1/embeddings only
            EngineWarmup.run(model, this.engine, warmup);
            engine = model.canGenerate() ? new Engine(model, this.engine) : null;
            return ServedModel.of(id, model, engine, chatTemplate);
        } catch (RuntimeException e) {
            if (engine != null) {
                engine.close();
            }
            model.close();
            throw e;
        }
    }

    /** The mapped file (its pages are what the weights cost) plus the preallocated KV cache. */
    @Override
    public long memoryBytes(Path file) {
        try {
            return Files.size(file) + engine.kvCache().memoryBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
    }
}
