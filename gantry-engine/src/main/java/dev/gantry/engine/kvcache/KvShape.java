package dev.gantry.engine.kvcache;

import java.util.Objects;

/**
 * What the KV cache needs to know of a model: how its layers group into block tables ({@link KvCacheGroups}, by
 * attention window) and the widths of one token's key row ({@code kvDim = kvHeads * headDim}) and value row
 * ({@code vDim = kvHeads * valueDim}) in one layer. The model package builds it from its {@code ModelConfig}; the
 * cache itself knows nothing else about the model.
 */
public record KvShape(KvCacheGroups groups, int kvDim, int vDim) {

    public KvShape {
        Objects.requireNonNull(groups, "KV cache groups");
        if (kvDim <= 0 || vDim <= 0) {
            throw new IllegalArgumentException("KV shape needs positive kvDim and vDim, got kvDim=" + kvDim + " vDim=" + vDim);
        }
    }

    /** {@code layers} layers of full attention: one block table per sequence. */
    public KvShape(int layers, int kvDim, int vDim) {
        this(single(layers), kvDim, vDim);
    }

    private static KvCacheGroups single(int layers) {
        if (layers <= 0) {
            throw new IllegalArgumentException("KV shape needs positive layers, got layers=" + layers);
        }
        return KvCacheGroups.single(layers);
    }

    public int layers() {
        return groups.layers();
    }

    /** Layers whose rows one block holds: all of them, or one group's share in a hybrid model. */
    public int layersPerBlock() {
        return groups.groupSize();
    }

    /** The same widths with every layer in one group (a sequence run alone keeps all its blocks anyway). */
    public KvShape ungrouped() {
        return new KvShape(layers(), kvDim, vDim);
    }
}
