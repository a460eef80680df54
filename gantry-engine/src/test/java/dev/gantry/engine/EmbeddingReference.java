package dev.gantry.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.support.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code reference/embeddings-llamacpp.jsonl}: llama-server's token ids (special tokens added) and
 * L2-normalised pooled embedding of one input, for one model file of {@code models/embed/}.
 */
public record EmbeddingReference(String model, String input, int[] tokenIds, float[] embedding) {

    public static List<EmbeddingReference> all() {
        ObjectMapper json = new ObjectMapper();
        try {
            List<EmbeddingReference> out = new ArrayList<>();
            for (String line : Files.readAllLines(SharedData.resolve("reference/embeddings-llamacpp.jsonl"))) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = json.readTree(line);
                int[] ids = new int[n.get("token_ids").size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = n.get("token_ids").get(i).asInt();
                }
                float[] e = new float[n.get("embedding").size()];
                for (int i = 0; i < e.length; i++) {
                    e[i] = (float) n.get("embedding").get(i).asDouble();
                }
                out.add(new EmbeddingReference(n.get("model").asText(), n.get("input").asText(), ids, e));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path modelPath() {
        return SharedData.resolve("models/embed/" + model);
    }

    /** The README's bar: cosine >= 0.9999 for F16 (and F32), >= 0.999 for quantized files. */
    public double minCosine() {
        return model.endsWith("-f16.gguf") || model.endsWith("-f32.gguf") ? 0.9999 : 0.999;
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
