package dev.gantry.knowledge.index;

/**
 * A chunk's place in one ranked list: its Lucene doc id (valid only within the {@link IndexSnapshot} that
 * produced it), its 1-based rank and the list's own score (BM25, or Lucene's vector score).
 */
public record RankedChunk(int docId, int rank, float score) {
}
