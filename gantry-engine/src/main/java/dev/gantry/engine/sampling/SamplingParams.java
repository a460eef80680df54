package dev.gantry.engine.sampling;

import java.util.Map;
import java.util.OptionalLong;

/**
 * How one sequence picks its next token, validated once at construction (messages use the API's snake_case names).
 *
 * @param temperature       divides the logits before the final softmax; 0 means greedy (argmax, lowest id on ties)
 * @param topK              keep the k most likely tokens; 0 = off
 * @param topP              keep the smallest set of most likely tokens whose probability reaches p; 1 = off
 * @param minP              drop tokens less likely than {@code minP} times the most likely one; 0 = off
 * @param repetitionPenalty llama.cpp's: a token seen in the window has a positive logit divided by it and a negative
 *                          one multiplied by it; 1 = off
 * @param presencePenalty   OpenAI's: subtracted once from the logit of every token seen in the window
 * @param frequencyPenalty  OpenAI's: subtracted from a token's logit once per occurrence in the window
 * @param repeatLastN       the window, in accepted tokens, that the three penalties look at; 0 disables them
 * @param seed              the random seed; empty picks a random one ({@link Sampler#seed()} tells which)
 * @param logitBias         added to a token's logit before anything else; {@value #BAN} or below bans it (as OpenAI
 *                          documents for -100)
 */
public record SamplingParams(
        double temperature,
        int topK,
        double topP,
        double minP,
        double repetitionPenalty,
        double presencePenalty,
        double frequencyPenalty,
        int repeatLastN,
        OptionalLong seed,
        Map<Integer, Double> logitBias) {

    public static final int DEFAULT_REPEAT_LAST_N = 64;
    /** A bias at or below this removes the token from sampling. */
    public static final double BAN = -100;
    private static final double MAX_BIAS = 100;
    private static final double MAX_OPENAI_PENALTY = 2;

    public SamplingParams {
        if (!(Double.isFinite(temperature) && temperature >= 0)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0 (0 = greedy), got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1] (1 = off), got " + topP);
        }
        if (!(minP >= 0 && minP <= 1)) {
            throw new IllegalArgumentException("min_p must be in [0, 1] (0 = off), got " + minP);
        }
        if (!(Double.isFinite(repetitionPenalty) && repetitionPenalty > 0)) {
            throw new IllegalArgumentException("repetition_penalty must be a finite number > 0 (1 = off), got " + repetitionPenalty);
        }
        if (!(presencePenalty >= -MAX_OPENAI_PENALTY && presencePenalty <= MAX_OPENAI_PENALTY)) {
            throw new IllegalArgumentException("presence_penalty must be in [-2, 2], got " + presencePenalty);
        }
        if (!(frequencyPenalty >= -MAX_OPENAI_PENALTY && frequencyPenalty <= MAX_OPENAI_PENALTY)) {
            throw new IllegalArgumentException("frequency_penalty must be in [-2, 2], got " + frequencyPenalty);
        }
        if (repeatLastN < 0) {
            throw new IllegalArgumentException("repeat_last_n must be >= 0 (0 = no penalties), got " + repeatLastN);
        }
        if (seed == null) {
            throw new IllegalArgumentException("seed must be given or empty, not null");
        }
        if (logitBias == null) {
            throw new IllegalArgumentException("logit_bias must be a map (empty for none), not null");
        }
        for (Map.Entry<Integer, Double> e : logitBias.entrySet()) {
            if (e.getKey() == null || e.getKey() < 0) {
                throw new IllegalArgumentException("logit_bias token ids must be >= 0, got " + e.getKey());
            }
            Double bias = e.getValue();
            if (bias == null || !(bias >= BAN && bias <= MAX_BIAS)) {
                throw new IllegalArgumentException("logit_bias for token " + e.getKey() + " must be in [-100, 100], got " + bias);
            }
        }
        logitBias = Map.copyOf(logitBias);
    }

    /** llama.cpp's defaults ({@code common_params_sampling}): temperature 0.8, top-k 40, top-p 0.95, min-p 0.05. */
    public static SamplingParams defaults() {
        return new SamplingParams(0.8, 40, 0.95, 0.05, 1, 0, 0, DEFAULT_REPEAT_LAST_N, OptionalLong.empty(), Map.of());
    }

    /** Argmax: temperature 0 and every filter and penalty off. */
    public static SamplingParams greedy() {
        return new SamplingParams(0, 0, 1, 0, 1, 0, 0, DEFAULT_REPEAT_LAST_N, OptionalLong.empty(), Map.of());
    }

    public boolean isGreedy() {
        return temperature == 0;
    }

    /** Whether any penalty would change a logit (llama.cpp skips the stage on the same condition). */
    public boolean hasPenalties() {
        return repeatLastN > 0 && (repetitionPenalty != 1 || presencePenalty != 0 || frequencyPenalty != 0);
    }

    public SamplingParams withTemperature(double t) {
        return new SamplingParams(t, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, repeatLastN, seed, logitBias);
    }

    public SamplingParams withTopK(int k) {
        return new SamplingParams(temperature, k, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, repeatLastN, seed, logitBias);
    }

    public SamplingParams withTopP(double p) {
        return new SamplingParams(temperature, topK, p, minP, repetitionPenalty, presencePenalty, frequencyPenalty, repeatLastN, seed, logitBias);
    }

    public SamplingParams withMinP(double p) {
        return new SamplingParams(temperature, topK, topP, p, repetitionPenalty, presencePenalty, frequencyPenalty, repeatLastN, seed, logitBias);
    }

    public SamplingParams withRepetitionPenalty(double penalty) {
        return new SamplingParams(temperature, topK, topP, minP, penalty, presencePenalty, frequencyPenalty, repeatLastN, seed, logitBias);
    }

    public SamplingParams withPresencePenalty(double penalty) {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, penalty, frequencyPenalty, repeatLastN, seed, logitBias);
    }

    public SamplingParams withFrequencyPenalty(double penalty) {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, presencePenalty, penalty, repeatLastN, seed, logitBias);
    }

    public SamplingParams withRepeatLastN(int n) {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, n, seed, logitBias);
    }

    public SamplingParams withSeed(long s) {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, repeatLastN,
                OptionalLong.of(s), logitBias);
    }

    public SamplingParams withLogitBias(Map<Integer, Double> bias) {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, repeatLastN, seed, bias);
    }
}
