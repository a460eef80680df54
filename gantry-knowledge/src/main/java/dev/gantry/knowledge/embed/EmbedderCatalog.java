package dev.gantry.knowledge.embed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The embedding models a Knowledge Hub can use, by id. Models load lazily on first use (an ONNX model takes a
 * second or two) and are shared by every collection that names them: the in-process ONNX models, and GGUF files
 * registered with {@link #withGguf} that Gantry's engine runs ({@code gguf:<name>}).
 */
public final class EmbedderCatalog {
    private final Map<String, Supplier<Embedder>> factories;
    private final String defaultId;
    private final Map<String, Embedder> loaded = new ConcurrentHashMap<>();

    /**
     * @param factories model id to a factory for it
     * @param defaultId the model new collections use unless they name one
     */
    public EmbedderCatalog(Map<String, Supplier<Embedder>> factories, String defaultId) {
        if (!factories.containsKey(defaultId)) {
            throw new IllegalArgumentException("default embedding model '" + defaultId + "' is not in " + factories.keySet());
        }
        this.factories = Map.copyOf(factories);
        this.defaultId = defaultId;
    }

    /**
     * The in-process ONNX models, bge-small-en-v1.5 (quantized) by default: it ranks best on the retrieval benchmark
     * (BENCHMARKS.md). all-MiniLM-L6-v2 (quantized) embeds 2.7 times faster, for collections that name it.
     */
    public static EmbedderCatalog inProcess() {
        return new EmbedderCatalog(Map.of(
                InProcessEmbedder.Model.ALL_MINILM_L6_V2_Q.id(), () -> new InProcessEmbedder(InProcessEmbedder.Model.ALL_MINILM_L6_V2_Q),
                InProcessEmbedder.Model.BGE_SMALL_EN_V15_Q.id(), () -> new InProcessEmbedder(InProcessEmbedder.Model.BGE_SMALL_EN_V15_Q)),
                InProcessEmbedder.Model.BGE_SMALL_EN_V15_Q.id());
    }

    /**
     * This catalog plus each GGUF embedding model in {@code files} ({@link #withGguf}), with all-MiniLM-L6-v2's
     * calibration until one is measured for the model.
     *
     * @throws IllegalArgumentException if a file does not exist (a bad file is reported when first used)
     */
    public EmbedderCatalog withGguf(List<Path> files, int threads) {
        EmbedderCatalog catalog = this;
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + " is not a file");
            }
            catalog = catalog.withGguf(file, threads, GgufEmbedder.MINILM_CALIBRATION);
        }
        return catalog;
    }

    /** A catalog of already-built embedders, the first being the default. */
    public static EmbedderCatalog of(Embedder first, Embedder... more) {
        Map<String, Supplier<Embedder>> map = new java.util.LinkedHashMap<>();
        map.put(first.id(), () -> first);
        for (Embedder e : more) {
            map.put(e.id(), () -> e);
        }
        return new EmbedderCatalog(map, first.id());
    }

    /**
     * This catalog plus the GGUF embedding model in {@code file}, as id {@code gguf:<file name without .gguf>}
     * ({@link GgufEmbedder#idOf}), opened on first use with {@code threads} compute threads. Only registered files
     * can be named, so a collection's settings never make the hub open an arbitrary path.
     */
    public EmbedderCatalog withGguf(Path file, int threads, RetrievalCalibration calibration) {
        Map<String, Supplier<Embedder>> map = new java.util.LinkedHashMap<>(factories);
        String id = GgufEmbedder.idOf(file);
        if (map.containsKey(id)) {
            throw new IllegalArgumentException("embedding model '" + id + "' is already in the catalog");
        }
        map.put(id, () -> GgufEmbedder.open(file, threads, calibration));
        return new EmbedderCatalog(map, defaultId);
    }

    /** The same models with {@code id} as the default for new collections. */
    public EmbedderCatalog withDefault(String id) {
        return new EmbedderCatalog(factories, id);
    }

    public String defaultId() {
        return defaultId;
    }

    public List<String> ids() {
        return factories.keySet().stream().sorted().toList();
    }

    public boolean contains(String id) {
        return factories.containsKey(id);
    }

    /** The embedder with this id, loading it on first use. */
    public Optional<Embedder> find(String id) {
        Supplier<Embedder> factory = factories.get(id);
        if (factory == null) {
            return Optional.empty();
        }
        return Optional.of(loaded.computeIfAbsent(id, k -> factory.get()));
    }
}
