package dev.gantry.engine;

import dev.gantry.engine.model.HiddenStateModel;
import dev.gantry.engine.model.Pooling;
import dev.gantry.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Sentence embeddings from a model: token sequences in, one L2-normalised vector each out, as llama-server's
 * embeddings endpoints return them (hidden states pooled as the GGUF's {@code pooling_type} says, then divided
 * by their Euclidean norm). Inputs are grouped into passes of up to {@link #batchTokens()} tokens that share every
 * matrix product. An input longer than the model's context is an error, never silently truncated.
 *
 * <p>Thread-safe: every call has its own activations; concurrent callers share the model's compute pool, which
 * runs one parallel section at a time.
 */
public final class Embeddings {

    /**
     * Tokens per pass: enough to amortise reading the weights over many short inputs, few enough that a pass's
     * activations (a row of 384-1024 floats per token) stay in cache while each weight row meets them all.
     */
    public static final int DEFAULT_BATCH_TOKENS = 512;

    private final HiddenStateModel model;
    private final Tokenizer tokenizer;
    private final Pooling pooling;
    private final int batchTokens;

    public Embeddings(HiddenStateModel model, Tokenizer tokenizer, Pooling pooling, int batchTokens) {
        if (batchTokens < 1) {
            throw new IllegalArgumentException("batchTokens must be at least 1, got " + batchTokens);
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.batchTokens = batchTokens;
    }

    /** Length of every vector. */
    public int dimension() {
        return model.dim();
    }

    public Pooling pooling() {
        return pooling;
    }

    /** The most tokens one input may have, special tokens included (the model's context length). */
    public int maxInputTokens() {
        return model.maxSequenceLength();
    }

    public int vocabSize() {
        return tokenizer.vocabSize();
    }

    public int batchTokens() {
        return batchTokens;
    }

    /**
     * {@code text} as the ids the model embeds, as llama-server tokenizes embedding inputs: the special tokens the
     * vocabulary's flags ask for ([CLS] ... [SEP] for BERT, BOS for Llama), and control tokens written in the text
     * parsed.
     */
    public int[] tokenize(String text) {
        return tokenizer.encode(text, true, true);
    }

    /** Tokenizes and embeds each text; see {@link #embed(List)}. */
    public List<float[]> embedTexts(List<String> texts) {
        return embed(texts.stream().map(this::tokenize).toList());
    }

    /**
     * One unit vector per input, in order. Inputs are used as given (no special tokens added).
     *
     * @throws IllegalArgumentException naming the input, if one is empty, longer than {@link #maxInputTokens()} or
     *                                  holds an id outside the vocabulary
     * @throws UnsupportedOperationException if the model's pooling gives no single vector (none, rank)
     */
    public List<float[]> embed(List<int[]> inputs) {
        if (!pooling.poolsToVector()) {
            throw new UnsupportedOperationException("the model's pooling type '" + pooling.name().toLowerCase(java.util.Locale.ROOT)
                    + "' gives no single vector per input; embeddings need mean, cls or last pooling");
        }
        for (int i = 0; i < inputs.size(); i++) {
            check(i, inputs.get(i));
        }
        List<float[]> out = new ArrayList<>(inputs.size());
        int from = 0;
        while (from < inputs.size()) {
            int to = from;
            int tokens = 0;
            while (to < inputs.size() && (to == from || tokens + inputs.get(to).length <= batchTokens)) {
                tokens += inputs.get(to).length;
                to++;
            }
            out.addAll(pass(inputs.subList(from, to)));
            from = to;
        }
        return out;
    }

    private List<float[]> pass(List<int[]> batch) {
        int[][] sequences = batch.toArray(int[][]::new);
        float[] states = model.hiddenStates(sequences);
        List<float[]> out = new ArrayList<>(sequences.length);
        int row = 0;
        for (int[] seq : sequences) {
            out.add(normalize(pooling.pool(states, row, seq.length, model.dim())));
            row += seq.length;
        }
        return out;
    }

    private void check(int index, int[] input) {
        if (input.length == 0) {
            throw new IllegalArgumentException("input " + index + " is empty");
        }
        if (input.length > maxInputTokens()) {
            throw new IllegalArgumentException("input " + index + " has " + input.length
                    + " tokens, more than the model's context of " + maxInputTokens());
        }
        int vocab = tokenizer.vocabSize();
        for (int j = 0; j < input.length; j++) {
            if (input[j] < 0 || input[j] >= vocab) {
                throw new IllegalArgumentException("input " + index + ", token " + j + ": id " + input[j]
                        + " is outside the vocabulary of " + vocab);
            }
        }
    }

    /** Euclidean normalisation as llama.cpp's {@code common_embd_normalize(.., 2)}: sum in double, zero stays zero. */
    static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        double norm = Math.sqrt(sum);
        double inv = norm > 0 ? 1.0 / norm : 0.0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] * inv);
        }
        return v;
    }
}
