package dev.gantry.engine.sampling;

import java.util.BitSet;
import java.util.Objects;

/** A {@link TokenMask} over a {@link BitSet} of allowed ids, applied by walking the clear bits only. */
record BitSetTokenMask(BitSet allowed) implements TokenMask {

    BitSetTokenMask {
        Objects.requireNonNull(allowed, "allowed");
    }

    @Override
    public boolean allows(int token) {
        return allowed.get(token);
    }

    @Override
    public void apply(float[] logits) {
        for (int i = allowed.nextClearBit(0); i < logits.length; i = allowed.nextClearBit(i + 1)) {
            logits[i] = Float.NEGATIVE_INFINITY;
        }
    }
}
