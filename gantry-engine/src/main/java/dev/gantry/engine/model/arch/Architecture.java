package dev.gantry.engine.model.arch;

import dev.gantry.engine.kernel.Activation;
import dev.gantry.engine.kernel.Rope;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The model families Gantry runs, named as in GGUF {@code general.architecture}. One transformer serves them all;
 * a family only states how it differs (llama.cpp's {@code llm_build_*} graphs and {@code llama_hparams} are the
 * reference). Structural differences that show in the tensors (q/k/v biases, q/k norms, post-norms, fused qkv
 * or gate+up) are detected from the weights, so they need no hook here.
 */
public enum Architecture {
    /** Llama 1-3, Mistral, TinyLlama, stories: the baseline. */
    LLAMA("llama", Rope.Pairing.NORMAL, Activation.SILU),
    /** Qwen 2 / 2.5: biases on q, k, v. */
    QWEN2("qwen2", Rope.Pairing.NEOX, Activation.SILU),
    /** Qwen 3: RMS norm on each q and k head. */
    QWEN3("qwen3", Rope.Pairing.NEOX, Activation.SILU),
    /** Phi-3: fused qkv and fused gate+up. */
    PHI3("phi3", Rope.Pairing.NEOX, Activation.SILU),
    /** Gemma 2: embeddings scaled by sqrt(dim), GeGLU, post-norms, soft-capping, sliding window on even layers. */
    GEMMA2("gemma2", Rope.Pairing.NEOX, Activation.GELU),
    /** Gemma 3: like Gemma 2 without soft-capping, q/k norms, five local layers per global one. */
    GEMMA3("gemma3", Rope.Pairing.NEOX, Activation.GELU),
    /**
     * BERT encoders (sentence-transformers such as all-MiniLM-L6-v2): learned absolute positions, LayerNorm with
     * bias, bidirectional attention, GELU FFN, post-norm; run by {@code Encoder}, not the decoder. No RoPE.
     */
    BERT("bert", Rope.Pairing.NORMAL, Activation.GELU);

    private final String ggufName;
    private final Rope.Pairing ropePairing;
    private final Activation activation;

    Architecture(String ggufName, Rope.Pairing ropePairing, Activation activation) {
        this.ggufName = ggufName;
        this.ropePairing = ropePairing;
        this.activation = activation;
    }

    /** The family named by {@code general.architecture}, or an exception listing the supported names. */
    public static Architecture of(String name) {
        for (Architecture a : values()) {
            if (a.ggufName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + name + "' (supported: "
                + Arrays.stream(values()).map(Architecture::ggufName).collect(Collectors.joining(", ")) + ")");
    }

    public String ggufName() {
        return ggufName;
    }

    public Rope.Pairing ropePairing() {
        return ropePairing;
    }

    public Activation activation() {
        return activation;
    }

    /** An encoder-only family: it embeds text and has no decoder to generate with. */
    public boolean isEncoder() {
        return this == BERT;
    }

    public boolean isGemma() {
        return this == GEMMA2 || this == GEMMA3;
    }

    /** Gemma multiplies the token embeddings by sqrt(dim) (llm_build_gemma*). */
    public float embeddingScale(int dim) {
        return isGemma() ? (float) Math.sqrt(dim) : 1.0f;
    }

    /**
     * The query scale. Gemma's 27B models scale by 1/sqrt(dim / heads) instead of 1/sqrt(headDim)
     * (query_pre_attn_scalar in their configs; llama.cpp keys it on the 27B layer counts, 46 and 62).
     */
    public float attentionScale(int dim, int heads, int headDim, int layers) {
        boolean gemma27b = (this == GEMMA2 && layers == 46) || (this == GEMMA3 && layers == 62);
        return (float) (1.0 / Math.sqrt(gemma27b ? (double) dim / heads : headDim));
    }

    /** Whether layer {@code layer} attends through a sliding window (llama.cpp's swa pattern per family). */
    public boolean slidingWindowLayer(int layer) {
        return switch (this) {
            case GEMMA2 -> layer % 2 == 0;
            case GEMMA3 -> layer % 6 < 5;
            default -> false;
        };
    }

    /** Gemma 2 soft-caps attention scores and final logits by default (llama.cpp: 50 and 30). */
    public boolean softCapsByDefault() {
        return this == GEMMA2;
    }

    /** Gemma 3's local layers use their own RoPE base, 10,000 unless the file says otherwise. */
    public boolean hasLocalRopeBase() {
        return this == GEMMA3;
    }

    @Override
    public String toString() {
        return ggufName.toLowerCase(Locale.ROOT);
    }
}
