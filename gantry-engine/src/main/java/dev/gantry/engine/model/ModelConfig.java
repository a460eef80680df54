package dev.gantry.engine.model;

import dev.gantry.engine.gguf.GgufArray;
import dev.gantry.engine.gguf.GgufException;
import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.gguf.GgufMetadata;
import dev.gantry.engine.model.arch.Architecture;
import java.util.Locale;

/**
 * The hyper-parameters of a model, read once from GGUF metadata ({@code <arch>.*} keys, as llama.cpp's
 * {@code llama_model::load_hparams} reads them).
 *
 * <p>For an encoder ({@link Architecture#isEncoder()}) {@code normEps} is the LayerNorm epsilon
 * ({@code attention.layer_norm_epsilon}) and the RoPE fields are unused.
 *
 * @param headDim      per-head size of queries and keys ({@code attention.key_length}, default dim / heads)
 * @param valueDim     per-head size of values ({@code attention.value_length}, default headDim)
 * @param ropeDims     how many dimensions of each head are rotated ({@code rope.dimension_count})
 * @param ropeScale    linear RoPE scaling factor (1 = none)
 * @param yarnOrigCtx  original context for YaRN scaling, 0 when YaRN is off
 * @param slidingWindow window of local attention layers, 0 when there are none
 * @param attnSoftCap  attention logit soft-cap, 0 when off
 * @param finalSoftCap final logit soft-cap, 0 when off
 */
public record ModelConfig(
        Architecture architecture,
        int dim,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int valueDim,
        int ffnDim,
        int vocabSize,
        int contextLength,
        float normEps,
        float ropeBase,
        float ropeBaseLocal,
        int ropeDims,
        float ropeScale,
        int yarnOrigCtx,
        int slidingWindow,
        float attnSoftCap,
        float finalSoftCap) {

    public ModelConfig {
        require(dim > 0, "embedding_length must be positive");
        require(layers > 0, "block_count must be positive");
        require(heads > 0 && kvHeads > 0, "head counts must be positive");
        require(heads % kvHeads == 0, "head_count (" + heads + ") must be a multiple of head_count_kv (" + kvHeads + ")");
        require(headDim > 0 && valueDim > 0, "head sizes must be positive");
        require(ropeDims > 0 && ropeDims <= headDim && ropeDims % 2 == 0, "rope.dimension_count must be even and at most the head size");
        require(ffnDim > 0, "feed_forward_length must be positive");
        require(vocabSize > 0, "vocabulary must not be empty");
        require(contextLength > 0, "context_length must be positive");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public int qDim() {
        return heads * headDim;
    }

    public int kvDim() {
        return kvHeads * headDim;
    }

    public int vDim() {
        return kvHeads * valueDim;
    }

    public float attentionScale() {
        return architecture.attentionScale(dim, heads, headDim, layers);
    }

    public boolean slidingWindowLayer(int layer) {
        return slidingWindow > 0 && architecture.slidingWindowLayer(layer);
    }

    /** Reads the configuration of an opened GGUF file; every problem names the file and the key. */
    public static ModelConfig from(GgufFile file) {
        GgufMetadata m = file.metadata();
        String archName = m.string("general.architecture");
        Architecture arch;
        try {
            arch = Architecture.of(archName);
        } catch (IllegalArgumentException e) {
            throw new GgufException(file.path(), e.getMessage());
        }
        String p = archName + ".";
        int dim = m.int32(p + "embedding_length");
        int layers = m.int32(p + "block_count");
        int heads = perLayerConstant(file, p + "attention.head_count", -1);
        int kvHeads = perLayerConstant(file, p + "attention.head_count_kv", heads);
        int headDim = m.int32(p + "attention.key_length", heads > 0 ? dim / heads : 0);
        int valueDim = m.int32(p + "attention.value_length", headDim);
        int ffnDim = perLayerConstant(file, p + "feed_forward_length", -1);
        int vocab = vocabSize(file);
        float ropeBase = (float) m.number(p + "rope.freq_base", 10000.0);
        float ropeBaseLocal = arch.hasLocalRopeBase() ? (float) m.number(p + "rope.freq_base_swa", 10000.0) : ropeBase;
        int ropeDims = m.int32(p + "rope.dimension_count", headDim);
        String scaling = m.optionalString(p + "rope.scaling.type").orElse("none").toLowerCase(Locale.ROOT);
        float factor = (float) m.number(p + "rope.scaling.factor", 0.0);
        if (factor == 0) {
            factor = (float) m.number(p + "rope.scale_linear", 1.0);
        }
        float ropeScale = switch (scaling) {
            case "none" -> m.has(p + "rope.scale_linear") ? factor : 1.0f;
            case "linear", "yarn" -> factor > 0 ? factor : 1.0f;
            default -> throw new GgufException(file.path(), "unsupported rope.scaling.type '" + scaling + "'");
        };
        int yarnOrigCtx = scaling.equals("yarn") ? m.int32(p + "rope.scaling.original_context_length", m.int32(p + "context_length")) : 0;
        float attnCap = (float) m.number(p + "attn_logit_softcapping", arch.softCapsByDefault() ? 50.0 : 0.0);
        float finalCap = (float) m.number(p + "final_logit_softcapping", arch.softCapsByDefault() ? 30.0 : 0.0);
        if (!arch.softCapsByDefault()) {
            attnCap = 0;
            finalCap = 0;
        }
        try {
            return new ModelConfig(arch, dim, layers, heads, kvHeads, headDim, valueDim, ffnDim, vocab,
                    m.int32(p + "context_length"), (float) m.number(p + (arch.isEncoder()
                            ? "attention.layer_norm_epsilon" : "attention.layer_norm_rms_epsilon")),
                    ropeBase, ropeBaseLocal, ropeDims, ropeScale, yarnOrigCtx,
                    m.int32(p + "attention.sliding_window", 0), attnCap, finalCap);
        } catch (IllegalArgumentException e) {
            throw new GgufException(file.path(), "invalid model metadata: " + e.getMessage());
        }
    }

    /** Keys that may be a scalar or a per-layer array; Gantry needs every layer to agree. */
    private static int perLayerConstant(GgufFile file, String key, int fallback) {
        GgufMetadata m = file.metadata();
        if (!m.has(key) && fallback >= 0) {
            return fallback;
        }
        if (m.get(key) instanceof GgufArray) {
            int[] values = m.ints(key);
            for (int v : values) {
                if (v != values[0]) {
                    throw new GgufException(file.path(), "per-layer '" + key + "' values that differ are not supported");
                }
            }
            if (values.length == 0) {
                throw new GgufException(file.path(), "metadata key '" + key + "' is an empty array");
            }
            return values[0];
        }
        return m.int32(key);
    }

    private static int vocabSize(GgufFile file) {
        if (file.hasTensor("token_embd.weight")) {
            long[] shape = file.tensorInfos().get("token_embd.weight").shape();
            if (shape.length >= 2) {
                return Math.toIntExact(shape[1]);
            }
        }
        return file.metadata().strings("tokenizer.ggml.tokens").length;
    }
}
