package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The 12-byte packing of eight 6-bit scales and eight 6-bit mins shared by Q4_K and Q5_K (ggml-quants.c
 * {@code get_scale_min_k4}, {@code K_SCALE_SIZE}):
 * <pre>
 *   j &lt; 4:  scale = s[j] &amp; 63                         min = s[j + 4] &amp; 63
 *   j &gt;= 4: scale = (s[j + 4] &amp; 0xF) | (s[j - 4] &gt;&gt; 6) &lt;&lt; 4   min = (s[j + 4] &gt;&gt; 4) | (s[j] &gt;&gt; 6) &lt;&lt; 4
 * </pre>
 * i.e. bytes 0-3 hold scales 0-3, bytes 4-7 mins 0-3, bytes 8-11 the low nibbles of scale and min 4-7, and the top
 * two bits of bytes 0-7 the high bits of scales and mins 4-7.
 */
final class ScaleMinK4 {

    private ScaleMinK4() {
    }

    /** Scale {@code j} (0..7) of the 12 bytes at {@code scales}. */
    static int scale(MemorySegment data, long scales, int j) {
        if (j < 4) {
            return Simd.u8(data, scales + j) & 63;
        }
        return (Simd.u8(data, scales + j + 4) & 0xF) | ((Simd.u8(data, scales + j - 4) >> 6) << 4);
    }

    /** Min {@code j} (0..7) of the 12 bytes at {@code scales}. */
    static int min(MemorySegment data, long scales, int j) {
        if (j < 4) {
            return Simd.u8(data, scales + j + 4) & 63;
        }
        return (Simd.u8(data, scales + j + 4) >> 4) | ((Simd.u8(data, scales + j) >> 6) << 4);
    }

    /**
     * All eight scales (or, with {@code mins}, all eight mins) of the 12 bytes at {@code scales}, scale j in byte j
     * of the result: decoded at once and branch-free, as the kernels' sub-block loops need them (a branch on j
     * inside those loops sends C2 into repeated deoptimization).
     */
    static long unpack(MemorySegment data, long scales, boolean mins) {
        return unpack(data.get(Simd.LE_INT, scales), data.get(Simd.LE_INT, scales + 4), data.get(Simd.LE_INT, scales + 8),
                mins);
    }

    /** {@link #unpack(MemorySegment, long, boolean)} of the 12 bytes as three little-endian ints. */
    private static long unpack(int a, int b, int c, boolean mins) {
        int low;
        int high;
        if (mins) {
            low = b & 0x3F3F_3F3F;
            high = ((c >>> 4) & 0x0F0F_0F0F) | (((b >>> 6) & 0x0303_0303) << 4);
        } else {
            low = a & 0x3F3F_3F3F;
            high = (c & 0x0F0F_0F0F) | (((a >>> 6) & 0x0303_0303) << 4);
        }
        return (low & 0xFFFF_FFFFL) | ((long) high << 32);
    }

    /**
     * The eight sub-block factors of a Q4_K or Q5_K super-block whose header ({@code d}, {@code dmin}, then the 12
     * packed bytes) starts at {@code header}: {@code d * scale_j} into {@code scales[at + j]} and {@code dmin * min_j}
     * into {@code mins[at + j]}, the products those formats' dot kernels multiply by (panel layouts). The header is
     * read as two longs: each memory access inlines a chain of checks, and kernels that call this are near C2's
     * inlining budget.
     */
    static void factors(MemorySegment data, long header, float[] scales, float[] mins, int at) {
        long h0 = data.get(Simd.LE_LONG, header);
        long h1 = data.get(Simd.LE_LONG, header + 8);
        float d = Float.float16ToFloat((short) h0);
        float dmin = Float.float16ToFloat((short) (h0 >>> 16));
        int a = (int) (h0 >>> 32);
        int b = (int) h1;
        int c = (int) (h1 >>> 32);
        long sc = unpack(a, b, c, false);
        long mn = unpack(a, b, c, true);
        for (int j = 0; j < 8; j++) {
            scales[at + j] = d * (int) ((sc >>> (8 * j)) & 0xFF);
            mins[at + j] = dmin * (int) ((mn >>> (8 * j)) & 0xFF);
        }
    }

    /** Packs eight 6-bit scales and mins into 12 bytes at {@code scales}, as ggml's K quantizers do. */
    static void pack(int[] ls, int[] lm, MemorySegment data, long scales) {
        byte[] s = new byte[12];
        for (int j = 0; j < 8; j++) {
            if (j < 4) {
                s[j] = (byte) ls[j];
                s[j + 4] = (byte) lm[j];
            } else {
                s[j + 4] = (byte) ((ls[j] & 0xF) | ((lm[j] & 0xF) << 4));
                s[j - 4] |= (byte) ((ls[j] >> 4) << 6);
                s[j] |= (byte) ((lm[j] >> 4) << 6);
            }
        }
        MemorySegment.copy(s, 0, data, ValueLayout.JAVA_BYTE, scales, 12);
    }
}
