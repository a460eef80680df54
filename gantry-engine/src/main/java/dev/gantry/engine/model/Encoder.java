package dev.gantry.engine.model;

import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.kernel.Activation;
import dev.gantry.engine.kernel.ComputePool;
import dev.gantry.engine.kernel.LayerNorm;
import dev.gantry.engine.kernel.Matmul;
import dev.gantry.engine.kernel.Softmax;
import java.lang.foreign.Arena;
import java.util.Arrays;

/**
 * A BERT encoder (Devlin et al., 2019) as llama.cpp's {@code llm_build_bert} computes it: token + absolute position
 * + token-type-0 embeddings and a LayerNorm, then post-norm blocks of bidirectional multi-head attention (with
 * biases) and a GELU feed-forward. A batch of sequences shares every matrix product, so each weight matrix is read
 * once per pass; attention stays within each sequence.
 *
 * <p>Numerics follow llama.cpp's CPU path: activations meet each weight on its {@code vec_dot_type} grid
 * ({@link EncoderMatrix}, {@link Matmul}), attention runs in F32 (llama.cpp gives embedding models no KV cache),
 * GELU goes through half precision. Each call allocates its own activations, so concurrent calls are safe.
 */
public final class Encoder implements HiddenStateModel {

    private final ModelConfig c;
    private final EncoderWeights w;
    private final ComputePool pool;
    private final boolean causal;
    private final float[] ones;

    /**
     * The encoder of an opened GGUF file whose {@code config} is an encoder architecture. Attention is causal only
     * if {@code <arch>.attention.causal} says so (BERT files say false). F16/BF16 matrices are widened into
     * {@code arena} ({@link EncoderMatrix}), which must outlive the encoder.
     */
    public static Encoder open(GgufFile file, ModelConfig config, ComputePool pool, Arena arena) {
        boolean causal = file.metadata().bool(config.architecture().ggufName() + ".attention.causal", false);
        return new Encoder(config, EncoderWeights.load(file, config, arena), pool, causal);
    }

    Encoder(ModelConfig config, EncoderWeights weights, ComputePool pool, boolean causal) {
        if (!config.architecture().isEncoder()) {
            throw new IllegalArgumentException(config.architecture() + " is not an encoder architecture");
        }
        this.c = config;
        this.w = weights;
        this.pool = pool;
        this.causal = causal;
        this.ones = new float[config.ffnDim()];
        Arrays.fill(ones, 1.0f);
    }

    public ModelConfig config() {
        return c;
    }

    @Override
    public int dim() {
        return c.dim();
    }

    @Override
    public int maxSequenceLength() {
        return c.contextLength();
    }

    @Override
    public float[] hiddenStates(int[][] sequences) {
        int[] starts = starts(sequences);
        int t = starts[sequences.length];
        float[] x = embed(sequences, starts, t);
        Scratch s = new Scratch(c, t);
        for (EncoderLayerWeights lw : w.layers()) {
            attentionBlock(lw, x, sequences, starts, t, s);
            feedForwardBlock(lw, x, t, s);
        }
        return x;
    }

    /** Row offsets of each sequence in the batch, and the total as the last element; checks every sequence. */
    private int[] starts(int[][] sequences) {
        if (sequences.length == 0) {
            throw new IllegalArgumentException("no sequences to encode");
        }
        int[] starts = new int[sequences.length + 1];
        for (int s = 0; s < sequences.length; s++) {
            int n = sequences[s].length;
            if (n == 0 || n > c.contextLength()) {
                throw new IllegalArgumentException("sequence " + s + " has " + n + " tokens; it needs 1.."
                        + c.contextLength() + " (the model's context)");
            }
            starts[s + 1] = Math.addExact(starts[s], n);
        }
        return starts;
    }

    /** {@code LayerNorm((token + type 0) + position)}, in llama.cpp's order of additions. */
    private float[] embed(int[][] sequences, int[] starts, int t) {
        int dim = c.dim();
        float[] x = new float[t * dim];
        float[] type0 = new float[dim];
        if (w.tokenTypes() != null) {
            Matmul.row(w.tokenTypes(), 0, type0, 0);
        }
        float[] position = new float[dim];
        for (int s = 0; s < sequences.length; s++) {
            for (int i = 0; i < sequences[s].length; i++) {
                int token = sequences[s][i];
                if (token < 0 || token >= c.vocabSize()) {
                    throw new IllegalArgumentException("sequence " + s + ", position " + i + ": token id " + token
                            + " is outside the vocabulary of " + c.vocabSize());
                }
                int row = (starts[s] + i) * dim;
                Matmul.row(w.tokenEmbedding(), token, x, row);
                Matmul.row(w.positionEmbedding(), i, position, 0);
                for (int j = 0; j < dim; j++) {
                    x[row + j] = position[j] + (x[row + j] + type0[j]);
                }
                LayerNorm.apply(x, row, w.embedNorm(), w.embedNormBias(), x, row, dim, c.normEps());
            }
        }
        return x;
    }

    private void attentionBlock(EncoderLayerWeights lw, float[] x, int[][] sequences, int[] starts, int t, Scratch s) {
        lw.wq().apply(pool, x, t, s.q);
        lw.wk().apply(pool, x, t, s.k);
        lw.wv().apply(pool, x, t, s.v);
        addBias(s.q, lw.bq(), t);
        addBias(s.k, lw.bk(), t);
        addBias(s.v, lw.bv(), t);
        attend(sequences, starts, s);
        lw.wo().apply(pool, s.att, t, s.out);
        addBias(s.out, lw.bo(), t);
        residualNorm(x, s.out, lw.attnNorm(), lw.attnNormBias(), t);
    }

    /**
     * Softmax(q·kᵀ / sqrt(headDim)) · v per sequence and head, all in F32. Each head's keys are transposed first, so
     * a query's scores accumulate one dimension at a time over all keys: loops over contiguous floats that the JIT
     * vectorises, where a dot product per key (a reduction) would stay scalar.
     */
    private void attend(int[][] sequences, int[] starts, Scratch s) {
        int heads = c.heads();
        int hd = c.headDim();
        int vd = c.valueDim();
        int qDim = c.qDim();
        int kvDim = c.kvDim();
        int vDim = c.vDim();
        int group = heads / c.kvHeads();
        float scale = c.attentionScale();
        int maxLen = 0;
        long work = 0;
        for (int[] seq : sequences) {
            maxLen = Math.max(maxLen, seq.length);
            work += (long) heads * seq.length * seq.length * (hd + vd);
        }
        int longest = maxLen;
        pool.run(sequences.length * heads, work, (start, end) -> {
            float[] scores = new float[longest];
            float[] keys = new float[hd * longest]; // (headDim, n): this head's keys, transposed
            for (int job = start; job < end; job++) {
                int seq = job / heads;
                int h = job % heads;
                int first = starts[seq];
                int n = sequences[seq].length;
                int kOff = (h / group) * hd;
                int vOff = (h / group) * vd;
                for (int j = 0; j < n; j++) {
                    for (int d = 0; d < hd; d++) {
                        keys[d * n + j] = s.k[(first + j) * kvDim + kOff + d];
                    }
                }
                for (int i = 0; i < n; i++) {
                    int qRow = (first + i) * qDim + h * hd;
                    int visible = causal ? i + 1 : n;
                    Arrays.fill(scores, 0, visible, 0.0f);
                    for (int d = 0; d < hd; d++) {
                        float qd = s.q[qRow + d];
                        int base = d * n;
                        for (int j = 0; j < visible; j++) {
                            scores[j] += qd * keys[base + j];
                        }
                    }
                    for (int j = 0; j < visible; j++) {
                        scores[j] *= scale;
                    }
                    Softmax.apply(scores, 0, visible);
                    int outRow = (first + i) * heads * vd + h * vd;
                    Arrays.fill(s.att, outRow, outRow + vd, 0.0f);
                    for (int j = 0; j < visible; j++) {
                        float p = scores[j];
                        int vRow = (first + j) * vDim + vOff;
                        for (int d = 0; d < vd; d++) {
                            s.att[outRow + d] += p * s.v[vRow + d];
                        }
                    }
                }
            }
        });
    }

    private void feedForwardBlock(EncoderLayerWeights lw, float[] x, int t, Scratch s) {
        int ff = c.ffnDim();
        lw.wUp().apply(pool, x, t, s.up);
        addBias(s.up, lw.bUp(), t);
        for (int i = 0; i < t; i++) {
            // GELU alone is the gated form with a gate of ones: act(up) * 1 is exactly act(up).
            Activation.GELU.gated(s.up, i * ff, ones, 0, s.hidden, i * ff, ff);
        }
        lw.wDown().apply(pool, s.hidden, t, s.out);
        addBias(s.out, lw.bDown(), t);
        residualNorm(x, s.out, lw.outNorm(), lw.outNormBias(), t);
    }

    /** {@code x = LayerNorm(out + x)}: BERT's post-norm residual. */
    private void residualNorm(float[] x, float[] out, float[] norm, float[] bias, int t) {
        int dim = c.dim();
        for (int i = 0; i < t; i++) {
            int row = i * dim;
            for (int j = 0; j < dim; j++) {
                x[row + j] = out[row + j] + x[row + j];
            }
            LayerNorm.apply(x, row, norm, bias, x, row, dim, c.normEps());
        }
    }

    private static void addBias(float[] y, float[] bias, int t) {
        int n = bias.length;
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < n; j++) {
                y[i * n + j] += bias[j];
            }
        }
    }

    /** Activations of one pass, sized for its batch. */
    private static final class Scratch {
        final float[] q;
        final float[] k;
        final float[] v;
        final float[] att;
        final float[] out;
        final float[] up;
        final float[] hidden;

        Scratch(ModelConfig c, int t) {
            q = new float[t * c.qDim()];
            k = new float[t * c.kvDim()];
            v = new float[t * c.vDim()];
            att = new float[t * c.heads() * c.valueDim()];
            out = new float[t * c.dim()];
            up = new float[t * c.ffnDim()];
            hidden = new float[t * c.ffnDim()];
        }
    }
}
