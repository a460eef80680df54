package dev.gantry.engine.kvcache;

/**
 * What the KV cache needs to know of a model: its number of layers and the widths of one token's key row
 * ({@code kvDim = kvHeads * headDim}) and value row ({@code vDim = kvHeads * valueDim}) in one layer. The model
 * package builds it from its {@code ModelConfig}; the cache itself knows nothing else about the model.
 */
public record KvShape(int layers, int kvDim, int vDim) {

    public KvShape {
        if (layers <= 0 || kvDim <= 0 || vDim <= 0) {
            throw new IllegalArgumentException("KV shape needs positive layers, kvDim and vDim, got layers=" + layers
                    + " kvDim=" + kvDim + " vDim=" + vDim);
        }
    }
}
