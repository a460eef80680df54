package dev.gantry.engine.tokenizer;

import java.util.Arrays;

/**
 * A binary min-heap of (key, value) pairs of primitive longs, ordered by key. SentencePiece merging queues one
 * candidate per adjacent pair of a long text; boxed queue entries made that dominated by cache misses.
 */
final class PairHeap {

    private long[] keys = new long[64];
    private long[] values = new long[64];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    void add(long key, long value) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            keys[i] = keys[parent];
            values[i] = values[parent];
            i = parent;
        }
        keys[i] = key;
        values[i] = value;
    }

    long minKey() {
        return keys[0];
    }

    long minValue() {
        return values[0];
    }

    void removeMin() {
        long key = keys[--size];
        long value = values[size];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && keys[child + 1] < keys[child]) {
                child++;
            }
            if (key <= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            values[i] = values[child];
            i = child;
        }
        keys[i] = key;
        values[i] = value;
    }
}
