package dev.gantry.engine.runner;

import dev.gantry.engine.kvcache.KvCacheManager;
import dev.gantry.engine.model.ForwardBatch;
import dev.gantry.engine.model.Transformer;
import dev.gantry.engine.sampling.Sampler;
import dev.gantry.engine.sampling.TokenChoice;
import dev.gantry.engine.sampling.TokenConstraint;
import dev.gantry.engine.sampling.TokenMask;
import dev.gantry.engine.scheduler.ScheduledChunk;
import dev.gantry.engine.scheduler.StepPlan;
import dev.gantry.engine.scheduler.StepResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.LongToIntFunction;

/**
 * Turns a {@link StepPlan} into one batched forward pass over ragged sequences and samples the next token of
 * every chunk that reaches its sequence's end (vLLM v1's ModelRunner). Only the sampled positions go through the
 * output projection.
 */
public final class ModelRunner {

    private final Transformer transformer;
    private final KvCacheManager kv;

    public ModelRunner(Transformer transformer, KvCacheManager kv) {
        this.transformer = transformer;
        this.kv = kv;
    }

    public StepResult run(StepPlan plan, LongFunction<Sampler> samplers) {
        return run(plan, samplers, id -> -1);
    }

    /**
     * @param logprobs per sequence: -1 for no log-probabilities, else how many alternatives to report with the
     *                 sampled token
     */
    public StepResult run(StepPlan plan, LongFunction<Sampler> samplers, LongToIntFunction logprobs) {
        return run(plan, samplers, logprobs, id -> null);
    }

    /**
     * @param constraints per sequence: what its next token must satisfy (a grammar), or null for nothing; its mask
     *                    is applied before sampling and the sampled token is fed back to it
     */
    public StepResult run(StepPlan plan, LongFunction<Sampler> samplers, LongToIntFunction logprobs,
                          LongFunction<TokenConstraint> constraints) {
        List<ScheduledChunk> chunks = plan.chunks();
        int total = plan.tokenCount();
        int[] tokens = new int[total];
        int[] positions = new int[total];
        int[] sequenceOf = new int[total];
        int[][][] tables = new int[chunks.size()][][];
        int sampled = 0;
        for (ScheduledChunk c : chunks) {
            sampled += c.sample() ? 1 : 0;
        }
        int[] outputs = new int[sampled];
        int i = 0;
        int o = 0;
        for (int s = 0; s < chunks.size(); s++) {
            ScheduledChunk c = chunks.get(s);
            tables[s] = kv.blockTables(c.seqId());
            for (int j = 0; j < c.length(); j++, i++) {
                tokens[i] = c.token(j);
                positions[i] = c.start() + j;
                sequenceOf[i] = s;
            }
            if (c.sample()) {
                outputs[o++] = i - 1;
            }
        }
        float[] logits = transformer.forward(new ForwardBatch(tokens, positions, sequenceOf, tables, outputs), kv.storage());
        int vocab = transformer.config().vocabSize();
        Map<Long, Integer> next = new HashMap<>();
        Map<Long, TokenChoice> choices = new HashMap<>();
        o = 0;
        float[] row = new float[vocab];
        for (ScheduledChunk c : chunks) {
            if (c.sample()) {
                System.arraycopy(logits, o++ * vocab, row, 0, vocab);
                Sampler sampler = samplers.apply(c.seqId());
                TokenConstraint constraint = constraints.apply(c.seqId());
                TokenMask mask = constraint == null ? null : constraint.mask();
                int token = sampler.sample(row, mask);
                sampler.accept(token);
                if (constraint != null) {
                    constraint.accept(token);
                }
                next.put(c.seqId(), token);
                int top = logprobs.applyAsInt(c.seqId());
                if (top >= 0) {
                    choices.put(c.seqId(), TokenChoice.of(row, token, top));
                }
            }
        }
        return new StepResult(next, choices);
    }
}
