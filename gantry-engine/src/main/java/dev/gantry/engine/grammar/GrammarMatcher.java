package dev.gantry.engine.grammar;

import dev.gantry.engine.sampling.TokenConstraint;
import dev.gantry.engine.sampling.TokenMask;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link Grammar} following one sequence's tokens and telling which tokens may come next.
 *
 * <p>The mask walks the vocabulary trie ({@link TokenVocabulary}) together with the matcher, so a prefix shared
 * by many tokens is matched once and a subtree is skipped as soon as its prefix is dead (llama.cpp walks each
 * token separately). Byte transitions are memoised in the states, and each state's finished mask is kept in a
 * small LRU: inside a JSON string, for example, the state after most tokens is one already seen, and its mask
 * costs a lookup.
 *
 * <p>End-of-generation tokens are allowed only where the grammar can end; tokens without text (control tokens)
 * never. If the grammar can neither continue with any token of this vocabulary nor end, the end-of-generation
 * tokens are allowed anyway so the sequence stops instead of failing its whole batch; the output is then
 * incomplete, which {@link #canEnd()} reports.
 *
 * <p>One per sequence; one thread at a time.
 */
public final class GrammarMatcher implements TokenConstraint {

    private static final int CACHED_MASKS = 32;

    private final StackMachine machine;
    private final TokenVocabulary vocabulary;
    private final Map<MatchState, BitSet> masks = new LinkedHashMap<>(CACHED_MASKS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MatchState, BitSet> eldest) {
            return size() > CACHED_MASKS;
        }
    };
    private MatchState state;
    private boolean ended;
    private int accepted;

    GrammarMatcher(GrammarCode code, TokenVocabulary vocabulary) {
        this.machine = new StackMachine(code);
        this.vocabulary = vocabulary;
        this.state = machine.initial();
    }

    @Override
    public TokenMask mask() {
        return TokenMask.of(allowed());
    }

    /** The allowed tokens as a bit set (shared with the cache: do not modify). */
    BitSet allowed() {
        if (ended) {
            return vocabulary.endOfGeneration();
        }
        return masks.computeIfAbsent(state, this::computeMask);
    }

    /** The mask of the current state walked afresh, bypassing the mask cache (for measuring the trie walk). */
    BitSet walk() {
        return computeMask(state);
    }

    private BitSet computeMask(MatchState from) {
        BitSet allowed = new BitSet(vocabulary.size());
        MatchState[] at = new MatchState[vocabulary.maxDepth() + 1];
        at[0] = from;
        int n = vocabulary.nodes();
        for (int i = 1; i < n; ) {
            MatchState s = machine.step(at[vocabulary.depth(i) - 1], vocabulary.label(i));
            if (s.isDead()) {
                i = vocabulary.subtreeEnd(i);
                continue;
            }
            at[vocabulary.depth(i)] = s;
            vocabulary.addTokens(i, allowed);
            i++;
        }
        if (from.accepting || allowed.isEmpty()) {
            allowed.or(vocabulary.endOfGeneration());
        }
        return allowed;
    }

    @Override
    public void accept(int token) {
        if (token < 0 || token >= vocabulary.size()) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary of " + vocabulary.size());
        }
        if (!allowed().get(token)) {
            throw new IllegalArgumentException("token " + token + " is not allowed by the grammar here");
        }
        accepted++;
        if (vocabulary.isEndOfGeneration(token)) {
            ended = true;
            return;
        }
        state = machine.compact(machine.feed(state, vocabulary.bytes(token)));
    }

    /** Whether the text so far is a complete match of the grammar (more may still follow). */
    public boolean canEnd() {
        return state.accepting;
    }

    @Override
    public boolean isComplete() {
        return ended || state.complete;
    }

    @Override
    public int accepted() {
        return accepted;
    }

    @Override
    public void reset() {
        state = machine.initial();
        ended = false;
        accepted = 0;
    }
}
