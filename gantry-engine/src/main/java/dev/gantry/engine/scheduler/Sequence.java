package dev.gantry.engine.scheduler;

import dev.gantry.engine.sampling.TokenConstraint;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * One request as the scheduler tracks it: its tokens so far (prompt, then generated) and how many of them have
 * keys and values in the cache. As in vLLM v1 there is no separate prefill or decode state: each step computes
 * some of the tokens not yet computed, and sampling happens when a chunk reaches the last one.
 */
public final class Sequence {

    private final long id;
    private final int promptLength;
    private final int maxTokens;
    private final int maxLength;
    private final IntPredicate endOfGeneration;
    private final String tenant;
    private final TokenConstraint constraint;
    private int[] tokens;
    private int length;
    private int computed;

    /**
     * @param maxTokens       tokens to generate at most
     * @param maxLength       prompt + generated tokens at most (the context length)
     * @param endOfGeneration which sampled tokens finish the sequence
     */
    public Sequence(long id, int[] prompt, int maxTokens, int maxLength, IntPredicate endOfGeneration, String tenant) {
        this(id, prompt, maxTokens, maxLength, endOfGeneration, tenant, null);
    }

    /**
     * @param constraint restricts the generated tokens (a grammar), or null; the sequence finishes with
     *                   {@link FinishReason#STOP} once it {@link TokenConstraint#isComplete() is complete}
     */
    public Sequence(long id, int[] prompt, int maxTokens, int maxLength, IntPredicate endOfGeneration, String tenant,
                    TokenConstraint constraint) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("sequence " + id + " has an empty prompt");
        }
        if (prompt.length >= maxLength) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens; the context holds " + maxLength);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max tokens must be at least 1, got " + maxTokens);
        }
        this.id = id;
        this.promptLength = prompt.length;
        this.maxTokens = maxTokens;
        this.maxLength = maxLength;
        this.endOfGeneration = endOfGeneration;
        this.tenant = tenant;
        this.constraint = constraint;
        this.tokens = Arrays.copyOf(prompt, Math.min(maxLength, prompt.length + Math.min(maxTokens, 256)));
        this.length = prompt.length;
    }

    public long id() {
        return id;
    }

    public String tenant() {
        return tenant;
    }

    public int length() {
        return length;
    }

    public int promptLength() {
        return promptLength;
    }

    public int generated() {
        return length - promptLength;
    }

    public int computed() {
        return computed;
    }

    void computed(int n) {
        computed = n;
    }

    /** The tokens so far; the array may be longer than {@link #length()}. */
    int[] tokenArray() {
        return tokens;
    }

    public int[] tokens() {
        return Arrays.copyOf(tokens, length);
    }

    /**
     * The constraint on the next token, or null, in step with the generated tokens: if it has followed a different
     * number of them than the sequence holds, it is reset and replays them, so the sequence's tokens stay the one
     * source of truth (a preempted sequence keeps them and is recomputed from them).
     */
    public TokenConstraint constraint() {
        if (constraint != null && constraint.accepted() != generated()) {
            constraint.reset();
            for (int i = promptLength; i < length; i++) {
                constraint.accept(tokens[i]);
            }
        }
        return constraint;
    }

    /** Appends a sampled token; returns why the sequence is now finished, or null if it goes on. */
    FinishReason append(int token) {
        if (length == tokens.length) {
            tokens = Arrays.copyOf(tokens, Math.min(maxLength, tokens.length * 2));
        }
        tokens[length++] = token;
        if (endOfGeneration.test(token) || (constraint != null && constraint.isComplete())) {
            return FinishReason.STOP;
        }
        if (generated() >= maxTokens || length >= maxLength) {
            return FinishReason.LENGTH;
        }
        return null;
    }
}
