package dev.gantry.engine.grammar;

/**
 * One parse stack of a pushdown matcher (llama.cpp's {@code llama_grammar_stack}): the grammar positions still
 * to match, top first. Immutable and shared: pushing makes a new top over the same rest. Stacks are interned by
 * their {@link StackMachine}, so two equal stacks are the same object and compare by identity; {@code id} orders
 * them in a state's canonical form.
 */
final class Stack {

    /** The empty stack: everything matched, the grammar may end here. */
    static final Stack EMPTY = new Stack(-1, null, 0);

    final int pos;
    final Stack rest;
    final int id;

    Stack(int pos, Stack rest, int id) {
        this.pos = pos;
        this.rest = rest;
        this.id = id;
    }

    boolean isEmpty() {
        return this == EMPTY;
    }
}
