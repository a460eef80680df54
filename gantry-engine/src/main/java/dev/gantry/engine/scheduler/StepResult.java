package dev.gantry.engine.scheduler;

import dev.gantry.engine.sampling.TokenChoice;
import java.util.Map;

/**
 * What the runner returns for a {@link StepPlan}: the token sampled for each chunk that asked for one, and its
 * log-probabilities for the sequences that want them.
 */
public record StepResult(Map<Long, Integer> sampled, Map<Long, TokenChoice> logprobs) {

    public StepResult {
        sampled = Map.copyOf(sampled);
        logprobs = Map.copyOf(logprobs);
    }

    public StepResult(Map<Long, Integer> sampled) {
        this(sampled, Map.of());
    }
}
