package dev.gantry.knowledge.ingest;

/**
 * Counts tokens the way the model that consumes the text does (for chunks: the embedding model's tokenizer,
 * without special tokens). Counts of whitespace-separated pieces add up to about the count of their concatenation,
 * which the chunker relies on.
 */
@FunctionalInterface
public interface TokenCounter {
    int count(String text);
}
