package dev.gantry.engine.scheduler;

import java.util.List;

/**
 * The scheduler's only output: what one step computes. Immutable; the runner turns it into one batched forward
 * pass over ragged sequences.
 *
 * @param chunks    the sequences' chunks, decode steps first
 * @param preempted sequences that lost their blocks this step and will be recomputed
 */
public record StepPlan(List<ScheduledChunk> chunks, List<Long> preempted) {

    public StepPlan {
        chunks = List.copyOf(chunks);
        preempted = List.copyOf(preempted);
    }

    public boolean isEmpty() {
        return chunks.isEmpty();
    }

    public int tokenCount() {
        int n = 0;
        for (ScheduledChunk c : chunks) {
            n += c.length();
        }
        return n;
    }
}
