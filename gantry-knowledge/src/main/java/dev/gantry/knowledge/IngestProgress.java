package dev.gantry.knowledge;

/**
 * A snapshot of an ingestion job's progress. {@code chunksTotal} grows as documents are read and chunked, so it is
 * final only when {@code documentsDone == documentsTotal}.
 */
public record IngestProgress(int documentsDone, int documentsTotal, int chunksDone, int chunksTotal) {
}
