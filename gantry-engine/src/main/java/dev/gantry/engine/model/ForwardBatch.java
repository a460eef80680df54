package dev.gantry.engine.model;

/**
 * One forward pass over ragged sequences: token {@code i} of the batch is {@code tokens[i]} at position
 * {@code positions[i]} of sequence {@code sequenceOf[i]}, whose keys and values for the layers of KV cache group
 * {@code g} live in the blocks listed by {@code blockTables[sequenceOf[i]][g]} (position p in block
 * {@code p / blockSize}, offset {@code p % blockSize}; see {@code KvCacheGroups}).
 * Tokens of a sequence come in position order and attend to everything before them in that sequence.
 * {@code outputs} lists the batch indices whose logits are wanted, in the order returned.
 */
public record ForwardBatch(int[] tokens, int[] positions, int[] sequenceOf, int[][][] blockTables, int[] outputs) {

    public ForwardBatch {
        if (tokens.length == 0 || positions.length != tokens.length || sequenceOf.length != tokens.length) {
            throw new IllegalArgumentException("a batch needs one position and one sequence per token");
        }
        for (int o : outputs) {
            if (o < 0 || o >= tokens.length) {
                throw new IllegalArgumentException("output index " + o + " is outside the batch of " + tokens.length);
            }
        }
        for (int s : sequenceOf) {
            if (s < 0 || s >= blockTables.length) {
                throw new IllegalArgumentException("sequence index " + s + " has no block table");
            }
        }
    }

    /**
     * {@code tokens} of one sequence at positions {@code start...} in a cache of one group, logits of the last
     * {@code outputs} of them.
     */
    public static ForwardBatch single(int[] tokens, int start, int[] blockTable, int outputs) {
        int t = tokens.length;
        int[] positions = new int[t];
        for (int i = 0; i < t; i++) {
            positions[i] = start + i;
        }
        int[] out = new int[outputs];
        for (int i = 0; i < outputs; i++) {
            out[i] = t - outputs + i;
        }
        return new ForwardBatch(tokens, positions, new int[t], new int[][][] {{blockTable}}, out);
    }

    public int size() {
        return tokens.length;
    }
}
