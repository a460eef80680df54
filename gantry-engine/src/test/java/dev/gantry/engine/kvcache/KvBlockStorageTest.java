package dev.gantry.engine.kvcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class KvBlockStorageTest {

    private static final KvShape SHAPE = new KvShape(3, 128, 64);

    private static KvBlockStorage storage(KvCacheType type, int blocks) {
        return new KvBlockStorage(new KvCacheConfig(4, 1, type), SHAPE, blocks);
    }

    private static float[] gaussian(Random r, int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian() * scale;
        }
        return x;
    }

    private static float half(float x) {
        return Float.float16ToFloat(Float.floatToFloat16(x));
    }

    @Test
    void f16KeysAndValuesReadBackAsTheirHalfPrecisionRounding() {
        Random r = new Random(1);
        try (KvBlockStorage s = storage(KvCacheType.F16, 5)) {
            float[][][] k = new float[3][20][];
            float[][][] v = new float[3][20][];
            for (int layer = 0; layer < 3; layer++) {
                for (int slot = 0; slot < 20; slot++) {
                    k[layer][slot] = gaussian(r, 128 + 7, 3);
                    v[layer][slot] = gaussian(r, 64 + 5, 3);
                    s.write(slot / 4, slot % 4, layer, k[layer][slot], 7, v[layer][slot], 5);
                }
            }
            float[] out = new float[130];
            for (int layer = 0; layer < 3; layer++) {
                for (int slot = 0; slot < 20; slot++) {
                    s.keyAt(layer, slot / 4, slot % 4, out, 2);
                    for (int i = 0; i < 128; i++) {
                        assertThat(out[2 + i]).isEqualTo(half(k[layer][slot][7 + i]));
                    }
                    s.valueAt(layer, slot / 4, slot % 4, out, 0);
                    for (int i = 0; i < 64; i++) {
                        assertThat(out[i]).isEqualTo(half(v[layer][slot][5 + i]));
                    }
                }
            }
        }
    }

    @Test
    void q8_0KeysAndValuesReadBackWithinHalfAQuantizationStep() {
        Random r = new Random(2);
        try (KvBlockStorage s = storage(KvCacheType.Q8_0, 2)) {
            float[] k = gaussian(r, 128, 5);
            float[] v = gaussian(r, 64, 5);
            s.write(1, 3, 2, k, 0, v, 0);
            float[] kk = new float[128];
            float[] vv = new float[64];
            s.keyAt(2, 1, 3, kk, 0);
            s.valueAt(2, 1, 3, vv, 0);
            assertWithinQ8Error(k, kk);
            assertWithinQ8Error(v, vv);
        }
    }

    private static void assertWithinQ8Error(float[] x, float[] y) {
        for (int b = 0; b < x.length / 32; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[32 * b + j]));
            }
            for (int j = 0; j < 32; j++) {
                // half a step, plus what rounding the scale to binary16 moves the largest quant
                assertThat(Math.abs(x[32 * b + j] - y[32 * b + j])).isLessThanOrEqualTo(amax / 127 * 0.5f + amax * 0x1p-11f);
            }
        }
    }

    @Test
    void dotKeysScoresAQueryHeadAgainstABlockAsTheDecodedKeysDo() {
        Random r = new Random(3);
        for (KvCacheType type : KvCacheType.values()) {
            try (KvBlockStorage s = storage(type, 3)) {
                for (int t = 0; t < 4; t++) {
                    s.write(2, t, 1, gaussian(r, 128, 1), 0, gaussian(r, 64, 1), 0);
                }
                float[] q = gaussian(r, 64, 1);
                float[] scores = new float[1 + 3];
                s.dotKeys(1, 2, 3, 64, q, 0, 64, scores, 1); // head 1 of 2, first 3 tokens
                float[] key = new float[128];
                for (int t = 0; t < 3; t++) {
                    s.keyAt(1, 2, t, key, 0);
                    double expected = 0;
                    for (int i = 0; i < 64; i++) {
                        expected += q[i] * key[64 + i];
                    }
                    assertThat((double) scores[1 + t]).as("%s token %d", type, t).isCloseTo(expected, Offset.offset(1e-4));
                }
            }
        }
    }

    @Test
    void aValueSliceIsThatPartOfTheDecodedRow() {
        Random r = new Random(4);
        try (KvBlockStorage s = storage(KvCacheType.Q8_0, 1)) {
            s.write(0, 1, 0, gaussian(r, 128, 1), 0, gaussian(r, 64, 1), 0);
            float[] row = new float[64];
            float[] slice = new float[32];
            s.valueAt(0, 0, 1, row, 0);
            s.valueAt(0, 0, 1, 32, 32, slice, 0);
            for (int i = 0; i < 32; i++) {
                assertThat(slice[i]).isEqualTo(row[32 + i]);
            }
        }
    }

    @Test
    void rowsLieSlotMajorPerLayerAtTheDocumentedOffsets() {
        try (KvBlockStorage s = storage(KvCacheType.F16, 3)) {
            assertThat(s.keyRowBytes()).isEqualTo(256);
            assertThat(s.valueRowBytes()).isEqualTo(128);
            assertThat(s.slot(2, 3)).isEqualTo(11);
            assertThat(s.keyOffset(11)).isEqualTo(11 * 256);
            assertThat(s.keys(0).byteSize()).isEqualTo(12 * 256);
            float[] k = new float[128];
            k[5] = 1.5f;
            s.writeSlot(11, 2, k, 0, new float[64], 0);
            short bits = s.keys(2).get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
                    s.keyOffset(11) + s.elementOffset(5));
            assertThat(Float.float16ToFloat(bits)).isEqualTo(1.5f);
        }
    }

    @Test
    void copyBlockCopiesEveryLayerAndLeavesTheSourceAsItWas() {
        Random r = new Random(5);
        try (KvBlockStorage s = storage(KvCacheType.F16, 2)) {
            for (int layer = 0; layer < 3; layer++) {
                for (int t = 0; t < 4; t++) {
                    s.write(0, t, layer, gaussian(r, 128, 1), 0, gaussian(r, 64, 1), 0);
                }
            }
            s.copyBlock(0, 1);
            float[] a = new float[128];
            float[] b = new float[128];
            for (int layer = 0; layer < 3; layer++) {
                for (int t = 0; t < 4; t++) {
                    s.keyAt(layer, 0, t, a, 0);
                    s.keyAt(layer, 1, t, b, 0);
                    assertThat(b).containsExactly(a);
                    s.valueAt(layer, 0, t, a, 0);
                    s.valueAt(layer, 1, t, b, 0);
                    assertThat(b).containsExactly(a);
                }
            }
        }
    }

    @Test
    void outOfRangeSlotsAndUseAfterCloseFailClearly() {
        KvBlockStorage s = storage(KvCacheType.F16, 2);
        assertThatThrownBy(() -> s.slot(2, 0)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("block 2");
        assertThatThrownBy(() -> s.slot(0, 4)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("offset 4");
        assertThatThrownBy(() -> s.writeSlot(8, 0, new float[128], 0, new float[64], 0)).isInstanceOf(IndexOutOfBoundsException.class);
        s.close();
        assertThatThrownBy(() -> s.keyAt(0, 0, 0, new float[128], 0)).isInstanceOf(IllegalStateException.class);
    }
}
