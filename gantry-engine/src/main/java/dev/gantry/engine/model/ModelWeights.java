package dev.gantry.engine.model;

import dev.gantry.engine.gguf.GgufException;
import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.tensor.Repacking;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.WeightFormat;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * All weights of a model: matrices as views into the mapped GGUF file, or as copies repacked for the kernels
 * ({@link Repacking}) in the arena the model owns; norms and biases as small float copies. The output projection
 * falls back to the token embeddings when the file ties them (no {@code output.weight}).
 */
public record ModelWeights(
        Tensor tokenEmbedding, // (dim, vocab)
        List<LayerWeights> layers,
        float[] outputNorm,    // (dim)
        Tensor output,         // (dim, vocab)
        float[] ropeFactors) { // (ropeDims / 2) or null

    /** The model's weights; repacked matrices live in {@code arena}, which must outlive them. */
    public static ModelWeights load(GgufFile file, ModelConfig config, Arena arena) {
        Loader l = new Loader(file, arena);
        Tensor embedding = l.matrix("token_embd.weight", config.dim(), config.vocabSize());
        List<LayerWeights> layers = new ArrayList<>(config.layers());
        for (int i = 0; i < config.layers(); i++) {
            layers.add(layer(l, config, "blk." + i + "."));
        }
        Tensor output = file.hasTensor("output.weight") ? l.matrix("output.weight", config.dim(), config.vocabSize()) : embedding;
        // Llama 3.1+ ships one set of RoPE frequency factors; LongRoPE (Phi-3 128k) ships a short set for contexts
        // up to the original training length and a long one beyond. Gantry's contexts stay within the original
        // length unless YaRN says otherwise, so the short set applies (llama_model::get_rope_factors).
        String factors = file.hasTensor("rope_freqs.weight") ? "rope_freqs.weight"
                : file.hasTensor("rope_factors_short.weight") ? "rope_factors_short.weight" : null;
        float[] ropeFactors = factors != null ? l.vector(factors, config.ropeDims() / 2) : null;
        return new ModelWeights(embedding, List.copyOf(layers), l.vector("output_norm.weight", config.dim()), output, ropeFactors);
    }

    private static LayerWeights layer(Loader l, ModelConfig c, String p) {
        boolean fusedQkv = l.has(p + "attn_qkv.weight");
        boolean fusedGateUp = !l.has(p + "ffn_gate.weight");
        int qDim = c.qDim();
        int kvDim = c.kvDim();
        int vDim = c.vDim();
        return new LayerWeights(
                l.vector(p + "attn_norm.weight", c.dim()),
                fusedQkv ? null : l.matrix(p + "attn_q.weight", c.dim(), qDim),
                fusedQkv ? null : l.matrix(p + "attn_k.weight", c.dim(), kvDim),
                fusedQkv ? null : l.matrix(p + "attn_v.weight", c.dim(), vDim),
                fusedQkv ? l.matrix(p + "attn_qkv.weight", c.dim(), qDim + kvDim + vDim) : null,
                l.optionalVector(p + "attn_q.bias", qDim),
                l.optionalVector(p + "attn_k.bias", kvDim),
                l.optionalVector(p + "attn_v.bias", vDim),
                l.optionalVector(p + "attn_q_norm.weight", c.headDim()),
                l.optionalVector(p + "attn_k_norm.weight", c.headDim()),
                l.matrix(p + "attn_output.weight", c.heads() * c.valueDim(), c.dim()),
                l.optionalVector(p + "post_attention_norm.weight", c.dim()),
                l.vector(p + "ffn_norm.weight", c.dim()),
                fusedGateUp ? null : l.matrix(p + "ffn_gate.weight", c.dim(), c.ffnDim()),
                l.matrix(p + "ffn_up.weight", c.dim(), fusedGateUp ? 2 * c.ffnDim() : c.ffnDim()),
                l.matrix(p + "ffn_down.weight", c.ffnDim(), c.dim()),
                l.optionalVector(p + "post_ffw_norm.weight", c.dim()));
    }

    /** Looks tensors up by name and checks their shapes, so a malformed file fails at load, not mid-forward. */
    private record Loader(GgufFile file, Arena arena) {

        boolean has(String name) {
            return file.hasTensor(name);
        }

        Tensor matrix(String name, int in, int out) {
            Tensor t = file.tensor(name);
            long[] s = t.shape();
            if (s.length != 2 || s[0] != in || s[1] != out) {
                throw new GgufException(file.path(), "tensor '" + name + "' has shape " + java.util.Arrays.toString(s)
                        + ", expected [" + in + ", " + out + "]");
            }
            try {
                WeightFormat.of(t.type());
            } catch (UnsupportedOperationException e) {
                throw new GgufException(file.path(), "tensor '" + name + "' has unsupported weight type " + t.type());
            }
            return Repacking.forKernels(t, arena);
        }

        float[] vector(String name, int n) {
            Tensor t = file.tensor(name);
            if (t.elementCount() != n) {
                throw new GgufException(file.path(), "tensor '" + name + "' has " + t.elementCount() + " elements, expected " + n);
            }
            float[] v = new float[n];
            try {
                WeightFormat.of(t.type()).dequantize(t.data(), 0, v, 0, n);
            } catch (UnsupportedOperationException e) {
                throw new GgufException(file.path(), "tensor '" + name + "' has unsupported weight type " + t.type());
            }
            return v;
        }

        float[] optionalVector(String name, int n) {
            return has(name) ? vector(name, n) : null;
        }
    }
}
