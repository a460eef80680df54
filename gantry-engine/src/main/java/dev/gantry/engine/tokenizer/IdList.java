package dev.gantry.engine.tokenizer;

import java.util.Arrays;

/** A growable list of token ids, to avoid boxing while encoding long prompts. */
final class IdList {

    private int[] ids = new int[16];
    private int size;

    void add(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
    }

    int size() {
        return size;
    }

    int get(int i) {
        return ids[i];
    }

    void truncate(int newSize) {
        size = newSize;
    }

    int[] toArray() {
        return Arrays.copyOf(ids, size);
    }
}
