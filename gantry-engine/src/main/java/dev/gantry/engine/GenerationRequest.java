package dev.gantry.engine;

import dev.gantry.engine.grammar.Grammar;
import dev.gantry.engine.sampling.SamplingParams;
import java.time.Instant;

/**
 * What to generate: a tokenized prompt, how to sample, how much, and by when.
 *
 * @param deadline   the generation is cancelled when it passes; null for none
 * @param ignoreEos  keep going past end-of-generation tokens (benchmarks)
 * @param tenant     who asked: the seam for per-tenant fairness and accounting
 * @param logprobs   -1 for none; otherwise report each token's log-probability with this many alternatives
 * @param grammar    constrains the output to this grammar, or null for none; compiled once, each sequence gets its
 *                   own matcher, and the sequence stops when the grammar has matched and nothing more can follow
 */
public record GenerationRequest(int[] prompt, SamplingParams sampling, int maxTokens, Instant deadline,
                                boolean ignoreEos, String tenant, int logprobs, Grammar grammar) {

    /** The most alternatives a token's log-probabilities may list (OpenAI's limit). */
    public static final int MAX_LOGPROBS = 20;

    public GenerationRequest(int[] prompt, SamplingParams sampling, int maxTokens, Instant deadline, boolean ignoreEos,
                             String tenant) {
        this(prompt, sampling, maxTokens, deadline, ignoreEos, tenant, -1, null);
    }

    public GenerationRequest(int[] prompt, SamplingParams sampling, int maxTokens, Instant deadline, boolean ignoreEos,
                             String tenant, int logprobs) {
        this(prompt, sampling, maxTokens, deadline, ignoreEos, tenant, logprobs, null);
    }

    public GenerationRequest {
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("the prompt must have at least one token");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be at least 1, got " + maxTokens);
        }
        if (sampling == null) {
            throw new IllegalArgumentException("sampling parameters are required");
        }
        if (logprobs < -1 || logprobs > MAX_LOGPROBS) {
            throw new IllegalArgumentException("logprobs must be between 0 and " + MAX_LOGPROBS + ", got " + logprobs);
        }
        prompt = prompt.clone();
        tenant = tenant == null ? "default" : tenant;
    }

    public static GenerationRequest of(int[] prompt, SamplingParams sampling, int maxTokens) {
        return new GenerationRequest(prompt, sampling, maxTokens, null, false, null);
    }

    /** This request constrained to {@code g} (null for none). */
    public GenerationRequest withGrammar(Grammar g) {
        return new GenerationRequest(prompt, sampling, maxTokens, deadline, ignoreEos, tenant, logprobs, g);
    }

    @Override
    public int[] prompt() {
        return prompt.clone();
    }
}
