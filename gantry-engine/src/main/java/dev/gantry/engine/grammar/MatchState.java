package dev.gantry.engine.grammar;

import java.util.Arrays;

/**
 * Where a matcher is between two bytes: the set of live stacks, each with a character element on top (or empty,
 * meaning the grammar can end), and the unfinished UTF-8 character read so far, if a token stopped inside one.
 * Interned by its {@link StackMachine}; {@link #next} memoises the transition on each byte, so a second walk over
 * the same bytes from the same state costs one array read per byte.
 *
 * @see StackMachine#step(MatchState, int)
 */
final class MatchState {

    /** Sorted by {@link Stack#id}; empty for the dead state. */
    final Stack[] stacks;
    /** The bits of the unfinished character so far, and how many continuation bytes it still needs (0 = none). */
    final int partialBits;
    final int partialRemaining;
    /** The whole length in bytes of the unfinished character (0 = none), to refuse overlong encodings. */
    final int partialLength;
    final boolean accepting;
    final boolean complete;
    final MatchState[] next = new MatchState[256];
    private final int hash;

    MatchState(Stack[] stacks, int partialBits, int partialRemaining, int partialLength) {
        this.stacks = stacks;
        this.partialBits = partialBits;
        this.partialRemaining = partialRemaining;
        this.partialLength = partialLength;
        boolean canEnd = false;
        for (Stack s : stacks) {
            canEnd |= s.isEmpty();
        }
        this.accepting = canEnd && partialRemaining == 0;
        this.complete = accepting && stacks.length == 1;
        int h = (partialBits * 31 + partialRemaining) * 31 + partialLength;
        for (Stack s : stacks) {
            h = h * 31 + s.id;
        }
        this.hash = h;
    }

    boolean isDead() {
        return stacks.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MatchState m) || m.hash != hash || m.partialBits != partialBits
                || m.partialRemaining != partialRemaining
                || m.partialLength != partialLength || m.stacks.length != stacks.length) {
            return false;
        }
        for (int i = 0; i < stacks.length; i++) {
            if (stacks[i] != m.stacks[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "MatchState" + Arrays.stream(stacks).mapToInt(s -> s.pos).boxed().toList()
                + (partialRemaining > 0 ? " +" + partialRemaining + " UTF-8 bytes" : "");
    }
}
