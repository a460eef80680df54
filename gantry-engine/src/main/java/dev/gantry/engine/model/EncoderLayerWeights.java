package dev.gantry.engine.model;

import dev.gantry.engine.tensor.Tensor;

/**
 * The weights of one BERT block, by GGUF tensor name ({@code blk.N.*}, llama.cpp's LLM_ARCH_BERT tensor map).
 * Matrices have ggml shape {@code [in, out]}; norms and biases are floats. The block is post-norm:
 * {@code x = norm(x + attn(x)); x = norm(x + ffn(x))}.
 */
public record EncoderLayerWeights(
        Tensor wq, float[] bq,                 // (dim, dim), (dim)
        Tensor wk, float[] bk,                 // (dim, dim), (dim)
        Tensor wv, float[] bv,                 // (dim, dim), (dim)
        Tensor wo, float[] bo,                 // (dim, dim), (dim): attn_output
        float[] attnNorm, float[] attnNormBias, // (dim): attn_output_norm, after the attention residual
        Tensor wUp, float[] bUp,               // (dim, ffnDim), (ffnDim)
        Tensor wDown, float[] bDown,           // (ffnDim, dim), (dim)
        float[] outNorm, float[] outNormBias)  // (dim): layer_output_norm, after the FFN residual
{
}
