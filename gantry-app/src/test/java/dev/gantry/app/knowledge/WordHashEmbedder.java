package dev.gantry.app.knowledge;

import dev.gantry.knowledge.embed.Embedder;
import dev.gantry.knowledge.embed.RetrievalCalibration;
import java.util.List;
import java.util.Locale;

/** A fast deterministic embedder for CLI tests: hashed bag of words, one token per word. */
final class WordHashEmbedder implements Embedder {
    @Override
    public String id() {
        return "word-hash";
    }

    @Override
    public int dimension() {
        return 32;
    }

    @Override
    public int maxInputTokens() {
        return 512;
    }

    @Override
    public RetrievalCalibration calibration() {
        return new RetrievalCalibration(0.2, 1.0);
    }

    @Override
    public int count(String text) {
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        return texts.stream().map(this::embedQuery).toList();
    }

    @Override
    public float[] embedQuery(String text) {
        float[] v = new float[32];
        for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!w.isEmpty()) {
                v[Math.floorMod(w.hashCode(), 32)]++;
            }
        }
        v[0] += 1e-3f;
        return v;
    }
}
