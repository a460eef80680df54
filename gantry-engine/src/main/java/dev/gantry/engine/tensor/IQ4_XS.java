package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

/**
 * Non-linear 4-bit quants in super-blocks of 256 with 6-bit sub-block scales (ggml {@code block_iq4_xs}, 136 bytes):
 * <pre>
 *   ggml_half d;            // offset 0: super-block scale
 *   uint16_t  scales_h;     // offset 2: high 2 bits of sub-block scale ib at bits 2ib, 2ib+1
 *   uint8_t   scales_l[4];  // offset 4: low 4 bits of scale ib in nibble ib % 2 of scales_l[ib / 2]
 *   uint8_t   qs[128];      // offset 8: sub-block ib (32 weights) in qs[16ib..16ib+16), nibbles as in IQ4_NL
 *   // weight 32ib + j = d * (ls_ib - 32) * kvalues_iq4nl[nibble]
 * </pre>
 */
public final class IQ4_XS implements WeightFormat {

    static final int BLOCK = 256;
    static final int BYTES = 136;

    @Override
    public GgmlType type() {
        return GgmlType.IQ4_XS;
    }

    /** The signed scale of sub-block {@code ib}: {@code ls - 32}, ls being 6 bits split over scales_l and scales_h. */
    static int scale(MemorySegment data, long block, int ib) {
        int scalesH = data.get(Simd.LE_SHORT, block + 2) & 0xFFFF;
        int ls = ((Simd.u8(data, block + 4 + ib / 2) >> (4 * (ib % 2))) & 0xF) | (((scalesH >> (2 * ib)) & 3) << 4);
        return ls - 32;
    }

    /** As ggml {@code dequantize_row_iq4_xs}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        int nb = GgmlType.IQ4_XS.blockCount(n);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            float d = Simd.f16(data, o);
            for (int ib = 0; ib < 8; ib++) {
                float dl = d * scale(data, o, ib);
                int y = dstOffset + b * BLOCK + 32 * ib;
                for (int j = 0; j < 16; j++) {
                    int q = Simd.u8(data, o + 8 + 16 * ib + j);
                    dst[y + j] = dl * IQ4_NL.KVALUES[q & 0xF];
                    dst[y + j + 16] = dl * IQ4_NL.KVALUES[q >> 4];
                }
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        int nb = GgmlType.IQ4_XS.blockCount(n);
        ByteVector table = ByteVector.fromArray(Simd.B16, IQ4_NL.KVALUES, 0);
        FloatVector acc = FloatVector.zero(Simd.F);
        for (int b = 0; b < nb; b++) {
            long o = offset + (long) b * BYTES;
            float d = Simd.f16(data, o);
            for (int ib = 0; ib < 8; ib++) {
                FloatVector sum = IQ4_NL.dot32(data, o + 8 + 16 * ib, table, x, xOffset + b * BLOCK + 32 * ib);
                acc = sum.fma(Simd.splat(d * scale(data, o, ib)), acc);
            }
        }
        return Simd.sum(acc);
    }
}
