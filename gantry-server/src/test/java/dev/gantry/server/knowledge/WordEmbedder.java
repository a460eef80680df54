package dev.gantry.server.knowledge;

import dev.gantry.knowledge.embed.Embedder;
import dev.gantry.knowledge.embed.RetrievalCalibration;
import java.util.List;
import java.util.Locale;

/**
 * A fast deterministic embedder for HTTP tests: a hashed bag of words, one token per word. Texts sharing words are
 * near; it needs no model load, so the tests exercise the routes, not ONNX.
 */
final class WordEmbedder implements Embedder {
    private static final int DIMENSION = 64;

    @Override
    public String id() {
        return "word-hash";
    }

    @Override
    public int dimension() {
        return DIMENSION;
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
        float[] v = new float[DIMENSION];
        for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (w.length() > 2) {
                v[Math.floorMod(w.hashCode(), DIMENSION)]++;
            }
        }
        v[0] += 1e-3f;
        return v;
    }
}
