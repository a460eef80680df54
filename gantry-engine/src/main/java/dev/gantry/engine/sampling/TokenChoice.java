package dev.gantry.engine.sampling;

import java.util.List;

/**
 * A sampled token with its log-probability under the model's full softmax (before any sampling filter), and the
 * most likely alternatives at that position, best first: what OpenAI's {@code logprobs} report.
 */
public record TokenChoice(int token, double logprob, List<TokenLogprob> top) {

    public TokenChoice {
        top = List.copyOf(top);
    }

    /** The choice of {@code token} from raw {@code logits}, with the {@code topCount} best alternatives. */
    public static TokenChoice of(float[] logits, int token, int topCount) {
        return new TokenChoice(token, Logprobs.of(logits, token), topCount > 0 ? Logprobs.top(logits, topCount) : List.of());
    }
}
