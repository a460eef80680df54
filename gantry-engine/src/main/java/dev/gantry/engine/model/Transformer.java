package dev.gantry.engine.model;

import dev.gantry.engine.kernel.Activation;
import dev.gantry.engine.kernel.Attention;
import dev.gantry.engine.kernel.ComputePool;
import dev.gantry.engine.kernel.Matmul;
import dev.gantry.engine.kernel.RmsNorm;
import dev.gantry.engine.kernel.Rope;
import dev.gantry.engine.kvcache.SequenceKvCache;
import java.util.List;

/**
 * One decoder-only transformer for every supported family (pre-norm blocks as in Llama: Touvron et al., 2023),
 * configured by {@link ModelConfig} and shaped by which weights are present. {@link #forward} runs a batch of
 * consecutive tokens of one sequence layer by layer, so each weight matrix is streamed once per batch.
 */
public final class Transformer {

    private final ModelConfig c;
    private final ModelWeights w;
    private final ComputePool pool;
    private final Rope globalRope;
    private final Rope localRope;
    private final Activation activation;

    public Transformer(ModelConfig config, ModelWeights weights, ComputePool pool) {
        this.c = config;
        this.w = weights;
        this.pool = pool;
        Rope.Pairing pairing = config.architecture().ropePairing();
        float freqScale = 1.0f / config.ropeScale();
        this.globalRope = new Rope(pairing, config.ropeDims(), config.ropeBase(), freqScale, config.yarnOrigCtx(), 1.0f, weights.ropeFactors());
        this.localRope = config.architecture().hasLocalRopeBase()
                ? Rope.plain(pairing, config.ropeDims(), config.ropeBaseLocal())
                : globalRope;
        this.activation = config.architecture().activation();
    }

    public ModelConfig config() {
        return c;
    }

    public SequenceKvCache newCache(int capacity) {
        return new SequenceKvCache(c.layers(), Math.min(capacity, c.contextLength()), c.kvDim(), c.vDim());
    }

    /**
     * Runs {@code tokens} at positions {@code startPos...} through the model, appending their keys and values to
     * {@code cache}, and returns the logits of the last {@code outputs} positions, one row of vocabSize each
     * (positions that are not sampled skip the output projection).
     */
    public float[] forward(int[] tokens, int startPos, SequenceKvCache cache, int outputs) {
        int t = tokens.length;
        if (t == 0 || outputs < 0 || outputs > t) {
            throw new IllegalArgumentException("need 1.." + t + " outputs of a non-empty batch, got " + outputs);
        }
        if (startPos + t > cache.capacity()) {
            throw new IllegalArgumentException("positions up to " + (startPos + t) + " exceed the KV cache of " + cache.capacity());
        }
        int dim = c.dim();
        float[] x = new float[t * dim];
        float embedScale = c.architecture().embeddingScale(dim);
        for (int i = 0; i < t; i++) {
            if (tokens[i] < 0 || tokens[i] >= c.vocabSize()) {
                throw new IllegalArgumentException("token id " + tokens[i] + " is outside the vocabulary of " + c.vocabSize());
            }
            Matmul.row(w.tokenEmbedding(), tokens[i], x, i * dim);
            if (embedScale != 1.0f) {
                for (int j = 0; j < dim; j++) {
                    x[i * dim + j] *= embedScale;
                }
            }
        }
        Scratch s = new Scratch(c, t, startPos);
        List<LayerWeights> layers = w.layers();
        for (int l = 0; l < layers.size(); l++) {
            attentionBlock(l, layers.get(l), x, t, startPos, cache, s);
            feedForwardBlock(layers.get(l), x, t, s);
        }
        return logits(x, t, outputs);
    }

    private void attentionBlock(int layer, LayerWeights lw, float[] x, int t, int startPos, SequenceKvCache cache, Scratch s) {
        int dim = c.dim();
        int qDim = c.qDim();
        int kvDim = c.kvDim();
        int vDim = c.vDim();
        for (int i = 0; i < t; i++) {
            RmsNorm.apply(x, i * dim, lw.attnNorm(), s.xb, i * dim, dim, c.normEps());
        }
        if (lw.fusedQkv()) {
            Matmul.apply(pool, lw.wqkv(), 0, qDim, s.xb, t, s.q, 0, qDim);
            Matmul.apply(pool, lw.wqkv(), qDim, kvDim, s.xb, t, s.k, 0, kvDim);
            Matmul.apply(pool, lw.wqkv(), qDim + kvDim, vDim, s.xb, t, s.v, 0, vDim);
        } else {
            Matmul.apply(pool, lw.wq(), s.xb, t, s.q);
            Matmul.apply(pool, lw.wk(), s.xb, t, s.k);
            Matmul.apply(pool, lw.wv(), s.xb, t, s.v);
        }
        addBias(s.q, lw.bq(), t, qDim);
        addBias(s.k, lw.bk(), t, kvDim);
        addBias(s.v, lw.bv(), t, vDim);
        int hd = c.headDim();
        Rope rope = c.slidingWindowLayer(layer) ? localRope : globalRope;
        for (int i = 0; i < t; i++) {
            if (lw.qNorm() != null) {
                for (int h = 0; h < c.heads(); h++) {
                    RmsNorm.apply(s.q, i * qDim + h * hd, lw.qNorm(), s.q, i * qDim + h * hd, hd, c.normEps());
                }
                for (int h = 0; h < c.kvHeads(); h++) {
                    RmsNorm.apply(s.k, i * kvDim + h * hd, lw.kNorm(), s.k, i * kvDim + h * hd, hd, c.normEps());
                }
            }
            rope.angles(startPos + i, s.cos, s.sin);
            rope.rotate(s.q, i * qDim, c.heads(), hd, s.cos, s.sin);
            rope.rotate(s.k, i * kvDim, c.kvHeads(), hd, s.cos, s.sin);
            cache.put(layer, startPos + i, s.k, i * kvDim, s.v, i * vDim);
        }
        attend(layer, t, startPos, cache, s);
        Matmul.apply(pool, lw.wo(), s.att, t, s.out);
        residual(x, s.out, lw.postAttnNorm(), t, s);
    }

    private void attend(int layer, int t, int startPos, SequenceKvCache cache, Scratch s) {
        int heads = c.heads();
        int group = heads / c.kvHeads();
        int hd = c.headDim();
        int vd = c.valueDim();
        int window = c.slidingWindowLayer(layer) ? c.slidingWindow() : 0;
        float scale = c.attentionScale();
        float cap = c.attnSoftCap();
        float[] keys = cache.keys(layer);
        float[] values = cache.values(layer);
        pool.run(t * heads, (long) t * heads * (startPos + t) * (hd + vd), (start, end) -> {
            float[] scores = new float[startPos + t];
            for (int job = start; job < end; job++) {
                int i = job / heads;
                int h = job % heads;
                int pos = startPos + i;
                int from = window > 0 ? Math.max(0, pos - window + 1) : 0;
                int kvHead = h / group;
                Attention.head(s.qHalf(i * c.qDim() + h * hd, hd), 0, hd, keys, c.kvDim(), kvHead * hd,
                        values, c.vDim(), kvHead * vd, vd, from, pos, scale, cap, scores, s.att, i * heads * vd + h * vd);
            }
        });
    }

    private void feedForwardBlock(LayerWeights lw, float[] x, int t, Scratch s) {
        int dim = c.dim();
        int ff = c.ffnDim();
        for (int i = 0; i < t; i++) {
            RmsNorm.apply(x, i * dim, lw.ffnNorm(), s.xb, i * dim, dim, c.normEps());
        }
        if (lw.fusedGateUp()) {
            Matmul.apply(pool, lw.wUp(), 0, ff, s.xb, t, s.gate, 0, ff);
            Matmul.apply(pool, lw.wUp(), ff, ff, s.xb, t, s.up, 0, ff);
        } else {
            Matmul.apply(pool, lw.wGate(), s.xb, t, s.gate);
            Matmul.apply(pool, lw.wUp(), s.xb, t, s.up);
        }
        activation.gated(s.gate, 0, s.up, 0, s.hidden, 0, t * ff);
        Matmul.apply(pool, lw.wDown(), s.hidden, t, s.out);
        residual(x, s.out, lw.postFfnNorm(), t, s);
    }

    /** {@code x += norm(out)} (the post-norm only where the family has one). */
    private void residual(float[] x, float[] out, float[] postNorm, int t, Scratch s) {
        int dim = c.dim();
        for (int i = 0; i < t; i++) {
            if (postNorm != null) {
                RmsNorm.apply(out, i * dim, postNorm, out, i * dim, dim, c.normEps());
            }
            for (int j = 0; j < dim; j++) {
                x[i * dim + j] += out[i * dim + j];
            }
        }
    }

    private float[] logits(float[] x, int t, int outputs) {
        int dim = c.dim();
        int vocab = c.vocabSize();
        float[] normed = new float[outputs * dim];
        for (int i = 0; i < outputs; i++) {
            RmsNorm.apply(x, (t - outputs + i) * dim, w.outputNorm(), normed, i * dim, dim, c.normEps());
        }
        float[] logits = new float[outputs * vocab];
        Matmul.apply(pool, w.output(), normed, outputs, logits);
        float cap = c.finalSoftCap();
        if (cap > 0) {
            for (int i = 0; i < logits.length; i++) {
                logits[i] = cap * (float) Math.tanh(logits[i] / cap);
            }
        }
        return logits;
    }

    private static void addBias(float[] y, float[] bias, int t, int n) {
        if (bias == null) {
            return;
        }
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < n; j++) {
                y[i * n + j] += bias[j];
            }
        }
    }

    /** Activations of one forward pass, sized for its batch. */
    private static final class Scratch {
        final float[] xb;
        final float[] q;
        final float[] k;
        final float[] v;
        final float[] att;
        final float[] out;
        final float[] gate;
        final float[] up;
        final float[] hidden;
        final float[] cos;
        final float[] sin;

        Scratch(ModelConfig c, int t, int startPos) {
            xb = new float[t * c.dim()];
            q = new float[t * c.qDim()];
            k = new float[t * c.kvDim()];
            v = new float[t * c.vDim()];
            att = new float[t * c.heads() * c.valueDim()];
            out = new float[t * c.dim()];
            gate = new float[t * c.ffnDim()];
            up = new float[t * c.ffnDim()];
            hidden = new float[t * c.ffnDim()];
            cos = new float[c.ropeDims() / 2];
            sin = new float[c.ropeDims() / 2];
        }

        /** The query head as the F16 cache path of llama.cpp sees it: rounded to half precision. */
        float[] qHalf(int off, int n) {
            float[] h = new float[n];
            for (int i = 0; i < n; i++) {
                h[i] = Float.float16ToFloat(Float.floatToFloat16(q[off + i]));
            }
            return h;
        }
    }
}
