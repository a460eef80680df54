package dev.gantry.engine.model;

import dev.gantry.engine.kvcache.KvBlockStorage;
import dev.gantry.engine.kvcache.KvCacheConfig;

/**
 * A decoder {@link Transformer} as a {@link HiddenStateModel}: each call runs its sequences as one ragged batch over a
 * KV cache of its own (freed when the call returns) and returns every token's state after the output norm, which is
 * what llama.cpp pools a decoder's embeddings from. Attention stays causal, as the model was trained.
 */
public final class DecoderHiddenStates implements HiddenStateModel {

    private final Transformer transformer;

    public DecoderHiddenStates(Transformer transformer) {
        this.transformer = transformer;
    }

    @Override
    public int dim() {
        return transformer.config().dim();
    }

    @Override
    public int maxSequenceLength() {
        return transformer.config().contextLength();
    }

    @Override
    public float[] hiddenStates(int[][] sequences) {
        if (sequences.length == 0) {
            throw new IllegalArgumentException("no sequences to run");
        }
        KvCacheConfig config = KvCacheConfig.of(Long.MAX_VALUE);
        int bs = config.blockSize();
        int total = 0;
        int blocks = 0;
        for (int s = 0; s < sequences.length; s++) {
            int n = sequences[s].length;
            if (n == 0 || n > maxSequenceLength()) {
                throw new IllegalArgumentException("sequence " + s + " has " + n + " tokens; it needs 1.."
                        + maxSequenceLength() + " (the model's context)");
            }
            total += n;
            blocks += (n + bs - 1) / bs;
        }
        int[] tokens = new int[total];
        int[] positions = new int[total];
        int[] sequenceOf = new int[total];
        int[][][] tables = new int[sequences.length][1][];
        int row = 0;
        int block = 0;
        for (int s = 0; s < sequences.length; s++) {
            int n = sequences[s].length;
            int[] table = new int[(n + bs - 1) / bs];
            for (int b = 0; b < table.length; b++) {
                table[b] = block++;
            }
            tables[s][0] = table;
            for (int i = 0; i < n; i++, row++) {
                tokens[row] = sequences[s][i];
                positions[row] = i;
                sequenceOf[row] = s;
            }
        }
        int[] outputs = new int[total];
        for (int i = 0; i < total; i++) {
            outputs[i] = i;
        }
        try (KvBlockStorage kv = new KvBlockStorage(config, transformer.kvShape().ungrouped(), blocks)) {
            return transformer.hiddenStates(new ForwardBatch(tokens, positions, sequenceOf, tables, outputs), kv);
        }
    }
}
