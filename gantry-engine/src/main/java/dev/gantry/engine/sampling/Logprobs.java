package dev.gantry.engine.sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * Log-probabilities of the full softmax of raw logits (no bias, penalty, filter or temperature): what {@code gantry
 * score} sums and what OpenAI's {@code logprobs} report. Numerically stable: {@code log p_i = l_i - (m + log sum_j
 * exp(l_j - m))} with {@code m} the largest logit, accumulated in double.
 */
public final class Logprobs {

    private Logprobs() {
    }

    /** {@code log softmax(logits)[token]}. */
    public static double of(float[] logits, int token) {
        if (token < 0 || token >= logits.length) {
            throw new IllegalArgumentException("token " + token + " is outside the " + logits.length + " logits");
        }
        return logits[token] - logSumExp(logits);
    }

    /**
     * The {@code k} most likely tokens, best first (lower id first on equal logits), with their log-probabilities.
     * Tokens at negative infinity have probability 0 and are never listed, so fewer than {@code k} may come back.
     */
    public static List<TokenLogprob> top(float[] logits, int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, got " + k);
        }
        double logZ = logSumExp(logits);
        int[] ids = new int[Math.min(k, logits.length)];
        int n = TopK.select(logits, logits.length, ids.length, ids);
        List<TokenLogprob> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new TokenLogprob(ids[i], logits[ids[i]] - logZ));
        }
        return out;
    }

    /** {@code log sum_i exp(logits[i])}; fails on NaN or positive infinity, or when every logit is negative infinity. */
    public static double logSumExp(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            float v = logits[i];
            if (Float.isNaN(v) || v == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("logit of token " + i + " is " + v);
            }
            max = Math.max(max, v);
        }
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("every one of the " + logits.length + " logits is -Infinity: no distribution");
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp((double) v - max);
        }
        return max + Math.log(sum);
    }
}
