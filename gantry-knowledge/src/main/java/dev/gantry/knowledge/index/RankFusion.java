package dev.gantry.knowledge.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted reciprocal rank fusion (Cormack, Clarke and Buettcher, SIGIR 2009): a chunk scores
 * {@code sum over lists of weight / (k + rank)}. RRF needs no score calibration between BM25 and cosine, which are on
 * unrelated scales; the weights let the caller trust one list more (dependencies.md pitfall 16). Lucene's
 * {@code TopDocs.rrf} has no weights, hence this class.
 *
 * @param keywordWeight weight of the BM25 list
 * @param vectorWeight  weight of the kNN list
 * @param k             the RRF constant; 60 in the paper
 */
public record RankFusion(double keywordWeight, double vectorWeight, int k) {
    public RankFusion {
        if (keywordWeight < 0 || vectorWeight < 0 || keywordWeight + vectorWeight == 0) {
            throw new IllegalArgumentException("fusion weights must be >= 0 and not both 0, got keyword="
                    + keywordWeight + " vector=" + vectorWeight);
        }
        if (k < 1) {
            throw new IllegalArgumentException("RRF k must be >= 1, got " + k);
        }
    }

    /** Fuses the two lists and returns the best {@code topN}, ties broken by the better single rank. */
    public List<FusedChunk> fuse(List<RankedChunk> keyword, List<RankedChunk> vector, int topN) {
        Map<Integer, double[]> byDoc = new HashMap<>();
        for (RankedChunk r : keyword) {
            double[] acc = byDoc.computeIfAbsent(r.docId(), d -> new double[3]);
            acc[0] += keywordWeight / (k + r.rank());
            acc[1] = r.rank();
        }
        for (RankedChunk r : vector) {
            double[] acc = byDoc.computeIfAbsent(r.docId(), d -> new double[3]);
            acc[0] += vectorWeight / (k + r.rank());
            acc[2] = r.rank();
        }
        List<FusedChunk> fused = new ArrayList<>(byDoc.size());
        byDoc.forEach((doc, acc) -> fused.add(new FusedChunk(doc, acc[0], (int) acc[1], (int) acc[2])));
        fused.sort(Comparator.comparingDouble(FusedChunk::score).reversed()
                .thenComparingInt(RankFusion::bestRank)
                .thenComparingInt(FusedChunk::docId));
        return List.copyOf(fused.subList(0, Math.min(topN, fused.size())));
    }

    private static int bestRank(FusedChunk f) {
        int kw = f.keywordRank() == 0 ? Integer.MAX_VALUE : f.keywordRank();
        int vec = f.vectorRank() == 0 ? Integer.MAX_VALUE : f.vectorRank();
        return Math.min(kw, vec);
    }
}
