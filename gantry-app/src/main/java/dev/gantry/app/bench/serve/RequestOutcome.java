package dev.gantry.app.bench.serve;

/**
 * What one streamed request measured, in vLLM's terms ({@code vllm bench serve}).
 *
 * @param ttftMs       send to the first chunk with non-empty text
 * @param itlMs        the gaps between consecutive non-empty chunks; a chunk carrying several tokens counts once
 * @param outputTokens {@code usage.completion_tokens} when the server sent it, else the non-empty chunks counted
 * @param latencyMs    send to the end of the stream
 * @param resends      how often it was sent again after getting no response (a stale keep-alive connection)
 * @param error        why the request failed, or null when it succeeded
 */
public record RequestOutcome(double ttftMs, double[] itlMs, int outputTokens, double latencyMs, int resends, String error) {

    public static RequestOutcome failed(String error) {
        return new RequestOutcome(Double.NaN, new double[0], 0, Double.NaN, 0, error);
    }

    /** This outcome, sent {@code n} more times before it got its response. */
    public RequestOutcome resent(int n) {
        return new RequestOutcome(ttftMs, itlMs, outputTokens, latencyMs, n, error);
    }

    public boolean succeeded() {
        return error == null;
    }
}
