package dev.gantry.knowledge.embed;

import dev.gantry.engine.Embeddings;
import dev.gantry.engine.LocalModel;
import dev.gantry.knowledge.KnowledgeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An embedding model run by Gantry's own engine from a GGUF file (a BERT encoder such as all-MiniLM-L6-v2, or a
 * decoder with last/mean pooling): the vectors llama-server's embeddings endpoint gives, with the model's own
 * tokenizer counting chunk tokens. Its id is {@code gguf:<file name without .gguf>}. A chunk or query longer than
 * the model's context is an error naming it, never silently truncated (the chunker keeps chunks well below it).
 *
 * <p>Thread-safe, as the engine's {@link Embeddings} is. {@link #close()} unmaps the file and stops its threads.
 */
public final class GgufEmbedder implements Embedder, AutoCloseable {

    /** The id prefix that marks a GGUF model in a collection's settings. */
    public static final String ID_PREFIX = "gguf:";

    /**
     * all-MiniLM-L6-v2's calibration, measured for the in-process int8 ONNX copy of the same model and confirmed on
     * the GGUF F16 file with RetrievalBenchmark (see BENCHMARKS.md): a sensible start for other sentence encoders,
     * which should be measured the same way.
     */
    public static final RetrievalCalibration MINILM_CALIBRATION = new RetrievalCalibration(0.30, 1.5);

    private final String id;
    private final LocalModel model;
    private final Embeddings embeddings;
    private final RetrievalCalibration calibration;
    private final int specialTokens;
    private final AtomicBoolean closed = new AtomicBoolean();

    private GgufEmbedder(String id, LocalModel model, RetrievalCalibration calibration) {
        this.id = id;
        this.model = model;
        this.embeddings = model.embeddings();
        this.calibration = calibration;
        // [CLS] and [SEP] for BERT, BOS for Llama: what tokenizing adds around every text
        this.specialTokens = embeddings.tokenize("").length;
        if (!embeddings.pooling().poolsToVector()) {
            throw new IllegalArgumentException(model.file().path() + " has pooling type "
                    + embeddings.pooling() + ": it gives no single vector per text, so it cannot embed chunks");
        }
    }

    /**
     * Opens {@code file} with {@code threads} compute threads.
     *
     * @throws dev.gantry.engine.gguf.GgufException if the file cannot be read or its architecture is unsupported
     */
    public static GgufEmbedder open(Path file, int threads, RetrievalCalibration calibration) {
        LocalModel model = LocalModel.open(file, threads);
        try {
            return new GgufEmbedder(idOf(file), model, calibration);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** {@code gguf:all-MiniLM-L6-v2-f16} for {@code .../all-MiniLM-L6-v2-f16.gguf}. */
    public static String idOf(Path file) {
        String name = file.getFileName().toString();
        return ID_PREFIX + (name.endsWith(".gguf") ? name.substring(0, name.length() - ".gguf".length()) : name);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimension() {
        return embeddings.dimension();
    }

    /** The context less the special tokens every text gets (510 for MiniLM's 512 positions). */
    @Override
    public int maxInputTokens() {
        return embeddings.maxInputTokens() - specialTokens;
    }

    @Override
    public RetrievalCalibration calibration() {
        return calibration;
    }

    @Override
    public int count(String text) {
        return model.tokenizer().encode(text, false, false).length;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<int[]> inputs = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            inputs.add(tokens("chunk " + i, texts.get(i)));
        }
        return embeddings.embed(inputs);
    }

    @Override
    public float[] embedQuery(String query) {
        return embeddings.embed(List.of(tokens("the query", query))).getFirst();
    }

    private int[] tokens(String what, String text) {
        int[] ids = embeddings.tokenize(text);
        if (ids.length > embeddings.maxInputTokens()) {
            throw new KnowledgeException(KnowledgeException.Reason.INVALID_ARGUMENT, what + " has " + ids.length
                    + " tokens; embedding model '" + id + "' takes at most " + embeddings.maxInputTokens());
        }
        return ids;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            model.close();
        }
    }
}
