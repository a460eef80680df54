package dev.gantry.engine.chat.jinja;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of a render. Lookups walk out to the enclosing scopes; assignments stay in this
 * one. As in Jinja2, a for loop body and a macro call get their own scope, so a {@code set} inside them is not
 * seen outside (which is why templates use {@code namespace()} to carry state out of loops); {@code if} does not.
 */
final class Scope {

    private final Scope parent;
    private final Map<String, Object> vars = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    Object get(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.vars.containsKey(name)) {
                return s.vars.get(name);
            }
        }
        return null;
    }

    boolean has(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.vars.containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    void set(String name, Object value) {
        vars.put(name, value);
    }
}
