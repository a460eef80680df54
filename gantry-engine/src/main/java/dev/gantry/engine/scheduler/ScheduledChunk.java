package dev.gantry.engine.scheduler;

/**
 * Part of one sequence computed in a step: {@code tokens} at positions {@code start, start + 1, ...}.
 * {@code sample} is true when the chunk reaches the end of the sequence's known tokens, so its last position's
 * logits pick the next token; a prefill chunk that stops short of the prompt's end samples nothing.
 */
public record ScheduledChunk(long seqId, int start, int[] tokens, boolean sample) {

    public ScheduledChunk {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a scheduled chunk needs at least one token");
        }
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    public int length() {
        return tokens.length;
    }

    /** The token at index i of the chunk, without copying. */
    public int token(int i) {
        return tokens[i];
    }
}
