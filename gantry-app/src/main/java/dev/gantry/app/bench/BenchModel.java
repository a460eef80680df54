package dev.gantry.app.bench;

import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.gguf.GgufMetadata;
import dev.gantry.engine.gguf.GgufTensorInfo;
import dev.gantry.engine.gguf.LlamaFileType;
import dev.gantry.engine.tensor.GgmlType;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * A benchmarked model file as llama-bench describes it: {@code model_type} ("llama 1B Q4_0"), {@code model_size}
 * (bytes of all tensors, not of the file) and {@code model_n_params} (elements of all tensors).
 *
 * @param file the path as given, which llama-bench reports as {@code model_filename}
 */
public record BenchModel(Path file, String type, long sizeBytes, long params) {

    public static BenchModel describe(Path file) {
        try (GgufFile gguf = GgufFile.open(file)) {
            long size = 0;
            long params = 0;
            for (GgufTensorInfo t : gguf.tensorInfos().values()) {
                size += t.byteSize();
                params += t.elementCount();
            }
            return new BenchModel(file, typeName(gguf, params), size, params);
        }
    }

    /**
     * As llama.cpp's {@code llama_model::desc}: architecture, size class, file type. The file type comes from
     * {@code general.file_type}, or is guessed from the most common tensor type (llama.cpp then says "(guessed)").
     * llama.cpp names the size class from a per-architecture table of layer counts; this rounds the parameter count
     * instead, which agrees for Llama models of a billion parameters or more and says "?B" below, as llama.cpp does
     * for models outside its table.
     */
    static String typeName(GgufFile gguf, long params) {
        GgufMetadata m = gguf.metadata();
        String arch = m.optionalString("general.architecture").orElse("unknown");
        String size = params >= 950_000_000L ? Math.round(params / 1e9) + "B" : "?B";
        if (m.has("general.file_type")) {
            long id = m.integer("general.file_type");
            String name = LlamaFileType.byId(id).map(LlamaFileType::displayName).orElse("unknown, may not work");
            return arch + " " + size + " " + name;
        }
        Map<GgmlType, Integer> counts = new EnumMap<>(GgmlType.class);
        for (GgufTensorInfo t : gguf.tensorInfos().values()) {
            counts.merge(t.type(), 1, Integer::sum);
        }
        GgmlType most = counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(GgmlType.F32);
        String name = LlamaFileType.forType(most).map(LlamaFileType::displayName).orElse(most.name());
        return arch + " " + size + " (guessed) " + name;
    }

    /** llama-bench's size column: MiB below a GiB, else GiB. */
    public String sizeLabel() {
        return sizeBytes < (1L << 30) ? String.format("%.2f MiB", sizeBytes / 1048576.0) : String.format("%.2f GiB", sizeBytes / 1073741824.0);
    }

    /** llama-bench's params column: millions below a billion, else billions. */
    public String paramsLabel() {
        return params < 1_000_000_000L ? String.format("%.2f M", params / 1e6) : String.format("%.2f B", params / 1e9);
    }
}
