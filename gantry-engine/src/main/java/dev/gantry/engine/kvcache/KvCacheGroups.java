package dev.gantry.engine.kvcache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Which layers share a block table: vLLM v1's KV cache groups for hybrid models (its "hybrid allocator"). Layers
 * that attend alike, all globally or all through the same sliding window, go in groups of {@link #groupSize()}
 * layers, and every block of the one shared {@link BlockPool} holds {@code groupSize} layers' keys and values for
 * its tokens. A sequence then has one {@link BlockTable} per group: a full-attention group keeps every block, a
 * sliding-window group gives blocks back as the window moves past them, and the freed blocks serve any group,
 * so the memory a window saves goes to whoever needs it (Gemma 2 alternates local and global layers, Gemma 3 has
 * five local ones to each global one).
 *
 * <p>The group size is the smallest number of layers of one kind (vLLM's choice), so every block has the same
 * bytes; a kind whose count it does not divide gets a last, partly used group. A model whose layers all attend
 * alike has one group of all its layers: one table per sequence, as in plain PagedAttention.
 */
public final class KvCacheGroups {

    private final int layers;
    private final int groupSize;
    private final int[] groupOf;   // (layer) -> group
    private final int[] slotOf;    // (layer) -> its index among the block's layers
    private final int[] windowOf;  // (group) -> sliding window in tokens, 0 for full attention

    private KvCacheGroups(int layers, int groupSize, int[] groupOf, int[] slotOf, int[] windowOf) {
        this.layers = layers;
        this.groupSize = groupSize;
        this.groupOf = groupOf;
        this.slotOf = slotOf;
        this.windowOf = windowOf;
    }

    /** One group of {@code layers} full-attention layers. */
    public static KvCacheGroups single(int layers) {
        return of(new int[layers]);
    }

    /**
     * Groups layers by their attention window ({@code windows[layer]}: 0 for full attention, else the tokens a query
     * sees, itself included); full-attention groups come first, then windows in increasing order.
     */
    public static KvCacheGroups of(int[] windows) {
        if (windows.length == 0) {
            throw new IllegalArgumentException("a KV cache needs at least one layer");
        }
        TreeMap<Integer, List<Integer>> byWindow = new TreeMap<>();
        for (int l = 0; l < windows.length; l++) {
            if (windows[l] < 0) {
                throw new IllegalArgumentException("layer " + l + " has a negative attention window " + windows[l]);
            }
            byWindow.computeIfAbsent(windows[l], w -> new ArrayList<>()).add(l);
        }
        int size = byWindow.values().stream().mapToInt(List::size).min().orElseThrow();
        int[] groupOf = new int[windows.length];
        int[] slotOf = new int[windows.length];
        List<Integer> groupWindows = new ArrayList<>();
        for (var kind : byWindow.entrySet()) {
            List<Integer> members = kind.getValue();
            for (int i = 0; i < members.size(); i++) {
                if (i % size == 0) {
                    groupWindows.add(kind.getKey());
                }
                groupOf[members.get(i)] = groupWindows.size() - 1;
                slotOf[members.get(i)] = i % size;
            }
        }
        return new KvCacheGroups(windows.length, size, groupOf, slotOf,
                groupWindows.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Model layers covered. */
    public int layers() {
        return layers;
    }

    /** Layers whose keys and values one block holds. */
    public int groupSize() {
        return groupSize;
    }

    public int groupCount() {
        return windowOf.length;
    }

    /** The group, and so the block table, of a model layer. */
    public int group(int layer) {
        return groupOf[checkLayer(layer)];
    }

    /** Where a layer's rows sit among the {@link #groupSize()} layers of each block of its group. */
    public int slotInBlock(int layer) {
        return slotOf[checkLayer(layer)];
    }

    /** A group's sliding window in tokens, or 0 when its layers attend to every earlier position. */
    public int window(int group) {
        return windowOf[group];
    }

    public boolean sliding(int group) {
        return windowOf[group] > 0;
    }

    /**
     * Blocks a sequence of {@code tokens} holds at most, with prompt chunks of up to {@code chunkTokens}: every
     * block in a full-attention group, the window (and the chunk being written past it) in a sliding one.
     */
    public long blocksFor(int tokens, int chunkTokens, int blockSize) {
        long all = Math.ceilDiv(tokens, blockSize);
        long total = 0;
        for (int window : windowOf) {
            total += window == 0 ? all
                    : Math.min(all, Math.ceilDiv(window - 1, blockSize) + 1 + Math.ceilDiv(chunkTokens, blockSize));
        }
        return total;
    }

    private int checkLayer(int layer) {
        if (layer < 0 || layer >= layers) {
            throw new IndexOutOfBoundsException("layer " + layer + " is outside 0.." + (layers - 1));
        }
        return layer;
    }

    @Override
    public String toString() {
        return groupCount() + " group(s) of " + groupSize + " layers, windows " + Arrays.toString(windowOf);
    }
}
