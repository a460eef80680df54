package dev.gantry.engine.scheduler;

import java.util.Map;

/** What the runner returns for a {@link StepPlan}: the token sampled for each chunk that asked for one. */
public record StepResult(Map<Long, Integer> sampled) {

    public StepResult {
        sampled = Map.copyOf(sampled);
    }
}
