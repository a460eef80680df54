package dev.gantry.server.knowledge;

import java.util.List;

/** OpenAI's list envelope, {@code {"object": "list", "data": [...]}}. */
record ListObject<T>(String object, List<T> data) {

    static <T> ListObject<T> of(List<T> data) {
        return new ListObject<>("list", List.copyOf(data));
    }
}
