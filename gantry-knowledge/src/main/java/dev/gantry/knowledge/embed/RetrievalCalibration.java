package dev.gantry.knowledge.embed;

/**
 * How retrieval should treat one embedding model's similarities, measured on a labelled corpus (see
 * {@code RetrievalBenchmark} in the tests). Models spread cosine similarities differently and rank with different
 * strength relative to BM25, so neither number can be shared between models.
 *
 * @param relevanceFloor cosine similarity below which a chunk is not relevant to a question; an answer with no
 *                       chunk above it says nothing relevant was found
 * @param vectorWeight   weight of the kNN list against BM25's weight of 1 in hybrid rank fusion: the stronger the
 *                       model ranks on its own, the more weight it needs for fusion not to pull its best hits down
 */
public record RetrievalCalibration(double relevanceFloor, double vectorWeight) {
    public RetrievalCalibration {
        if (relevanceFloor < -1 || relevanceFloor > 1) {
            throw new IllegalArgumentException("relevance floor is a cosine similarity in [-1, 1], got " + relevanceFloor);
        }
        if (vectorWeight <= 0) {
            throw new IllegalArgumentException("vector weight must be > 0, got " + vectorWeight);
        }
    }
}
