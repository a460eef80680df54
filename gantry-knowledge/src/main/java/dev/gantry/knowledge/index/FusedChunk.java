package dev.gantry.knowledge.index;

/**
 * A chunk after rank fusion.
 *
 * @param keywordRank 1-based rank in the keyword list, or 0 when absent from it
 * @param vectorRank  1-based rank in the vector list, or 0 when absent from it
 */
public record FusedChunk(int docId, double score, int keywordRank, int vectorRank) {
}
