package dev.gantry.engine.scheduler;

/**
 * Limits of continuous batching, validated once at the edge.
 *
 * @param maxRunning     sequences in one batch at most (vLLM's max_num_seqs)
 * @param maxBatchTokens tokens computed per step at most, decode and prefill together (max_num_batched_tokens)
 * @param maxWaiting     requests queued at most; beyond it submission fails fast (the server's 429)
 * @param chunkedPrefill whether a long prompt may be computed over several steps; if not, a prompt must fit one
 *                       step's budget whole
 */
public record SchedulerConfig(int maxRunning, int maxBatchTokens, int maxWaiting, boolean chunkedPrefill) {

    public SchedulerConfig {
        if (maxRunning < 1) {
            throw new IllegalArgumentException("max running sequences must be at least 1, got " + maxRunning);
        }
        if (maxBatchTokens < 1) {
            throw new IllegalArgumentException("max batch tokens must be at least 1, got " + maxBatchTokens);
        }
        if (maxWaiting < 0) {
            throw new IllegalArgumentException("max waiting requests must not be negative, got " + maxWaiting);
        }
    }

    public static SchedulerConfig defaults() {
        return new SchedulerConfig(16, 512, 256, true);
    }

    /** No batching: one sequence at a time (the baseline batching is measured against). */
    public SchedulerConfig unbatched() {
        return new SchedulerConfig(1, maxBatchTokens, maxWaiting, chunkedPrefill);
    }
}
