package dev.gantry.app.bench;

import java.util.Arrays;

/**
 * The timings of a test's repetitions and llama-bench's statistics over them ({@code test::avg_ns},
 * {@code stdev_ns}, {@code get_ts}): tokens per second is computed per repetition and then averaged, and standard
 * deviations are sample deviations (n - 1), zero for a single repetition.
 */
public record Samples(int tokens, long[] ns) {

    public Samples {
        if (tokens < 1 || ns.length == 0) {
            throw new IllegalArgumentException("samples need tokens and at least one timing");
        }
        ns = ns.clone();
    }

    @Override
    public long[] ns() {
        return ns.clone();
    }

    /** An integer mean, truncated as llama-bench's uint64 arithmetic does. */
    public long avgNs() {
        return Arrays.stream(ns).sum() / ns.length;
    }

    public long stddevNs() {
        return Math.round(stddev(Arrays.stream(ns).asDoubleStream().toArray()));
    }

    /** Tokens per second of each repetition. */
    public double[] ts() {
        return Arrays.stream(ns).mapToDouble(t -> tokens * 1e9 / t).toArray();
    }

    public double avgTs() {
        return mean(ts());
    }

    public double stddevTs() {
        return stddev(ts());
    }

    private static double mean(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    private static double stddev(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double squares = 0;
        for (double x : v) {
            squares += (x - m) * (x - m);
        }
        return Math.sqrt(squares / (v.length - 1));
    }
}
