package dev.gantry.engine.sampling;

/**
 * Per-sequence state that restricts which tokens may come next and follows the tokens actually chosen: the
 * contract between the runner and a grammar matcher ({@code engine.grammar}), kept here so the scheduler and the
 * runner need not know grammars. One instance per sequence, used by one thread at a time.
 */
public interface TokenConstraint {

    /** The tokens allowed next; never empty while the sequence can go on. */
    TokenMask mask();

    /**
     * Follows a chosen token.
     *
     * @throws IllegalArgumentException if {@link #mask()} did not allow it
     */
    void accept(int token);

    /** Nothing more may follow what was accepted: the sequence is done. */
    boolean isComplete();

    /** How many tokens were accepted since creation or the last {@link #reset()}. */
    int accepted();

    /** Back to the state before any token, so a sequence can replay its tokens. */
    void reset();
}
