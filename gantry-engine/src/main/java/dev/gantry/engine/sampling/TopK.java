package dev.gantry.engine.sampling;

/**
 * Partial selection of the k largest logits without sorting the vocabulary: a size-k heap whose root is the worst
 * kept token, so each of the n logits costs one comparison with the root unless it displaces it. O(n + m log k) for
 * m displacements (few once the heap holds good tokens), against O(n log n) for a full sort of a 150k vocabulary.
 *
 * <p>Order is total: a larger logit is better, and on equal logits the lower id is (as greedy decoding breaks ties).
 * Tokens at negative infinity (masked or banned) are never selected.
 */
final class TopK {

    private TopK() {
    }

    /**
     * Writes the ids of the {@code k} best of {@code values[0..n)} into {@code out}, best first, and returns how many
     * were written (fewer than {@code k} when fewer tokens are not at negative infinity). {@code out} needs room
     * for {@code min(k, n)} ids.
     */
    static int select(float[] values, int n, int k, int[] out) {
        if (k <= 0) {
            return 0;
        }
        int size = 0;
        for (int i = 0; i < n; i++) {
            float v = values[i];
            if (v == Float.NEGATIVE_INFINITY) {
                continue;
            }
            if (size < k) {
                out[size] = i;
                siftUp(values, out, size);
                size++;
            } else if (better(values, i, out[0])) {
                out[0] = i;
                siftDown(values, out, 0, size);
            }
        }
        // Heap sort in place: moving the worst (the root) to the end each time leaves the best first.
        for (int end = size - 1; end > 0; end--) {
            int worst = out[0];
            out[0] = out[end];
            out[end] = worst;
            siftDown(values, out, 0, end);
        }
        return size;
    }

    static boolean better(float[] values, int a, int b) {
        return values[a] > values[b] || (values[a] == values[b] && a < b);
    }

    /** Restores "every parent is worse than its children" after appending at {@code pos}. */
    private static void siftUp(float[] values, int[] heap, int pos) {
        int id = heap[pos];
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (!better(values, heap[parent], id)) {
                break;
            }
            heap[pos] = heap[parent];
            pos = parent;
        }
        heap[pos] = id;
    }

    private static void siftDown(float[] values, int[] heap, int pos, int size) {
        int id = heap[pos];
        while (true) {
            int child = 2 * pos + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && better(values, heap[child], heap[child + 1])) {
                child++;
            }
            if (!better(values, id, heap[child])) {
                break;
            }
            heap[pos] = heap[child];
            pos = child;
        }
        heap[pos] = id;
    }
}
