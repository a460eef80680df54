package dev.gantry.app.bench.serve;

import java.util.Arrays;
import java.util.List;

/**
 * One target's run: {@code vllm bench serve}'s metrics over the requests that succeeded. Throughputs divide by
 * the wall time of the whole run, from the first request sent to the last stream ended.
 */
public record ServeResult(String target, double seconds, int completed, int failed, long outputTokens,
                          Distribution ttftMs, Distribution itlMs, int resends, String firstError) {

    public static ServeResult of(String target, double seconds, List<RequestOutcome> outcomes) {
        List<RequestOutcome> ok = outcomes.stream().filter(RequestOutcome::succeeded).toList();
        String firstError = outcomes.stream().filter(o -> !o.succeeded()).map(RequestOutcome::error).findFirst().orElse(null);
        return new ServeResult(target, seconds, ok.size(), outcomes.size() - ok.size(),
                ok.stream().mapToLong(RequestOutcome::outputTokens).sum(),
                Distribution.of(ok.stream().mapToDouble(RequestOutcome::ttftMs).toArray()),
                Distribution.of(ok.stream().flatMapToDouble(o -> Arrays.stream(o.itlMs())).toArray()),
                outcomes.stream().mapToInt(RequestOutcome::resends).sum(), firstError);
    }

    public double requestsPerSecond() {
        return completed / seconds;
    }

    public double outputTokensPerSecond() {
        return outputTokens / seconds;
    }
}
