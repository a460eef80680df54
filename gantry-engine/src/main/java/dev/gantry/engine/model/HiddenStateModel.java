package dev.gantry.engine.model;

/**
 * A model seen as a function from token sequences to their final hidden states: what embeddings are pooled from.
 * {@link Encoder} is one (BERT); {@link DecoderHiddenStates} adapts a decoder {@link Transformer}.
 * Implementations keep no state between calls, so concurrent callers are safe (they share the compute pool,
 * which runs one parallel section at a time).
 */
public interface HiddenStateModel {

    /** Width of a hidden state. */
    int dim();

    /** The longest sequence one call may hold (the context length). */
    int maxSequenceLength();

    /**
     * Runs every sequence independently (no attention across sequences) in one batched pass and returns their
     * hidden states concatenated: {@code sum(lengths)} rows of {@link #dim()} floats, in input order. Sequences must
     * be non-empty, within {@link #maxSequenceLength()}, with ids inside the vocabulary.
     */
    float[] hiddenStates(int[][] sequences);
}
