package dev.gantry.engine.chat.jinja;

import java.util.List;
import java.util.Map;

/**
 * A function a template can call: macros, built-ins such as {@code range}, and functions the caller puts in the
 * render context (llama.cpp gives templates {@code strftime_now}, for example). Arguments arrive as template
 * values: {@code null}, {@code Boolean}, {@code Long}, {@code Double}, {@code String}, {@code List},
 * {@code Map} or another {@code JinjaFunction}.
 */
@FunctionalInterface
public interface JinjaFunction {

    Object call(Arguments args);

    /** Positional and keyword arguments of one call. */
    record Arguments(List<Object> positional, Map<String, Object> keywords) {

        public Arguments {
            positional = java.util.Collections.unmodifiableList(positional);
            keywords = java.util.Collections.unmodifiableMap(keywords);
        }

        public static Arguments of(Object... positional) {
            return new Arguments(java.util.Arrays.asList(positional), Map.of());
        }

        /** The argument at {@code index}, or else the keyword {@code name}, or else {@code fallback}. */
        public Object get(int index, String name, Object fallback) {
            if (index >= 0 && index < positional.size()) {
                return positional.get(index);
            }
            if (name != null && keywords.containsKey(name)) {
                return keywords.get(name);
            }
            return fallback;
        }

        public boolean has(int index, String name) {
            return (index >= 0 && index < positional.size()) || (name != null && keywords.containsKey(name));
        }

        public int size() {
            return positional.size() + keywords.size();
        }
    }
}
