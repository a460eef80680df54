package dev.gantry.engine.model;

import dev.gantry.engine.kernel.Activation;
import dev.gantry.engine.kernel.ComputePool;
import dev.gantry.engine.kernel.Matmul;
import dev.gantry.engine.kernel.RmsNorm;
import dev.gantry.engine.kernel.Rope;
import dev.gantry.engine.kvcache.KvBlockStorage;
import dev.gantry.engine.kvcache.KvCacheGroups;
import dev.gantry.engine.kvcache.KvShape;
import dev.gantry.engine.kvcache.SequenceKvCache;
import java.util.List;

/**
 * One decoder-only transformer for every supported family (pre-norm blocks as in Llama: Touvron et al., 2023),
 * configured by {@link ModelConfig} and shaped by which weights are present. {@link #forward} runs a ragged
 * batch of tokens from many sequences layer by layer, so each weight matrix is streamed once per step, and
 * attends over each sequence's KV blocks (PagedAttention, Kwon et al., 2023).
 */
public final class Transformer {

    private final ModelConfig c;
    private final ModelWeights w;
    private final ComputePool pool;
    private final Rope globalRope;
    private final Rope localRope;
    private final Activation activation;
    /** Each compute thread's attention scratch, grown to the longest context it has seen. */
    private final ThreadLocal<PagedAttention> attentions;
    /** Each calling thread's activations, kept for the next forward pass of as many tokens or fewer. */
    private final ThreadLocal<Scratch> scratch;

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
        this.attentions = ThreadLocal.withInitial(() -> new PagedAttention(config.headDim(), config.valueDim(),
                config.heads() / config.kvHeads()));
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(config, 1));
    }

    public ModelConfig config() {
        return c;
    }

    /** A KV cache for one sequence of up to {@code capacity} tokens (capped at the context length). */
    public SequenceKvCache newCache(int capacity) {
        return new SequenceKvCache(kvShape(), Math.min(capacity, c.contextLength()));
    }

    /** The cache's view of the model: its widths, and its layers grouped by attention window. */
    public KvShape kvShape() {
        int[] windows = new int[c.layers()];
        for (int l = 0; l < windows.length; l++) {
            windows[l] = c.slidingWindowLayer(l) ? c.slidingWindow() : 0;
        }
        return new KvShape(KvCacheGroups.of(windows), c.kvDim(), c.vDim());
    }

    /**
     * Runs {@code tokens} at positions {@code startPos...} of a sequence alone, appending their keys and values to
     * {@code cache}, and returns the logits of the last {@code outputs} positions, one row of vocabSize each
     * (positions that are not sampled skip the output projection).
     */
    public float[] forward(int[] tokens, int startPos, SequenceKvCache cache, int outputs) {
        if (tokens.length == 0 || outputs < 0 || outputs > tokens.length) {
            throw new IllegalArgumentException("need 0.." + tokens.length + " outputs of a non-empty batch, got " + outputs);
        }
        if (startPos < 0 || startPos + tokens.length > cache.capacity()) {
            throw new IllegalArgumentException("positions up to " + (startPos + tokens.length) + " exceed the KV cache of " + cache.capacity());
        }
        return forward(ForwardBatch.single(tokens, startPos, cache.blockTable(), outputs), cache.storage());
    }

    /**
     * One forward pass over a ragged batch: writes every token's keys and values into its slot of {@code kv},
     * attends within each token's own sequence, and returns the logits of {@code batch.outputs()}, one row of
     * vocabSize each.
     */
    public float[] forward(ForwardBatch batch, KvBlockStorage kv) {
        return logits(layers(batch, kv), batch.outputs());
    }

    /**
     * As {@link #forward(ForwardBatch, KvBlockStorage)}, but returns the final hidden states of
     * {@code batch.outputs()} after the output norm, one row of dim each: what llama.cpp exposes as a decoder's
     * embeddings ({@code t_embd}), before the output projection.
     */
    public float[] hiddenStates(ForwardBatch batch, KvBlockStorage kv) {
        return outputNorm(layers(batch, kv), batch.outputs());
    }

    /** Embeds the batch and runs every block over it; returns the residual stream, one row of dim per token. */
    private float[] layers(ForwardBatch batch, KvBlockStorage kv) {
        int t = batch.size();
        int dim = c.dim();
        int[][] slots = slots(batch, kv);
        float[] x = new float[t * dim];
        float embedScale = c.architecture().embeddingScale(dim);
        for (int i = 0; i < t; i++) {
            int token = batch.tokens()[i];
            if (token < 0 || token >= c.vocabSize()) {
                throw new IllegalArgumentException("token id " + token + " is outside the vocabulary of " + c.vocabSize());
            }
            Matmul.row(w.tokenEmbedding(), token, x, i * dim);
            if (embedScale != 1.0f) {
                for (int j = 0; j < dim; j++) {
                    x[i * dim + j] *= embedScale;
                }
            }
        }
        Scratch s = scratch.get();
        if (s.tokens < t) {
            s = new Scratch(c, t);
            scratch.set(s);
        }
        List<LayerWeights> layers = w.layers();
        for (int l = 0; l < layers.size(); l++) {
            attentionBlock(l, layers.get(l), x, batch, slots, kv, s);
            feedForwardBlock(layers.get(l), x, t, s);
        }
        return x;
    }

    /** The KV slot of every token of the batch in each group, {@code [group][token]}, checked against its tables. */
    private int[][] slots(ForwardBatch batch, KvBlockStorage kv) {
        int bs = kv.blockSize();
        int groups = kv.groups().groupCount();
        int[][] slots = new int[groups][batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            int pos = batch.positions()[i];
            int[][] tables = batch.blockTables()[batch.sequenceOf()[i]];
            if (tables.length != groups) {
                throw new IllegalArgumentException("a sequence has " + tables.length + " block tables; the cache has "
                        + groups + " groups");
            }
            for (int g = 0; g < groups; g++) {
                int[] table = tables[g];
                if (pos < 0 || pos >= c.contextLength() || pos / bs >= table.length) {
                    throw new IllegalArgumentException("position " + pos + " has no KV block (" + table.length
                            + " blocks of " + bs + ", context " + c.contextLength() + ")");
                }
                slots[g][i] = kv.slot(table[pos / bs], pos % bs);
            }
        }
        return slots;
    }

    private void attentionBlock(int layer, LayerWeights lw, float[] x, ForwardBatch batch, int[][] slots, KvBlockStorage kv, Scratch s) {
        int t = batch.size();
        int dim = c.dim();
        int qDim = c.qDim();
        int kvDim = c.kvDim();
        int vDim = c.vDim();
        for (int i = 0; i < t; i++) {
            RmsNorm.apply(x, i * dim, lw.attnNorm(), s.xb, i * dim, dim, c.normEps());
        }
        if (lw.fusedQkv()) {
            Matmul.apply(pool, s.xb, t, new Matmul.Slice(lw.wqkv(), 0, qDim, s.q, 0, qDim),
                    new Matmul.Slice(lw.wqkv(), qDim, kvDim, s.k, 0, kvDim),
                    new Matmul.Slice(lw.wqkv(), qDim + kvDim, vDim, s.v, 0, vDim));
        } else {
            Matmul.apply(pool, s.xb, t, Matmul.Slice.of(lw.wq(), s.q), Matmul.Slice.of(lw.wk(), s.k),
                    Matmul.Slice.of(lw.wv(), s.v));
        }
        addBias(s.q, lw.bq(), t, qDim);
        addBias(s.k, lw.bk(), t, kvDim);
        addBias(s.v, lw.bv(), t, vDim);
        int hd = c.headDim();
        Rope rope = c.slidingWindowLayer(layer) ? localRope : globalRope;
        int[] layerSlots = slots[kv.groups().group(layer)];
        for (int i = 0; i < t; i++) {
            if (lw.qNorm() != null) {
                for (int h = 0; h < c.heads(); h++) {
                    RmsNorm.apply(s.q, i * qDim + h * hd, lw.qNorm(), s.q, i * qDim + h * hd, hd, c.normEps());
                }
                for (int h = 0; h < c.kvHeads(); h++) {
                    RmsNorm.apply(s.k, i * kvDim + h * hd, lw.kNorm(), s.k, i * kvDim + h * hd, hd, c.normEps());
                }
            }
            rope.angles(batch.positions()[i], s.cos, s.sin);
            rope.rotate(s.q, i * qDim, c.heads(), hd, s.cos, s.sin);
            rope.rotate(s.k, i * kvDim, c.kvHeads(), hd, s.cos, s.sin);
            kv.writeSlot(layerSlots[i], layer, s.k, i * kvDim, s.v, i * vDim);
        }
        attend(layer, batch, kv, s);
        Matmul.apply(pool, lw.wo(), s.att, t, s.out);
        residual(x, s.out, lw.postAttnNorm(), t, s);
    }

    /**
     * What one multiply-add of attention costs in those of a matrix product, for the pool's choice to share it out
     * (its work is counted in a matmul's): keys and values converted from F16 as they are read, short rows, the
     * softmax. Measured on the 1.1B Q4_0 model decoding at positions 0..250: 0.36 ns per attention multiply-add on
     * one thread, 0.08 ns per weight in the matrices.
     */
    private static final int ATTENTION_COST = 4;

    private void attend(int layer, ForwardBatch batch, KvBlockStorage kv, Scratch s) {
        int t = batch.size();
        int heads = c.heads();
        int group = heads / c.kvHeads();
        int hd = c.headDim();
        int vd = c.valueDim();
        int window = c.slidingWindowLayer(layer) ? c.slidingWindow() : 0;
        float scale = c.attentionScale();
        float cap = c.attnSoftCap();
        long work = 0;
        for (int i = 0; i < t; i++) {
            work += (long) heads * (batch.positions()[i] + 1) * (hd + vd);
        }
        work *= ATTENTION_COST;
        // runs of consecutive positions of one sequence (a prompt chunk) attend together, sharing each key and value
        int[] runStart = runs(batch);
        int runCount = runStart.length - 1;
        int kvHeads = c.kvHeads();
        int kvGroup = kv.groups().group(layer);
        // short heads: a job is a whole run, whose tokens attend all KV heads at once (each cached row converts once)
        boolean allHeads = PagedAttention.attendsAllHeads(kv, hd, vd);
        int jobsPerRun = allHeads ? 1 : kvHeads;
        pool.run(runCount * jobsPerRun, work, (start, end) -> {
            PagedAttention attention = attentions.get().on(kv, layer);
            for (int job = start; job < end; job++) {
                int r = job / jobsPerRun;
                int first = runStart[r];
                int count = runStart[r + 1] - first;
                int pos = batch.positions()[first];
                int[] table = batch.blockTables()[batch.sequenceOf()[first]][kvGroup];
                int firstKv = allHeads ? 0 : job % jobsPerRun;
                int endKv = allHeads ? kvHeads : firstKv + 1;
                if (count > 1 && attention.runs(pos + count)) {
                    for (int g = firstKv; g < endKv; g++) {
                        attention.run(s.q, first * c.qDim(), c.qDim(), count, pos, window, g * group, g, table, scale,
                                cap, s.att, first * heads * vd, heads * vd);
                    }
                    continue;
                }
                for (int i = first; i < first + count; i++) {
                    int p = batch.positions()[i];
                    int from = window > 0 ? Math.max(0, p - window + 1) : 0;
                    if (allHeads) {
                        attention.allHeads(s.q, i * c.qDim(), table, from, p, scale, cap, s.att, i * heads * vd);
                    } else {
                        attention.group(s.q, i * c.qDim(), firstKv * group, firstKv, table, from, p, scale, cap,
                                s.att, i * heads * vd);
                    }
                }
            }
        });
    }

    /**
     * Where the batch's runs start (and, last, its size): a run is consecutive tokens of one sequence at
     * consecutive positions.
     */
    private static int[] runs(ForwardBatch batch) {
        int t = batch.size();
        int[] starts = new int[t + 1];
        int runs = 0;
        for (int i = 0; i < t; i++) {
            boolean continues = i > 0 && batch.sequenceOf()[i] == batch.sequenceOf()[i - 1]
                    && batch.positions()[i] == batch.positions()[i - 1] + 1;
            if (!continues) {
                starts[runs++] = i;
            }
        }
        starts[runs] = t;
        return java.util.Arrays.copyOf(starts, runs + 1);
    }

    private void feedForwardBlock(LayerWeights lw, float[] x, int t, Scratch s) {
        int dim = c.dim();
        int ff = c.ffnDim();
        for (int i = 0; i < t; i++) {
            RmsNorm.apply(x, i * dim, lw.ffnNorm(), s.xb, i * dim, dim, c.normEps());
        }
        if (lw.fusedGateUp()) {
            Matmul.apply(pool, s.xb, t, new Matmul.Slice(lw.wUp(), 0, ff, s.gate, 0, ff),
                    new Matmul.Slice(lw.wUp(), ff, ff, s.up, 0, ff));
        } else {
            Matmul.apply(pool, s.xb, t, Matmul.Slice.of(lw.wGate(), s.gate), Matmul.Slice.of(lw.wUp(), s.up));
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

    private float[] outputNorm(float[] x, int[] outputs) {
        int dim = c.dim();
        float[] normed = new float[outputs.length * dim];
        for (int i = 0; i < outputs.length; i++) {
            RmsNorm.apply(x, outputs[i] * dim, w.outputNorm(), normed, i * dim, dim, c.normEps());
        }
        return normed;
    }

    private float[] logits(float[] x, int[] outputs) {
        int vocab = c.vocabSize();
        float[] normed = outputNorm(x, outputs);
        float[] logits = new float[outputs.length * vocab];
        if (outputs.length == 0) {
            return logits;
        }
        Matmul.apply(pool, w.output(), normed, outputs.length, logits);
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

    /** Activations of a forward pass of up to {@link #tokens} tokens. */
    private static final class Scratch {
        final int tokens;
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

        Scratch(ModelConfig c, int t) {
            tokens = t;
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
    }
}
