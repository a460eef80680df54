package dev.gantry.knowledge.index;

import dev.gantry.knowledge.ingest.Chunk;

/**
 * A chunk ready to be written: the chunk, the text BM25 indexes and that was embedded (the chunk text with its title
 * and heading path in front, so "the Orion gateway" section still matches a chunk that only says "it"), and its
 * vector.
 */
public record IndexedChunk(Chunk chunk, String indexedText, float[] vector) {
}
