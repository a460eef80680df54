package dev.gantry.knowledge;

/**
 * A snapshot of an ingestion job's progress. {@code chunksTotal} grows as documents are read and chunked, so it is
 * final only when {@code documentsDone == documentsTotal}; {@code chunksDone} counts chunks embedded, and stays below
 * {@code chunksTotal} when a document failed while being embedded. A document is done once its outcome is final
 * (for written documents: once committed).
 */
public record IngestProgress(int documentsDone, int documentsTotal, int chunksDone, int chunksTotal) {
}
