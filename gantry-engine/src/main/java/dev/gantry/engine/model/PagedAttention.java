package dev.gantry.engine.model;

import dev.gantry.engine.kernel.Axpy;
import dev.gantry.engine.kernel.Softmax;
import dev.gantry.engine.kvcache.KvBlockStorage;
import dev.gantry.engine.kvcache.KvCacheType;
import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.WeightFormat;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Scaled dot-product attention over the KV blocks of a sequence (PagedAttention, Kwon et al., 2023) for one KV
 * head and the query heads that share it (grouped-query attention, Ainslie et al., 2023), with optional logit
 * soft-capping (Gemma 2). Each cached key and value is read once for the whole group.
 *
 * <p>Numerics follow llama.cpp's default F16 cache: queries are rounded to half precision before {@code q·k}, and
 * the attention weights before {@code p·V}, as ggml converts them to the cache's type for those products.
 *
 * <p>One instance per thread: it holds that thread's scratch.
 */
final class PagedAttention {

    private static final WeightFormat HALF_DOT = WeightFormat.of(GgmlType.F16);
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final KvBlockStorage kv;
    private final MemorySegment keys;
    private final MemorySegment values;
    private final boolean f16;
    private final int headDim;
    private final int valueDim;
    private final int group;
    private final int blockSize;
    private final float[] query;   // (group, headDim)
    private final float[] row;     // one decoded key or value slice
    private final float[] acc;     // (group, valueDim)
    private float[] scores = new float[0]; // (group, positions)
    private int[] slots = new int[0];      // (positions)

    PagedAttention(KvBlockStorage kv, int layer, int headDim, int valueDim, int group) {
        this.kv = kv;
        this.keys = kv.keys(layer);
        this.values = kv.values(layer);
        this.f16 = kv.type() == KvCacheType.F16;
        this.headDim = headDim;
        this.valueDim = valueDim;
        this.group = group;
        this.blockSize = kv.blockSize();
        this.query = new float[group * headDim];
        this.row = new float[Math.max(headDim, valueDim)];
        this.acc = new float[group * valueDim];
    }

    /**
     * Attends query heads {@code [firstHead, firstHead + group)} at {@code q[qOff + h * headDim..]} to positions
     * {@code [from, to]} of the sequence with block table {@code table}, through KV head {@code kvHead}, writing each
     * head's {@code valueDim} outputs at {@code out[outOff + h * valueDim..]}.
     */
    void group(float[] q, int qOff, int firstHead, int kvHead, int[] table, int from, int to, float scale,
               float softCap, float[] out, int outOff) {
        for (int g = 0; g < group; g++) {
            int src = qOff + (firstHead + g) * headDim;
            for (int i = 0; i < headDim; i++) {
                query[g * headDim + i] = Float.float16ToFloat(Float.floatToFloat16(q[src + i]));
            }
        }
        int n = to - from + 1;
        if (scores.length < group * n) {
            scores = new float[Math.max(group * n, scores.length * 2)];
        }
        if (slots.length < n) {
            slots = new int[Math.max(n, slots.length * 2)];
        }
        fillSlots(table, from, n);
        long kElement = kv.elementOffset(kvHead * headDim);
        for (int p = from; p <= to; p++) {
            long offset = kv.keyOffset(slots[p - from]) + kElement;
            if (!f16) {
                decode(keys, offset, headDim);
            }
            for (int g = 0; g < group; g++) {
                // F16 keys: the half-precision dot kernel reads the cache row in place (ggml_vec_dot_f16's job)
                float dot = f16 ? HALF_DOT.dot(keys, offset, query, g * headDim, headDim)
                        : rowDot(query, g * headDim, headDim);
                float s = dot * scale;
                if (softCap > 0) {
                    s = softCap * (float) Math.tanh(s / softCap);
                }
                scores[g * n + p - from] = s;
            }
        }
        java.util.Arrays.fill(acc, 0, group * valueDim, 0);
        for (int g = 0; g < group; g++) {
            Softmax.apply(scores, g * n, n);
        }
        long vElement = kv.elementOffset(kvHead * valueDim);
        for (int p = from; p <= to; p++) {
            long offset = kv.valueOffset(slots[p - from]) + vElement;
            decode(values, offset, valueDim);
            for (int g = 0; g < group; g++) {
                float w = Float.float16ToFloat(Float.floatToFloat16(scores[g * n + p - from]));
                Axpy.apply(w, row, 0, acc, g * valueDim, valueDim);
            }
        }
        for (int g = 0; g < group; g++) {
            System.arraycopy(acc, g * valueDim, out, outOff + (firstHead + g) * valueDim, valueDim);
        }
    }

    /**
     * The cache slots of positions {@code [from, from + n)} into {@link #slots}, once for the keys and the values:
     * they advance one by one within a block, so there is no division per position.
     */
    private void fillSlots(int[] table, int from, int n) {
        int block = from / blockSize;
        int within = from % blockSize;
        int base = table[block] * blockSize;
        for (int i = 0; i < n; i++) {
            slots[i] = base + within;
            if (++within == blockSize && i + 1 < n) {
                within = 0;
                base = table[++block] * blockSize;
            }
        }
    }

    /** {@code query[qOff..qOff+n) . row[0..n)}, for a cache row decoded into {@link #row}. */
    private float rowDot(float[] q, int qOff, int n) {
        float dot = 0;
        for (int i = 0; i < n; i++) {
            dot += q[qOff + i] * row[i];
        }
        return dot;
    }

    /** One head's slice of a cached row into {@link #row}: F16 read directly, other cache types via their format. */
    private void decode(MemorySegment segment, long offset, int count) {
        if (f16) {
            for (int i = 0; i < count; i++) {
                row[i] = Float.float16ToFloat(segment.get(HALF, offset + 2L * i));
            }
        } else {
            kv.format().dequantize(segment, offset, row, 0, count);
        }
    }
}
