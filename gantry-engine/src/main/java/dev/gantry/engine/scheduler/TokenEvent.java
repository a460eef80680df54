package dev.gantry.engine.scheduler;

/** A sampled token of a sequence; {@code finish} is non-null on its last event. */
public record TokenEvent(long seqId, int token, FinishReason finish) {
}
