package dev.gantry.knowledge.bench;

import dev.gantry.knowledge.embed.Embedder;
import dev.gantry.knowledge.embed.RetrievalCalibration;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A cheap dense embedder for indexing benchmarks: each word maps to a fixed pseudo-random vector (seeded by the
 * word) and a text is the sum of its words' vectors. Dense 384-dimensional vectors like a real sentence model's, so
 * HNSW does the same work, at a fraction of a millisecond per chunk; one token per word.
 */
public final class ProjectionEmbedder implements Embedder {
    private final int dimension;

    public ProjectionEmbedder(int dimension) {
        this.dimension = dimension;
    }

    @Override
    public String id() {
        return "projection-" + dimension;
    }

    @Override
    public int dimension() {
        return dimension;
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
        float[] v = new float[dimension];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (word.isEmpty()) {
                continue;
            }
            Random r = new Random(word.hashCode());
            for (int i = 0; i < dimension; i++) {
                v[i] += (float) r.nextGaussian();
            }
        }
        v[0] += 1e-3f;
        return v;
    }
}
