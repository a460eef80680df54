package dev.gantry.engine.model;

import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * All weights of a BERT encoder: the three embedding tables (token, absolute position, token type) and their
 * LayerNorm, then the blocks. Names and shapes as llama.cpp's converter writes them for {@code bert}.
 */
record EncoderWeights(
        Tensor tokenEmbedding,    // (dim, vocab)
        Tensor positionEmbedding, // (dim, contextLength)
        Tensor tokenTypes,        // (dim, types) or null: only type 0 is ever added, as llama.cpp does
        float[] embedNorm,        // (dim): token_embd_norm
        float[] embedNormBias,    // (dim)
        List<EncoderLayerWeights> layers) {

    /** Loads the weights; F16/BF16 matrices are widened into {@code arena} ({@link EncoderMatrix}). */
    static EncoderWeights load(GgufFile file, ModelConfig c, Arena arena) {
        WeightLoader l = new WeightLoader(file);
        java.util.function.Function<Tensor, EncoderMatrix> m = t -> EncoderMatrix.of(t, arena);
        int dim = c.dim();
        List<EncoderLayerWeights> layers = new ArrayList<>(c.layers());
        for (int i = 0; i < c.layers(); i++) {
            String p = "blk." + i + ".";
            layers.add(new EncoderLayerWeights(
                    m.apply(l.matrix(p + "attn_q.weight", dim, c.qDim())), l.vector(p + "attn_q.bias", c.qDim()),
                    m.apply(l.matrix(p + "attn_k.weight", dim, c.kvDim())), l.vector(p + "attn_k.bias", c.kvDim()),
                    m.apply(l.matrix(p + "attn_v.weight", dim, c.vDim())), l.vector(p + "attn_v.bias", c.vDim()),
                    m.apply(l.matrix(p + "attn_output.weight", c.heads() * c.valueDim(), dim)), l.vector(p + "attn_output.bias", dim),
                    l.vector(p + "attn_output_norm.weight", dim), l.vector(p + "attn_output_norm.bias", dim),
                    m.apply(l.matrix(p + "ffn_up.weight", dim, c.ffnDim())), l.vector(p + "ffn_up.bias", c.ffnDim()),
                    m.apply(l.matrix(p + "ffn_down.weight", c.ffnDim(), dim)), l.vector(p + "ffn_down.bias", dim),
                    l.vector(p + "layer_output_norm.weight", dim), l.vector(p + "layer_output_norm.bias", dim)));
        }
        return new EncoderWeights(
                l.matrix("token_embd.weight", dim, c.vocabSize()),
                l.rows("position_embd.weight", dim, c.contextLength()),
                l.has("token_types.weight") ? l.rows("token_types.weight", dim, 1) : null,
                l.vector("token_embd_norm.weight", dim),
                l.vector("token_embd_norm.bias", dim),
                List.copyOf(layers));
    }
}
