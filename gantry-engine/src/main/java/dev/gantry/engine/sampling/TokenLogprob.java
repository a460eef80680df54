package dev.gantry.engine.sampling;

/** A token and its log-probability under a softmax (natural log, as OpenAI's {@code logprobs} report it). */
public record TokenLogprob(int token, double logprob) {

    public double probability() {
        return Math.exp(logprob);
    }
}
