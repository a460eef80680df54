package dev.gantry.knowledge;

import dev.gantry.knowledge.embed.Embedder;
import dev.gantry.knowledge.embed.RetrievalCalibration;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic test embedder: feature hashing of lower-cased words into 64 dimensions, one token per word.
 * Texts sharing words are close, so it exercises the vector path without loading an ONNX model.
 */
public final class HashingEmbedder implements Embedder {
    private final String id;
    private final int dimension;
    private final int minWordLength;

    public HashingEmbedder() {
        this("hashing-64", 64);
    }

    public HashingEmbedder(String id, int dimension) {
        this(id, dimension, 1);
    }

    /** Words shorter than {@code minWordLength} are left out (3 drops most function words). */
    public HashingEmbedder(String id, int dimension, int minWordLength) {
        this.id = id;
        this.dimension = dimension;
        this.minWordLength = minWordLength;
    }

    @Override
    public String id() {
        return id;
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
        String s = text.strip();
        return s.isEmpty() ? 0 : s.split("\\s+").length;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        return texts.stream().map(this::embed).toList();
    }

    @Override
    public float[] embedQuery(String query) {
        return embed(query);
    }

    private float[] embed(String text) {
        float[] v = new float[dimension];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.length() >= minWordLength) {
                v[Math.floorMod(word.hashCode(), dimension)] += 1;
            }
        }
        v[0] += 1e-3f; // never the zero vector, which cosine cannot score
        return v;
    }
}
