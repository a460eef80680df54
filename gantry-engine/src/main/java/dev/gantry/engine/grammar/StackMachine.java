package dev.gantry.engine.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pushdown matcher of one sequence: a set of stacks advanced one code point at a time, as llama.cpp's
 * {@code llama_grammar_advance_stack} / {@code llama_grammar_accept} do, but driven by bytes so a token may end
 * inside a UTF-8 character. Stacks and states are interned (hash-consed), which turns the matcher into a lazily
 * built automaton: every transition is computed once and then read from {@link MatchState#next}.
 *
 * <p>One instance per sequence and one thread at a time (the engine loop); nothing is shared between sequences.
 */
final class StackMachine {

    /** Past this many interned states or stacks, {@link #compact} drops the memo and keeps only the current state. */
    private static final int MAX_STATES = 50_000;
    private static final int MAX_STACKS = 200_000;
    /** The smallest code point each UTF-8 length may encode (RFC 3629 section 3: shorter forms are invalid). */
    private static final int[] MIN_CODE_POINT = {0, 0, 0x80, 0x800, 0x10000};
    private static final Comparator<Stack> BY_ID = Comparator.comparingInt(s -> s.id);

    private final GrammarCode g;
    private Map<Long, Stack> stacks = new HashMap<>();
    private Map<MatchState, MatchState> states = new HashMap<>();
    private int nextStackId = 1;
    private final MatchState dead = new MatchState(new Stack[0], 0, 0, 0);

    StackMachine(GrammarCode grammar) {
        this.g = grammar;
    }

    MatchState dead() {
        return dead;
    }

    /** The state before any input: the root rule's alternatives, expanded to their first characters. */
    MatchState initial() {
        List<Stack> out = new ArrayList<>();
        Set<Stack> seen = identitySet();
        for (int alt : g.alternatives()[g.root()]) {
            advance(g.kind(alt) == GrammarCode.END ? Stack.EMPTY : push(alt, Stack.EMPTY), out, seen);
        }
        return intern(out, 0, 0, 0);
    }

    /** The state after one more byte; {@link #dead()} when no stack can take it. */
    MatchState step(MatchState from, int b) {
        MatchState to = from.next[b];
        if (to == null) {
            to = computeStep(from, b);
            from.next[b] = to;
        }
        return to;
    }

    MatchState feed(MatchState from, byte[] bytes) {
        MatchState s = from;
        for (int i = 0; i < bytes.length && !s.isDead(); i++) {
            s = step(s, bytes[i] & 0xFF);
        }
        return s;
    }

    /**
     * Bounds the memo between tokens: when it has grown past its limits, everything is dropped and the current
     * state rebuilt in fresh tables (stacks are values, so the rebuilt state matches exactly the same inputs).
     */
    MatchState compact(MatchState current) {
        if (states.size() <= MAX_STATES && stacks.size() <= MAX_STACKS) {
            return current;
        }
        stacks = new HashMap<>();
        states = new HashMap<>();
        Map<Stack, Stack> copies = new IdentityHashMap<>();
        List<Stack> rebuilt = new ArrayList<>();
        for (Stack s : current.stacks) {
            rebuilt.add(copy(s, copies));
        }
        return intern(rebuilt, current.partialBits, current.partialRemaining, current.partialLength);
    }

    private Stack copy(Stack s, Map<Stack, Stack> copies) {
        if (s.isEmpty()) {
            return s;
        }
        Stack done = copies.get(s);
        if (done == null) {
            done = push(s.pos, copy(s.rest, copies));
            copies.put(s, done);
        }
        return done;
    }

    private MatchState computeStep(MatchState from, int b) {
        if (from.isDead()) {
            return dead;
        }
        if (from.partialRemaining == 0) {
            if (b < 0x80) {
                return acceptCodePoint(from.stacks, b);
            }
            if (b >= 0xC2 && b <= 0xDF) {
                return partial(from.stacks, b & 0x1F, 1, 2);
            }
            if ((b & 0xF0) == 0xE0) {
                return partial(from.stacks, b & 0x0F, 2, 3);
            }
            if (b >= 0xF0 && b <= 0xF4) {
                return partial(from.stacks, b & 0x07, 3, 4);
            }
            return dead; // a continuation byte with no lead, an overlong lead, or no UTF-8 at all
        }
        if ((b & 0xC0) != 0x80) {
            return dead;
        }
        int bits = (from.partialBits << 6) | (b & 0x3F);
        int remaining = from.partialRemaining - 1;
        if (remaining > 0) {
            return partial(from.stacks, bits, remaining, from.partialLength);
        }
        boolean wellFormed = bits >= MIN_CODE_POINT[from.partialLength] && bits <= Character.MAX_CODE_POINT
                && (bits < Character.MIN_SURROGATE || bits > Character.MAX_SURROGATE);
        return wellFormed ? acceptCodePoint(from.stacks, bits) : dead;
    }

    /**
     * Inside a character: keep the stacks whose next character could still be one starting with these bits
     * (llama.cpp's {@code llama_grammar_match_partial_char}); the empty stack cannot end mid-character.
     */
    private MatchState partial(Stack[] from, int bits, int remaining, int length) {
        int lo = Math.max(bits << (6 * remaining), MIN_CODE_POINT[length]);
        int hi = Math.min((bits << (6 * remaining)) | ((1 << (6 * remaining)) - 1), Character.MAX_CODE_POINT);
        if (lo > hi || (lo >= Character.MIN_SURROGATE && hi <= Character.MAX_SURROGATE)) {
            return dead; // overlong, beyond Unicode or a surrogate, whatever follows
        }
        List<Stack> kept = new ArrayList<>();
        for (Stack s : from) {
            if (!s.isEmpty() && g.matchesSome(s.pos, lo, hi)) {
                kept.add(s);
            }
        }
        return intern(kept, bits, remaining, length);
    }

    private MatchState acceptCodePoint(Stack[] from, int cp) {
        List<Stack> out = new ArrayList<>();
        Set<Stack> seen = identitySet();
        for (Stack s : from) {
            if (s.isEmpty() || !g.matches(s.pos, cp)) {
                continue;
            }
            Stack rest = s.rest;
            int after = g.next(s.pos);
            advance(g.kind(after) == GrammarCode.END ? rest : push(after, rest), out, seen);
        }
        return intern(out, 0, 0, 0);
    }

    /**
     * Expands rule references on top of {@code s} until every resulting stack has a character on top or is empty.
     * {@code seen} stops revisits: a nullable repetition such as {@code ("a"?)*} leads back to a stack already
     * expanded, which adds nothing new.
     */
    private void advance(Stack s, List<Stack> out, Set<Stack> seen) {
        if (!seen.add(s)) {
            return;
        }
        if (s.isEmpty() || g.kind(s.pos) != GrammarCode.REF) {
            out.add(s);
            return;
        }
        Stack base = s.rest;
        int after = g.next(s.pos);
        if (g.kind(after) != GrammarCode.END) {
            base = push(after, base);
        }
        for (int alt : g.alternatives()[g.rule(s.pos)]) {
            advance(g.kind(alt) == GrammarCode.END ? base : push(alt, base), out, seen);
        }
    }

    private Stack push(int pos, Stack rest) {
        long key = ((long) pos << 32) | (rest.id & 0xFFFFFFFFL);
        Stack s = stacks.get(key);
        if (s == null) {
            s = new Stack(pos, rest, nextStackId++);
            stacks.put(key, s);
        }
        return s;
    }

    private MatchState intern(List<Stack> list, int bits, int remaining, int length) {
        if (list.isEmpty()) {
            return dead;
        }
        Stack[] sorted = list.toArray(Stack[]::new);
        Arrays.sort(sorted, BY_ID);
        MatchState candidate = new MatchState(sorted, bits, remaining, length);
        MatchState known = states.putIfAbsent(candidate, candidate);
        return known != null ? known : candidate;
    }

    private static Set<Stack> identitySet() {
        return java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    }
}
