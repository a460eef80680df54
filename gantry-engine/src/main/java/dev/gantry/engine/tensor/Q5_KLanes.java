package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link Q5_K} weights repacked at load time, each 176-byte super-block in place: the header ({@code d},
 * {@code dmin}, the packed scales and mins) where it was, the fifth bits of its quants as lanes of shorts
 * (bytes 16..47), their low four bits as {@link NibbleLanes} units (bytes 48..175). The same numbers and the same
 * operations in the same order as {@link Q5_K}'s kernels, so every result is bit for bit theirs.
 *
 * <p>Fifth bits: a vector of {@code LANES} shorts serves a group of sixteen passes (two units); bit {@code P} of lane
 * {@code i} is the fifth bit of the group's weight {@code P * LANES + i}. Widened to ints {@code z}, then
 * {@code y = z | z << 15}: bit {@code 2k} of {@code y} is pass {@code 2k}'s and bit {@code 16 + 2k} pass
 * {@code 2k + 1}'s. Rotated left by {@code 4 - 2k}, they lie at bits 4 and 20, just above the nibbles that
 * {@link NibbleLanes#shift} puts at bits 0..3 and 16..19: one blend gives both passes' five-bit quants in place,
 * and an and-or and a subtraction each make them floats (2^23 + q and 2^7 + q, as in {@link NibbleLanes}).
 */
public final class Q5_KLanes implements WeightFormat {

    private static final int LANES = Simd.LANES;
    private static final int UNITS_PER_BLOCK = Q5_K.BLOCK / NibbleLanes.UNIT;
    private static final int HEADER = 16;
    private static final int QUANTS = 48;
    /** Passes of {@code LANES} weights whose fifth bits one vector of shorts holds. */
    private static final int GROUP = 16;
    /** Sub-blocks of 32 weights in a unit. */
    private static final int SUBS_PER_UNIT = NibbleLanes.UNIT / 32;
    /** Shifts per sub-block: each gives two passes of {@code LANES} weights. */
    private static final int SHIFTS_PER_SUB = 32 / (2 * LANES);
    private static final int NIBBLES = 0x000F_000F;

    static final Q5_KLanes INSTANCE = new Q5_KLanes();

    private Q5_KLanes() {
    }

    /** {@code t} (Q5_K) repacked into memory of {@code arena}. */
    static Tensor repack(Tensor t, Arena arena) {
        long bytes = t.rowBytes() * t.rows();
        MemorySegment packed = arena.allocate(bytes, 64);
        int[] quants = new int[Q5_K.BLOCK];
        int[] words = new int[UNITS_PER_BLOCK * LANES];
        short[] fifths = new short[Q5_K.BLOCK / GROUP];
        for (long o = 0; o < bytes; o += Q5_K.BYTES) {
            quants(t.data(), o, quants);
            Arrays.fill(words, 0);
            Arrays.fill(fifths, (short) 0);
            for (int w = 0; w < Q5_K.BLOCK; w++) {
                int pass = w / LANES;
                int i = w % LANES;
                int u = w / NibbleLanes.UNIT;
                words[u * LANES + i] |= (quants[w] & 0xF) << (4 * NibbleLanes.nibble(pass % 8));
                fifths[pass / GROUP * LANES + i] |= (short) ((quants[w] >> 4) << (pass % GROUP));
            }
            MemorySegment.copy(t.data(), o, packed, o, HEADER);
            MemorySegment.copy(fifths, 0, packed, Simd.LE_SHORT, o + HEADER, fifths.length);
            MemorySegment.copy(words, 0, packed, Simd.LE_INT, o + QUANTS, words.length);
        }
        return new Tensor(t.name(), GgmlType.Q5_K, t.shape(), packed, INSTANCE);
    }

    /** The 256 five-bit quants (0..31) of the GGUF super-block at {@code o}, as {@link Q5_K#dequantize} reads them. */
    private static void quants(MemorySegment data, long o, int[] quants) {
        for (int c = 0; c < 4; c++) {
            for (int l = 0; l < 32; l++) {
                int ql = Simd.u8(data, o + QUANTS + 32 * c + l);
                int qh = Simd.u8(data, o + HEADER + l);
                quants[64 * c + l] = (ql & 0xF) | ((qh >> (2 * c)) & 1) << 4;
                quants[64 * c + l + 32] = (ql >> 4) | ((qh >> (2 * c + 1)) & 1) << 4;
            }
        }
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    /** Scalar reference: each quant from its nibble and fifth bit, then as {@link Q5_K#dequantize}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        for (int b = 0; b < n / Q5_K.BLOCK; b++) {
            long o = offset + (long) b * Q5_K.BYTES;
            float d = Simd.f16(data, o);
            float min = Simd.f16(data, o + 2);
            for (int w = 0; w < Q5_K.BLOCK; w++) {
                int s = w / 32;
                int pass = w / LANES;
                short fifths = data.get(Simd.LE_SHORT, o + HEADER + 2L * (pass / GROUP * LANES + w % LANES));
                long unit = o + QUANTS + (long) NibbleLanes.UNIT_BYTES * (w / NibbleLanes.UNIT);
                int q = NibbleLanes.quant(data, unit, w % NibbleLanes.UNIT) | ((fifths >> (pass % GROUP)) & 1) << 4;
                float d1 = d * ScaleMinK4.scale(data, o + 4, s);
                float m1 = min * ScaleMinK4.min(data, o + 4, s);
                dst[dstOffset + b * Q5_K.BLOCK + w] = d1 * q - m1;
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        FloatVector acc = FloatVector.zero(Simd.F);
        FloatVector accMin = acc;
        // the block's factors through arrays, not decoded in the loop as Q5_K.dot does, to keep within C2's budget
        float[] scales = new float[8];
        float[] mins = new float[8];
        for (int b = 0; b < n / Q5_K.BLOCK; b++) {
            long o = offset + (long) b * Q5_K.BYTES;
            ScaleMinK4.factors(data, o, scales, mins, 0);
            for (int u = 0; u < UNITS_PER_BLOCK; u++) {
                IntVector q = NibbleLanes.load(data, o + QUANTS + (long) NibbleLanes.UNIT_BYTES * u);
                IntVector fifths = fifths(data, o, u);
                for (int sb = 0; sb < SUBS_PER_UNIT; sb++) {
                    int s = u * SUBS_PER_UNIT + sb;
                    FloatVector sum = FloatVector.zero(Simd.F);
                    FloatVector xsum = sum;
                    for (int j = 0; j < SHIFTS_PER_SUB; j++) {
                        int k = sb * SHIFTS_PER_SUB + j;
                        IntVector quants = quants(q, fifths, u, k);
                        int xi = xOffset + b * Q5_K.BLOCK + u * NibbleLanes.UNIT + 2 * k * LANES;
                        FloatVector xv = Simd.x(x, xi);
                        sum = low(quants).fma(xv, sum);
                        xsum = xsum.add(xv);
                        xv = Simd.x(x, xi + LANES);
                        sum = high(quants).fma(xv, sum);
                        xsum = xsum.add(xv);
                    }
                    acc = sum.fma(Simd.splat(scales[s]), acc);
                    accMin = xsum.fma(Simd.splat(mins[s]), accMin);
                }
            }
        }
        return Simd.sum(acc.sub(accMin));
    }

    /** The fifth bits of unit {@code u}'s group as {@code y = z | z << 15} (see the class comment). */
    private static IntVector fifths(MemorySegment data, long o, int u) {
        long at = o + HEADER + 2L * LANES * (u / 2);
        IntVector z = (IntVector) ShortVector.fromMemorySegment(Simd.S, data, at, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.ZERO_EXTEND_S2I, Simd.I, 0);
        return z.or(z.lanewise(VectorOperators.LSHL, 15));
    }

    /** Passes {@code 2k} and {@code 2k + 1} of unit {@code u}: five-bit quants at bits 0..4 and 16..20. */
    private static IntVector quants(IntVector unit, IntVector fifths, int u, int k) {
        int pair = 4 * (u % 2) + k;
        IntVector rotated = fifths.lanewise(VectorOperators.ROL, (4 - 2 * pair) & 31);
        return rotated.lanewise(VectorOperators.BITWISE_BLEND, NibbleLanes.shift(unit, k), NIBBLES);
    }

    private static FloatVector low(IntVector q) {
        return NibbleLanes.low(q, 0x1F, 0);
    }

    private static FloatVector high(IntVector q) {
        return NibbleLanes.high(q, 0x1F, 0);
    }

    @Override
    public PanelLayout panelLayout() {
        return PanelLayout.SCALED_BLOCKS_OF_32_WITH_MINS;
    }

    /** The quants as floats, and each sub-block's {@code d * scale} and {@code dmin * min}, as {@link Q5_K#unpack}. */
    @Override
    public void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                       float[] mins, int blockOffset) {
        for (int b = 0; b < n / Q5_K.BLOCK; b++) {
            long o = offset + (long) b * Q5_K.BYTES;
            ScaleMinK4.factors(data, o, scales, mins, blockOffset + 8 * b);
            for (int u = 0; u < UNITS_PER_BLOCK; u++) {
                IntVector q = NibbleLanes.load(data, o + QUANTS + (long) NibbleLanes.UNIT_BYTES * u);
                IntVector fifths = fifths(data, o, u);
                for (int k = 0; k < 4; k++) {
                    IntVector quants = quants(q, fifths, u, k);
                    int v = valuesOffset + b * Q5_K.BLOCK + u * NibbleLanes.UNIT + 2 * k * LANES;
                    low(quants).intoArray(values, v);
                    high(quants).intoArray(values, v + LANES);
                }
            }
        }
    }
}
