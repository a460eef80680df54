package dev.gantry.engine.model;

import dev.gantry.engine.tensor.Tensor;

/**
 * The weights of one transformer block, by GGUF tensor name ({@code blk.N.*}). Optional parts are null; which
 * are present is what distinguishes most families: q/k/v biases (Qwen 2), q/k norms (Qwen 3, Gemma 3),
 * post-norms (Gemma), fused {@code attn_qkv} and gate+up in {@code ffn_up} (Phi-3).
 *
 * <p>Matrices have ggml shape {@code [in, out]}; vectors are dequantized to float once at load.
 */
public record LayerWeights(
        float[] attnNorm,     // (dim)
        Tensor wq,            // (dim, qDim) or null when fused
        Tensor wk,            // (dim, kvDim) or null when fused
        Tensor wv,            // (dim, vDim) or null when fused
        Tensor wqkv,          // (dim, qDim + kvDim + vDim) or null
        float[] bq,           // (qDim) or null
        float[] bk,           // (kvDim) or null
        float[] bv,           // (vDim) or null
        float[] qNorm,        // (headDim) or null
        float[] kNorm,        // (headDim) or null
        Tensor wo,            // (heads * valueDim, dim)
        float[] postAttnNorm, // (dim) or null
        float[] ffnNorm,      // (dim)
        Tensor wGate,         // (dim, ffnDim) or null when fused
        Tensor wUp,           // (dim, ffnDim), or (dim, 2 * ffnDim) holding gate then up when wGate is null
        Tensor wDown,         // (ffnDim, dim)
        float[] postFfnNorm)  // (dim) or null
{

    public boolean fusedQkv() {
        return wqkv != null;
    }

    public boolean fusedGateUp() {
        return wGate == null;
    }
}
