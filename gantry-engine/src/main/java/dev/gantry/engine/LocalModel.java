package dev.gantry.engine;

import dev.gantry.engine.gguf.GgufException;
import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.kernel.ComputePool;
import dev.gantry.engine.model.ModelConfig;
import dev.gantry.engine.model.ModelWeights;
import dev.gantry.engine.model.Transformer;
import dev.gantry.engine.tokenizer.Tokenizer;
import dev.gantry.engine.tokenizer.TokenizerException;
import java.nio.file.Path;

/**
 * A model opened from a GGUF file for in-process use: its configuration, tokenizer and transformer over the
 * mapped weights, with the compute threads that run it. Closing it stops the threads and unmaps the file.
 */
public final class LocalModel implements AutoCloseable {

    private final GgufFile file;
    private final ModelConfig config;
    private final Tokenizer tokenizer;
    private final ComputePool pool;
    private final Transformer transformer;

    private LocalModel(GgufFile file, ModelConfig config, Tokenizer tokenizer, ComputePool pool, Transformer transformer) {
        this.file = file;
        this.config = config;
        this.tokenizer = tokenizer;
        this.pool = pool;
        this.transformer = transformer;
    }

    /** Opens {@code path} with {@code threads} compute threads; every problem with the file is a {@link GgufException}. */
    public static LocalModel open(Path path, int threads) {
        GgufFile file = GgufFile.open(path);
        ComputePool pool = null;
        try {
            ModelConfig config = ModelConfig.from(file);
            ModelWeights weights = ModelWeights.load(file, config);
            Tokenizer tokenizer;
            try {
                tokenizer = Tokenizer.from(file.metadata());
            } catch (TokenizerException e) {
                throw new GgufException(path, e.getMessage());
            }
            pool = new ComputePool(threads);
            return new LocalModel(file, config, tokenizer, pool, new Transformer(config, weights, pool));
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            file.close();
            throw e;
        }
    }

    public GgufFile file() {
        return file;
    }

    public ModelConfig config() {
        return config;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Transformer transformer() {
        return transformer;
    }

    public int threads() {
        return pool.threads();
    }

    @Override
    public void close() {
        pool.close();
        file.close();
    }
}
