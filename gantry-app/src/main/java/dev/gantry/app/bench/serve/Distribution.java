package dev.gantry.app.bench.serve;

import java.util.Arrays;

/**
 * Mean, median and 99th percentile of a sample, in milliseconds. Percentiles interpolate linearly between the
 * closest ranks, as {@code numpy.percentile} does, which is what {@code vllm bench serve} reports.
 */
public record Distribution(int count, double mean, double p50, double p99) {

    public static Distribution of(double[] values) {
        if (values.length == 0) {
            return new Distribution(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return new Distribution(s.length, Arrays.stream(s).average().orElseThrow(), percentile(s, 50), percentile(s, 99));
    }

    static double percentile(double[] sorted, double p) {
        double rank = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    /**
     * {@code mean / p50 / p99} to the hundredth of a millisecond, as {@code vllm bench serve} prints them (a tiny
     * model's gaps are tens of microseconds), or {@code -} for an empty sample.
     */
    public String format() {
        return count == 0 ? "-" : String.format("%.2f / %.2f / %.2f", mean, p50, p99);
    }
}
