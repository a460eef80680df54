package dev.gantry.engine.model;

/**
 * The weights of one BERT block, by GGUF tensor name ({@code blk.N.*}, llama.cpp's LLM_ARCH_BERT tensor map).
 * Matrices have ggml shape {@code [in, out]}; norms and biases are floats. The block is post-norm:
 * {@code x = norm(x + attn(x)); x = norm(x + ffn(x))}.
 */
record EncoderLayerWeights(
        EncoderMatrix wq, float[] bq,                 // (dim, dim), (dim)
        EncoderMatrix wk, float[] bk,                 // (dim, dim), (dim)
        EncoderMatrix wv, float[] bv,                 // (dim, dim), (dim)
        EncoderMatrix wo, float[] bo,                 // (dim, dim), (dim): attn_output
        float[] attnNorm, float[] attnNormBias, // (dim): attn_output_norm, after the attention residual
        EncoderMatrix wUp, float[] bUp,               // (dim, ffnDim), (ffnDim)
        EncoderMatrix wDown, float[] bDown,           // (ffnDim, dim), (dim)
        float[] outNorm, float[] outNormBias)  // (dim): layer_output_norm, after the FFN residual
{
}
