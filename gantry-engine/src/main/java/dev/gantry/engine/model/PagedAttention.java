package dev.gantry.engine.model;

import dev.gantry.engine.kernel.Softmax;
import dev.gantry.engine.kvcache.KvBlockStorage;

/**
 * Scaled dot-product attention of one query head over the KV blocks of its sequence (PagedAttention, Kwon et al.,
 * 2023), with grouped-query sharing of KV heads (Ainslie et al., 2023) and optional logit soft-capping (Gemma 2).
 *
 * <p>Numerics follow llama.cpp's default F16 cache: the query is rounded to half precision before {@code q·k},
 * and the attention weights before {@code p·V}, as ggml converts them to the cache's type for those products.
 *
 * <p>One instance per thread: it holds that thread's scratch.
 */
final class PagedAttention {

    private final KvBlockStorage kv;
    private final int layer;
    private final int headDim;
    private final int valueDim;
    private final int blockSize;
    private final float[] query;
    private final float[] value;
    private float[] scores = new float[256];

    PagedAttention(KvBlockStorage kv, int layer, int headDim, int valueDim) {
        this.kv = kv;
        this.layer = layer;
        this.headDim = headDim;
        this.valueDim = valueDim;
        this.blockSize = kv.blockSize();
        this.query = new float[headDim];
        this.value = new float[valueDim];
    }

    /**
     * Attends the query head at {@code q[qOff..]} to positions {@code [from, to]} of the sequence with block table
     * {@code table}, reading key elements from {@code kOff} and value elements from {@code vOff} of each row
     * (its KV head), and writes {@code valueDim} floats at {@code out[outOff..]}.
     */
    void head(float[] q, int qOff, int[] table, int kOff, int vOff, int from, int to, float scale, float softCap,
              float[] out, int outOff) {
        for (int i = 0; i < headDim; i++) {
            query[i] = Float.float16ToFloat(Float.floatToFloat16(q[qOff + i]));
        }
        int first = from - from % blockSize; // score whole blocks; positions before `from` are dropped below
        int n = to - first + 1;
        if (scores.length < n) {
            scores = new float[Math.max(n, scores.length * 2)];
        }
        for (int b = first / blockSize; b <= to / blockSize; b++) {
            int count = Math.min(blockSize, to - b * blockSize + 1);
            kv.dotKeys(layer, table[b], count, kOff, query, 0, headDim, scores, b * blockSize - first);
        }
        int skip = from - first;
        for (int p = skip; p < n; p++) {
            float s = scores[p] * scale;
            if (softCap > 0) {
                s = softCap * (float) Math.tanh(s / softCap);
            }
            scores[p] = s;
        }
        Softmax.apply(scores, skip, n - skip);
        for (int i = 0; i < valueDim; i++) {
            out[outOff + i] = 0;
        }
        for (int p = skip; p < n; p++) {
            float w = Float.float16ToFloat(Float.floatToFloat16(scores[p]));
            int pos = first + p;
            kv.valueAt(layer, table[pos / blockSize], pos % blockSize, vOff, valueDim, value, 0);
            for (int i = 0; i < valueDim; i++) {
                out[outOff + i] += w * value[i];
            }
        }
    }
}
