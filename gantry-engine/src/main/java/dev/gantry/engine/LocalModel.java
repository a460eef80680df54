package dev.gantry.engine;

import dev.gantry.engine.gguf.GgufException;
import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.kernel.ComputePool;
import dev.gantry.engine.model.DecoderHiddenStates;
import dev.gantry.engine.model.Encoder;
import dev.gantry.engine.model.HiddenStateModel;
import dev.gantry.engine.model.ModelConfig;
import dev.gantry.engine.model.ModelWeights;
import dev.gantry.engine.model.Pooling;
import dev.gantry.engine.model.Transformer;
import dev.gantry.engine.tokenizer.Tokenizer;
import dev.gantry.engine.tokenizer.TokenizerException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;

/**
 * A model opened from a GGUF file for in-process use: its configuration, tokenizer and transformer over the
 * mapped weights, with the compute threads that run it. Closing it stops the threads, frees the weights repacked
 * for the kernels and unmaps the file.
 *
 * <p>An encoder-only model (BERT) has no transformer to generate with, only {@link #embeddings()}; a decoder has
 * both, its embeddings pooled from the final hidden states.
 */
public final class LocalModel implements AutoCloseable {

    private final GgufFile file;
    /** The weights repacked for the kernels ({@code ModelWeights}); freed with the model. */
    private final Arena weights;
    private final ModelConfig config;
    private final Tokenizer tokenizer;
    private final ComputePool pool;
    private final Transformer transformer; // null for an encoder
    private final Embeddings embeddings;

    private LocalModel(GgufFile file, Arena weights, ModelConfig config, Tokenizer tokenizer, ComputePool pool,
                       Transformer transformer, Embeddings embeddings) {
        this.file = file;
        this.weights = weights;
        this.config = config;
        this.tokenizer = tokenizer;
        this.pool = pool;
        this.transformer = transformer;
        this.embeddings = embeddings;
    }

    /** Opens {@code path} with {@code threads} compute threads; every problem with the file is a {@link GgufException}. */
    public static LocalModel open(Path path, int threads) {
        GgufFile file = GgufFile.open(path);
        Arena arena = Arena.ofShared();
        ComputePool pool = null;
        try {
            ModelConfig config = ModelConfig.from(file);
            String arch = config.architecture().ggufName();
            Tokenizer tokenizer;
            try {
                tokenizer = Tokenizer.from(file.metadata());
            } catch (TokenizerException e) {
                throw new GgufException(path, e.getMessage());
            }
            Pooling pooling = Pooling.of(file, arch);
            if (config.architecture().isEncoder()) {
                pool = new ComputePool(threads);
                // widened F16 matrices live as long as the model is reachable (the GC frees them)
                Encoder encoder = Encoder.open(file, config, pool, Arena.ofAuto());
                return new LocalModel(file, arena, config, tokenizer, pool, null, embeddings(encoder, tokenizer, pooling));
            }
            ModelWeights weights = ModelWeights.load(file, config, arena);
            pool = new ComputePool(threads);
            Transformer transformer = new Transformer(config, weights, pool);
            return new LocalModel(file, arena, config, tokenizer, pool, transformer,
                    embeddings(new DecoderHiddenStates(transformer), tokenizer, pooling));
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            arena.close();
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

    private static Embeddings embeddings(HiddenStateModel model, Tokenizer tokenizer, Pooling pooling) {
        return new Embeddings(model, tokenizer, pooling, Embeddings.DEFAULT_BATCH_TOKENS);
    }

    /** The decoder; an encoder-only model has none ({@link #canGenerate()}). */
    public Transformer transformer() {
        if (transformer == null) {
            throw new IllegalStateException(file.path().getFileName() + " is an embedding model ("
                    + config.architecture() + "): it has no decoder to generate text with");
        }
        return transformer;
    }

    /** Whether the model can generate text (a decoder), or only embed (an encoder). */
    public boolean canGenerate() {
        return transformer != null;
    }

    /** Pooled, L2-normalised embeddings of token sequences, batched on this model's compute threads. */
    public Embeddings embeddings() {
        return embeddings;
    }

    /** {@code embeddings().embed(inputs)}: one unit vector per token sequence, used as given. */
    public List<float[]> embed(List<int[]> inputs) {
        return embeddings.embed(inputs);
    }

    public int threads() {
        return pool.threads();
    }

    @Override
    public void close() {
        pool.close();
        weights.close();
        file.close();
    }
}
