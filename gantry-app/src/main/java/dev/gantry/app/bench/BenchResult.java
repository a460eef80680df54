package dev.gantry.app.bench;

import java.time.Instant;
import java.util.Optional;

/** One row of the report: a test of a model, Gantry's timings, and llama.cpp's when it ran beside. */
public record BenchResult(BenchModel model, BenchCase test, Instant testTime, Samples samples, Optional<LlamaBench.Result> llamaCpp) {

    /** Gantry's average tokens per second over llama.cpp's, when llama.cpp ran. */
    public Optional<Double> ratio() {
        return llamaCpp.map(l -> samples.avgTs() / l.samples().avgTs());
    }
}
