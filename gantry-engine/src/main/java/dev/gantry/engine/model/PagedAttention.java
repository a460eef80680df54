package dev.gantry.engine.model;

import dev.gantry.engine.kernel.Axpy;
import dev.gantry.engine.kernel.Softmax;
import dev.gantry.engine.kvcache.KvBlockStorage;
import dev.gantry.engine.kvcache.KvCacheType;
import dev.gantry.engine.tensor.F16;
import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.WeightFormat;
import dev.gantry.engine.tensor.WeightPanel;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scaled dot-product attention over the KV blocks of a sequence (PagedAttention, Kwon et al., 2023) for one KV
 * head and the query heads that share it (grouped-query attention, Ainslie et al., 2023), with optional logit
 * soft-capping (Gemma 2). Each cached key and value is read once for the whole group.
 *
 * <p>Numerics follow llama.cpp's default F16 cache: queries are rounded to half precision before {@code q·k}, and
 * the attention weights before {@code p·V}, as ggml converts them to the cache's type for those products.
 *
 * <p>One instance per thread: it holds that thread's scratch, reused across layers and steps ({@link #on}).
 */
final class PagedAttention {

    private static final WeightFormat HALF_DOT = WeightFormat.of(GgmlType.F16);
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Tokens of a run whose scores are held at once: (16 x group) rows of the run's length, at most. */
    private static final int RUN_TILE = 16;
    /** The most floats a run's key panel or score tile may take: 16 MiB each. */
    private static final long RUN_FLOATS = 4L << 20;

    private KvBlockStorage kv;
    private MemorySegment keys;
    private MemorySegment values;
    private boolean f16;
    private int blockSize;
    private final int headDim;
    private final int valueDim;
    private final int group;
    private float[] query;         // (group, headDim), or (heads, headDim) for all heads at once
    private final float[] row;     // one decoded key or value slice
    private float[] acc;           // (group, valueDim), or (heads, valueDim)
    private float[] keyRows = new float[0]; // (lanes, row width): short heads' keys of a vector of positions
    private final float[] keyColumns; // (headDim, lanes): one head's, transposed
    private final int[] keyGather = new int[F.length()]; // lane j reads keyRows[j * keyGatherWidth]
    private int keyGatherWidth = -1;
    private final float[] laneScores = new float[F.length()];
    private float[] valueRows = new float[0]; // (positions, row width): short heads' values
    private float[] scores = new float[0]; // (group, positions), or (tokens, group, positions) for a run
    private int[] slots = new int[0];      // (positions)
    private long[] rowOffsets = new long[0]; // (positions): a run's key rows
    private float[] queries = new float[0];  // (tokens, group, headDim): a run's rounded queries
    private float[] runAcc = new float[0];   // (tokens, group, valueDim)
    private final WeightPanel keyPanel = new WeightPanel();

    /** Attention for heads of these widths, to be pointed at a layer's cache with {@link #on}. */
    PagedAttention(int headDim, int valueDim, int group) {
        this.headDim = headDim;
        this.valueDim = valueDim;
        this.group = group;
        this.query = new float[group * headDim];
        this.row = new float[Math.max(headDim, valueDim)];
        this.acc = new float[group * valueDim];
        this.keyColumns = headDim < F16.SEQUENTIAL_BELOW ? new float[headDim * F.length()] : new float[0];
    }

    PagedAttention(KvBlockStorage kv, int layer, int headDim, int valueDim, int group) {
        this(headDim, valueDim, group);
        on(kv, layer);
    }

    /** Points this attention (and its scratch, kept from call to call) at layer {@code layer} of {@code kv}. */
    PagedAttention on(KvBlockStorage kv, int layer) {
        this.kv = kv;
        this.keys = kv.keys(layer);
        this.values = kv.values(layer);
        this.f16 = kv.type() == KvCacheType.F16;
        this.blockSize = kv.blockSize();
        return this;
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
                query[g * headDim + i] = half(q[src + i]);
            }
        }
        int n = to - from + 1;
        ensureScores(group, n);
        fillSlots(table, from, n);
        long kElement = kv.elementOffset(kvHead * headDim);
        if (f16 && headDim < F16.SEQUENTIAL_BELOW) {
            shortHeadScores(n, kElement, headDim, 1, scale, softCap);
        } else {
            for (int p = from; p <= to; p++) {
                long offset = kv.keyOffset(slots[p - from]) + kElement;
                if (!f16) {
                    decode(keys, offset, headDim);
                }
                for (int g = 0; g < group; g++) {
                    // F16 keys: the half-precision dot kernel reads the cache row in place (ggml_vec_dot_f16's job)
                    float dot = f16 ? HALF_DOT.dot(keys, offset, query, g * headDim, headDim)
                            : rowDot(query, g * headDim, headDim);
                    scores[g * n + p - from] = logit(dot, scale, softCap);
                }
            }
        }
        java.util.Arrays.fill(acc, 0, group * valueDim, 0);
        for (int g = 0; g < group; g++) {
            Softmax.apply(scores, g * n, n);
        }
        long vElement = kv.elementOffset(kvHead * valueDim);
        if (f16 && valueDim < F16.SEQUENTIAL_BELOW) {
            shortHeadValues(n, vElement, valueDim, 1);
        } else {
            for (int p = from; p <= to; p++) {
                long offset = kv.valueOffset(slots[p - from]) + vElement;
                decode(values, offset, valueDim);
                for (int g = 0; g < group; g++) {
                    float w = half(scores[g * n + p - from]);
                    Axpy.apply(w, row, 0, acc, g * valueDim, valueDim);
                }
            }
        }
        for (int g = 0; g < group; g++) {
            System.arraycopy(acc, g * valueDim, out, outOff + (firstHead + g) * valueDim, valueDim);
        }
    }

    /**
     * Whether {@link #allHeads} serves this cache: an F16 cache and heads shorter than a vector step, whose whole key
     * and value rows are then cheaper to convert once than head by head.
     */
    static boolean attendsAllHeads(KvBlockStorage kv, int headDim, int valueDim) {
        return kv.type() == KvCacheType.F16 && headDim < F16.SEQUENTIAL_BELOW && valueDim < F16.SEQUENTIAL_BELOW;
    }

    /**
     * As {@link #group} for every KV head at once (query heads {@code [0, kvHeads * group)}, the KV heads' slices side
     * by side in each cached row), converting each position's key and value rows once: bit for bit what {@link #group}
     * gives each KV head. Only where {@link #attendsAllHeads}.
     */
    void allHeads(float[] q, int qOff, int[] table, int from, int to, float scale, float softCap, float[] out,
                  int outOff) {
        int kvHeads = kv.kvDim() / headDim;
        int heads = kvHeads * group;
        if (query.length < heads * headDim) {
            query = new float[heads * headDim];
            acc = new float[heads * valueDim];
        }
        for (int i = 0; i < heads * headDim; i++) {
            query[i] = half(q[qOff + i]);
        }
        int n = to - from + 1;
        ensureScores(heads, n);
        fillSlots(table, from, n);
        shortHeadScores(n, 0, kvHeads * headDim, kvHeads, scale, softCap);
        for (int h = 0; h < heads; h++) {
            Softmax.apply(scores, h * n, n);
        }
        java.util.Arrays.fill(acc, 0, heads * valueDim, 0);
        shortHeadValues(n, 0, kvHeads * valueDim, kvHeads);
        System.arraycopy(acc, 0, out, outOff, heads * valueDim);
    }

    /**
     * Attends a run of {@code count} consecutive tokens of one sequence, at positions {@code firstPos ..}, as
     * {@link #group} attends each (query heads {@code [firstHead, firstHead + group)} through KV head
     * {@code kvHead}; token i's query heads at {@code q[qOff + i * qStride + h * headDim..]}, its outputs at
     * {@code out[outOff + i * outStride + h * valueDim..]}). A prompt's tokens share their keys and values, so each
     * is read and converted once for the run, and the run's queries meet the keys as a matrix product
     * ({@link WeightPanel}, the F16 dot's exact chain): every token gets bit for bit what {@link #group} gives it.
     * Only for an F16 cache; {@code window} is the sliding window (0 for none).
     */
    void run(float[] q, int qOff, int qStride, int count, int firstPos, int window, int firstHead, int kvHead,
             int[] table, float scale, float softCap, float[] out, int outOff, int outStride) {
        int lastPos = firstPos + count - 1;
        int lo = window > 0 ? Math.max(0, firstPos - window + 1) : 0;
        int n = lastPos - lo + 1;
        ensureRun(n, count);
        fillSlots(table, lo, n);
        for (int i = 0; i < count; i++) {
            for (int g = 0; g < group; g++) {
                int src = qOff + i * qStride + (firstHead + g) * headDim;
                int dst = (i * group + g) * headDim;
                for (int j = 0; j < headDim; j++) {
                    queries[dst + j] = half(q[src + j]);
                }
            }
        }
        long kElement = kv.elementOffset(kvHead * headDim);
        for (int p = 0; p < n; p++) {
            rowOffsets[p] = kv.keyOffset(slots[p]) + kElement;
        }
        keyPanel.load(HALF_DOT, keys, rowOffsets, n, headDim);
        int tile = tileTokens(n);
        for (int t0 = 0; t0 < count; t0 += tile) {
            runTile(t0, Math.min(count, t0 + tile), firstPos, window, lo, n, firstHead, kvHead, scale, softCap,
                    out, outOff, outStride);
        }
    }

    /** Tokens {@code [t0, t1)} of a run: their scores against the run's key panel, softmax, and values. */
    private void runTile(int t0, int t1, int firstPos, int window, int lo, int n, int firstHead, int kvHead,
                         float scale, float softCap, float[] out, int outOff, int outStride) {
        int rowsQ = (t1 - t0) * group;
        keyPanel.multiply(queries, t0 * group * headDim, headDim, rowsQ, scores, 0, n);
        for (int i = t0; i < t1; i++) {
            int pos = firstPos + i;
            int from = window > 0 ? Math.max(0, pos - window + 1) : 0;
            for (int g = 0; g < group; g++) {
                int row = ((i - t0) * group + g) * n;
                for (int p = from; p <= pos; p++) {
                    scores[row + p - lo] = logit(scores[row + p - lo], scale, softCap);
                }
                Softmax.apply(scores, row + from - lo, pos - from + 1);
            }
        }
        java.util.Arrays.fill(runAcc, 0, rowsQ * valueDim, 0);
        long vElement = kv.elementOffset(kvHead * valueDim);
        int lastPos = firstPos + t1 - 1;
        int firstFrom = window > 0 ? Math.max(lo, firstPos + t0 - window + 1) : lo;
        for (int p = firstFrom; p <= lastPos; p++) {
            decode(values, kv.valueOffset(slots[p - lo]) + vElement, valueDim);
            // the tokens that see position p: those at or after it, within their window
            int first = Math.max(t0, p - firstPos);
            int last = window > 0 ? Math.min(t1 - 1, p + window - 1 - firstPos) : t1 - 1;
            for (int i = first; i <= last; i++) {
                for (int g = 0; g < group; g++) {
                    int r = (i - t0) * group + g;
                    float w = half(scores[r * n + p - lo]);
                    Axpy.apply(w, row, 0, runAcc, r * valueDim, valueDim);
                }
            }
        }
        for (int i = t0; i < t1; i++) {
            for (int g = 0; g < group; g++) {
                System.arraycopy(runAcc, ((i - t0) * group + g) * valueDim, out,
                        outOff + i * outStride + (firstHead + g) * valueDim, valueDim);
            }
        }
    }

    /**
     * The scores of {@link #slots}' {@code n} positions for heads shorter than a vector step, whose F16 dot is a plain
     * ordered sum ({@link F16#SEQUENTIAL_BELOW}): a vector's lanes hold as many positions, and each lane repeats that
     * sum exactly. {@code kvCount} KV heads, their query heads' scores one row of {@code n} after another: each
     * position's {@code rowWidth} halves from byte {@code rowStart} of its key row (those KV heads' slices, side by
     * side) convert once, into {@link #keyRows}, and a gather transposes each head's into {@link #keyColumns}.
     */
    private void shortHeadScores(int n, long rowStart, int rowWidth, int kvCount, float scale, float softCap) {
        int lanes = F.length();
        ensureKeyRows(rowWidth);
        for (int p0 = 0; p0 < n; p0 += lanes) {
            int m = Math.min(lanes, n - p0);
            for (int j = 0; j < m; j++) {
                F16.toFloats(keys, kv.keyOffset(slots[p0 + j]) + rowStart, keyRows, j * rowWidth, rowWidth);
            }
            for (int kh = 0; kh < kvCount; kh++) {
                for (int i = 0; i < headDim; i++) {
                    FloatVector.fromArray(F, keyRows, kh * headDim + i, keyGather, 0).intoArray(keyColumns, i * lanes);
                }
                for (int g = kh * group; g < (kh + 1) * group; g++) {
                    FloatVector dot = FloatVector.zero(F);
                    for (int i = 0; i < headDim; i++) {
                        dot = dot.add(FloatVector.fromArray(F, keyColumns, i * lanes).mul(query[g * headDim + i]));
                    }
                    dot = dot.mul(scale);
                    if (m == lanes && softCap <= 0) {
                        dot.intoArray(scores, g * n + p0);
                    } else {
                        dot.intoArray(laneScores, 0);
                        for (int j = 0; j < m; j++) {
                            scores[g * n + p0 + j] = softCap > 0 ? capped(laneScores[j], softCap) : laneScores[j];
                        }
                    }
                }
            }
        }
    }

    /** {@link #keyRows} for rows of {@code rowWidth}, and {@link #keyGather} reading lane j from row j. */
    private void ensureKeyRows(int rowWidth) {
        if (keyGatherWidth != rowWidth) {
            keyRows = new float[rowWidth * F.length()];
            for (int j = 0; j < keyGather.length; j++) {
                keyGather[j] = j * rowWidth;
            }
            keyGatherWidth = rowWidth;
        }
    }

    /**
     * The weighted sum of {@link #slots}' {@code n} value rows into {@link #acc}, as the general loop computes it,
     * for heads too short for a vector: each position's {@code rowWidth} halves from byte {@code rowStart} (the slices
     * of {@code kvCount} KV heads) convert once, a vector at a time, for all their query heads.
     */
    private void shortHeadValues(int n, long rowStart, int rowWidth, int kvCount) {
        if (valueRows.length < n * rowWidth) {
            valueRows = new float[Math.max(n * rowWidth, 2 * valueRows.length)];
        }
        for (int p = 0; p < n; p++) {
            F16.toFloats(values, kv.valueOffset(slots[p]) + rowStart, valueRows, p * rowWidth, rowWidth);
        }
        for (int h = 0; h < kvCount * group; h++) {
            int slice = (h / group) * valueDim;
            for (int p = 0; p < n; p++) {
                Axpy.apply(half(scores[h * n + p]), valueRows, p * rowWidth + slice, acc, h * valueDim, valueDim);
            }
        }
    }

    /** {@link #scores} for {@code heads} rows of {@code n} positions, and {@link #slots} for those positions. */
    private void ensureScores(int heads, int n) {
        if (scores.length < heads * n) {
            scores = new float[Math.max(heads * n, scores.length * 2)];
        }
        if (slots.length < n) {
            slots = new int[Math.max(n, slots.length * 2)];
        }
    }

    /** Tokens a score tile holds over {@code n} positions, within {@link #RUN_FLOATS}. */
    private int tileTokens(int n) {
        return (int) Math.max(1, Math.min(RUN_TILE, RUN_FLOATS / ((long) group * n)));
    }

    private void ensureRun(int n, int count) {
        int rowsQ = Math.min(count, tileTokens(n)) * group;
        if (slots.length < n) {
            slots = new int[Math.max(n, slots.length * 2)];
        }
        if (rowOffsets.length < n) {
            rowOffsets = new long[Math.max(n, rowOffsets.length * 2)];
        }
        if (scores.length < rowsQ * n) {
            scores = new float[Math.max(rowsQ * n, scores.length * 2)];
        }
        if (queries.length < count * group * headDim) {
            queries = new float[count * group * headDim];
        }
        if (runAcc.length < rowsQ * valueDim) {
            runAcc = new float[rowsQ * valueDim];
        }
    }

    /**
     * Whether {@link #run} serves a run over {@code positions} cached positions: an F16 cache, and a run whose key
     * panel and score tile stay within {@link #RUN_FLOATS} (longer contexts attend token by token, in constant
     * memory).
     */
    boolean runs(int positions) {
        return f16 && (long) positions * headDim <= RUN_FLOATS && (long) positions * group <= RUN_FLOATS;
    }

    /** {@code x} rounded to half precision, as ggml converts a product's input to the F16 cache's type. */
    private static float half(float x) {
        return Float.float16ToFloat(Float.floatToFloat16(x));
    }

    /** A scaled score, soft-capped when {@code softCap > 0} (Gemma 2's {@code attn_logit_softcapping}). */
    private static float logit(float dot, float scale, float softCap) {
        float s = dot * scale;
        return softCap > 0 ? capped(s, softCap) : s;
    }

    private static float capped(float s, float softCap) {
        return softCap * (float) Math.tanh(s / softCap);
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

    /** One head's slice of a cached row into {@link #row}: F16 by its vector conversion, other types via their format. */
    private void decode(MemorySegment segment, long offset, int count) {
        if (f16) {
            F16.toFloats(segment, offset, row, 0, count);
        } else {
            kv.format().dequantize(segment, offset, row, 0, count);
        }
    }
}
