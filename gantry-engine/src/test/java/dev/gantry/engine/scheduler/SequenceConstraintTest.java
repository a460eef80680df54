package dev.gantry.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.sampling.TokenConstraint;
import dev.gantry.engine.sampling.TokenMask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sequence keeps its constraint in step with its generated tokens and finishes when the constraint is complete. */
class SequenceConstraintTest {

    /** Records what it is fed; complete after {@code limit} tokens. */
    static final class Recording implements TokenConstraint {
        final List<Integer> seen = new ArrayList<>();
        final int limit;
        int resets;

        Recording(int limit) {
            this.limit = limit;
        }

        @Override
        public TokenMask mask() {
            return t -> true;
        }

        @Override
        public void accept(int token) {
            seen.add(token);
        }

        @Override
        public boolean isComplete() {
            return seen.size() >= limit;
        }

        @Override
        public int accepted() {
            return seen.size();
        }

        @Override
        public void reset() {
            seen.clear();
            resets++;
        }
    }

    @Test
    void aConstraintOutOfStepReplaysTheGeneratedTokens() {
        Recording c = new Recording(100);
        Sequence seq = new Sequence(1, new int[] {1, 2, 3}, 50, 512, t -> false, null, c);
        for (int t : new int[] {7, 8, 9}) {
            seq.constraint().accept(t);
            seq.append(t);
        }
        assertThat(seq.constraint()).isSameAs(c);
        assertThat(c.resets).as("in step: nothing replayed").isZero();
        c.reset();
        c.resets = 0;
        assertThat(seq.constraint().accepted()).isEqualTo(3);
        assertThat(c.seen).as("replayed, prompt excluded").containsExactly(7, 8, 9);
        assertThat(c.resets).isEqualTo(1);
    }

    @Test
    void aCompleteConstraintFinishesTheSequenceWithStop() {
        Recording c = new Recording(2);
        Sequence seq = new Sequence(1, new int[] {1}, 50, 512, t -> false, null, c);
        seq.constraint().accept(5);
        assertThat(seq.append(5)).isNull();
        seq.constraint().accept(6);
        assertThat(seq.append(6)).isEqualTo(FinishReason.STOP);
        Sequence free = new Sequence(2, new int[] {1}, 50, 512, t -> false, null);
        assertThat(free.constraint()).isNull();
        assertThat(free.append(5)).isNull();
    }
}
