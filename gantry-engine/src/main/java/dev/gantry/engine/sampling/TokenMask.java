package dev.gantry.engine.sampling;

import java.util.BitSet;

/**
 * Which tokens may come next: the seam through which grammar-constrained decoding (JSON schema, GBNF) restricts a
 * {@link Sampler}. Disallowed tokens get a logit of negative infinity after the logit bias and before every other
 * stage, so a positive bias cannot revive them and the penalties and filters only ever see allowed tokens.
 */
@FunctionalInterface
public interface TokenMask {

    boolean allows(int token);

    /** Sets the logit of every disallowed token in {@code logits} to negative infinity. */
    default void apply(float[] logits) {
        for (int i = 0; i < logits.length; i++) {
            if (!allows(i)) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /**
     * A live view of {@code allowed}: token {@code i} is allowed when bit {@code i} is set. Not copied, so a grammar
     * can update the same set between steps without allocating.
     */
    static TokenMask of(BitSet allowed) {
        return new BitSetTokenMask(allowed);
    }

    /** Exactly these tokens. */
    static TokenMask allowing(int... tokens) {
        BitSet allowed = new BitSet();
        for (int t : tokens) {
            if (t < 0) {
                throw new IllegalArgumentException("token ids must be >= 0, got " + t);
            }
            allowed.set(t);
        }
        return new BitSetTokenMask(allowed);
    }
}
