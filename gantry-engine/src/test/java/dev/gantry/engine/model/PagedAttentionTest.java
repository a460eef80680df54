package dev.gantry.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.kvcache.KvBlockStorage;
import dev.gantry.engine.kvcache.KvCacheConfig;
import dev.gantry.engine.kvcache.KvShape;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PagedAttentionTest {

    /**
     * A prompt chunk attended as one run gives every token bit for bit what attending it alone gives: with and
     * without a sliding window and soft-capping, over scattered blocks, starting mid-block after cached positions.
     */
    @ParameterizedTest
    @CsvSource({
            "64, 4, 0, 21, 0, 0",
            "64, 4, 0, 37, 5, 0",
            "8, 2, 0, 40, 13, 0",
            "48, 3, 8, 30, 10, 0",
            "64, 1, 0, 19, 0, 30",
            "40, 2, 12, 50, 3, 50"})
    void aRunOfTokensGetsExactlyWhatEachTokenGetsAlone(int headDim, int group, int window, int count, int firstPos,
                                                      float softCap) {
        Random rnd = new Random(headDim * 31L + count);
        int kvHeads = 2;
        int valueDim = headDim;
        int positions = firstPos + count;
        int[] table = scatteredBlocks(positions, 5, 3);
        KvBlockStorage kv = randomCache(rnd, kvHeads, headDim, valueDim, positions, table);
        int heads = kvHeads * group;
        int qStride = heads * headDim + 3;
        float[] q = new float[count * qStride];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) rnd.nextGaussian();
        }
        float scale = (float) (1 / Math.sqrt(headDim));
        int outStride = heads * valueDim;
        float[] together = new float[count * outStride];
        float[] alone = new float[count * outStride];
        PagedAttention attention = new PagedAttention(kv, 0, headDim, valueDim, group);
        for (int h = 0; h < kvHeads; h++) {
            attention.run(q, 0, qStride, count, firstPos, window, h * group, h, table, scale, softCap, together, 0,
                    outStride);
            for (int i = 0; i < count; i++) {
                int pos = firstPos + i;
                int from = window > 0 ? Math.max(0, pos - window + 1) : 0;
                attention.group(q, i * qStride, h * group, h, table, from, pos, scale, softCap, alone, i * outStride);
            }
        }
        for (int i = 0; i < together.length; i++) {
            assertThat(together[i]).as("output %d (token %d)", i, i / outStride).isEqualTo(alone[i]);
        }
    }

    /**
     * Short heads attended all at once, each cached row converted once, give every head bit for bit what attending
     * its KV head alone gives: over scattered blocks, part of a vector of positions, with a window and soft-capping.
     */
    @ParameterizedTest
    @CsvSource({
            "8, 2, 4, 0, 37, 0",
            "8, 1, 3, 0, 16, 0",
            "4, 4, 2, 0, 70, 30",
            "8, 2, 4, 12, 50, 0"})
    void shortHeadsAttendedTogetherGetExactlyWhatEachKvHeadGetsAlone(int headDim, int group, int kvHeads, int window,
                                                                    int positions, float softCap) {
        Random rnd = new Random(headDim * 7L + positions);
        int valueDim = headDim;
        int[] table = scatteredBlocks(positions, 7, 2);
        KvBlockStorage kv = randomCache(rnd, kvHeads, headDim, valueDim, positions, table);
        assertThat(PagedAttention.attendsAllHeads(kv, headDim, valueDim)).isTrue();
        int heads = kvHeads * group;
        float[] q = new float[heads * headDim + 5];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) rnd.nextGaussian();
        }
        float scale = (float) (1 / Math.sqrt(headDim));
        int to = positions - 1;
        int from = window > 0 ? Math.max(0, to - window + 1) : 0;
        float[] together = new float[heads * valueDim + 3];
        float[] alone = new float[heads * valueDim + 3];
        PagedAttention attention = new PagedAttention(kv, 0, headDim, valueDim, group);
        attention.allHeads(q, 5, table, from, to, scale, softCap, together, 3);
        for (int h = 0; h < kvHeads; h++) {
            attention.group(q, 5, h * group, h, table, from, to, scale, softCap, alone, 3);
        }
        for (int i = 0; i < together.length; i++) {
            assertThat(together[i]).as("output %d (head %d)", i, (i - 3) / valueDim).isEqualTo(alone[i]);
        }
    }

    /** Blocks {@code (a * b + c) % 16} of a 16-block cache for the {@code positions} of one sequence. */
    private static int[] scatteredBlocks(int positions, int a, int c) {
        int[] table = new int[(positions + 15) / 16];
        for (int b = 0; b < table.length; b++) {
            table[b] = (a * b + c) % 16;
        }
        return table;
    }

    /** A one-layer F16 cache of 16 blocks of 16, with random keys and values at the table's first positions. */
    private static KvBlockStorage randomCache(Random rnd, int kvHeads, int headDim, int valueDim, int positions,
                                              int[] table) {
        KvCacheConfig config = KvCacheConfig.of(8L << 20).withBlockSize(16);
        KvBlockStorage kv = new KvBlockStorage(config, new KvShape(1, kvHeads * headDim, kvHeads * valueDim), 16);
        float[] k = new float[kvHeads * headDim];
        float[] v = new float[kvHeads * valueDim];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < k.length; i++) {
                k[i] = (float) rnd.nextGaussian();
                v[i] = (float) rnd.nextGaussian();
            }
            kv.writeSlot(kv.slot(table[p / 16], p % 16), 0, k, 0, v, 0);
        }
        return kv;
    }
}
