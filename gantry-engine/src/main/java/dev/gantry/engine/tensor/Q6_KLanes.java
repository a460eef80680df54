package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link Q6_K} weights repacked at load time, each 210-byte super-block in place: the low four bits of its quants
 * as {@link NibbleLanes} units (bytes 0..127), their high two bits as crumbs beside them (bytes 128..191), the int8
 * sub-block scales and {@code d} where they were. The same numbers and the same operations in the same order as
 * {@link Q6_K}'s kernels, so every result is bit for bit theirs.
 *
 * <p>Crumbs: one vector of {@code LANES} ints serves two units; lane {@code i} holds the high bits of the unit's
 * weight {@code p * LANES + i} at bit {@code 2 (p / 2) + 8 u + 16 (p % 2)} for pass {@code p} of unit {@code u % 2}
 * (0 or 1). Rotated left by {@code 4 - 2k - 8u}, pass {@code 2k}'s crumbs lie at bits 4..5 and pass
 * {@code 2k + 1}'s at 20..21, just above the nibbles {@link NibbleLanes#shift} puts at bits 0..3 and 16..19: one
 * blend of the two gives both passes' six-bit quants in place, and an and-or and a subtraction each make them
 * floats minus 32 (2^23 + q and 2^7 + q, as in {@link NibbleLanes}).
 */
public final class Q6_KLanes implements WeightFormat {

    private static final int LANES = Simd.LANES;
    private static final int UNITS_PER_BLOCK = Q6_K.BLOCK / NibbleLanes.UNIT;
    private static final int CRUMBS = 128;
    /** Passes of {@code LANES} weights in a sub-block of 16: 1, 2 or 4. */
    private static final int PASSES_PER_SUB = 16 / LANES;
    /**
     * Pairs of passes (one {@link #quants} each) in a sub-block, at least one. With {@code PASSES_PER_SUB}, the
     * kernels' tests for a sub-block's end are constants C2 folds, at every width but 128 bits: a test it cannot
     * fold puts both branches into the compiled kernel, and past its node budget it stops inlining vector calls.
     */
    private static final int PAIRS_PER_SUB = Math.max(1, PASSES_PER_SUB / 2);
    private static final int NIBBLES_AND_CRUMBS = 0x000F_000F;

    static final Q6_KLanes INSTANCE = new Q6_KLanes();

    private Q6_KLanes() {
    }

    /** {@code t} (Q6_K) repacked into memory of {@code arena}. */
    static Tensor repack(Tensor t, Arena arena) {
        long bytes = t.rowBytes() * t.rows();
        MemorySegment packed = arena.allocate(bytes, 64);
        int[] quants = new int[Q6_K.BLOCK];
        int[] words = new int[UNITS_PER_BLOCK * LANES];
        int[] crumbs = new int[UNITS_PER_BLOCK / 2 * LANES];
        for (long o = 0; o < bytes; o += Q6_K.BYTES) {
            quants(t.data(), o, quants);
            Arrays.fill(words, 0);
            Arrays.fill(crumbs, 0);
            for (int w = 0; w < Q6_K.BLOCK; w++) {
                int u = w / NibbleLanes.UNIT;
                int p = w % NibbleLanes.UNIT / LANES;
                int i = w % LANES;
                words[u * LANES + i] |= (quants[w] & 0xF) << (4 * NibbleLanes.nibble(p));
                crumbs[u / 2 * LANES + i] |= (quants[w] >> 4) << crumb(u, p);
            }
            MemorySegment.copy(words, 0, packed, Simd.LE_INT, o, words.length);
            MemorySegment.copy(crumbs, 0, packed, Simd.LE_INT, o + CRUMBS, crumbs.length);
            MemorySegment.copy(t.data(), o + 192, packed, o + 192, Q6_K.BYTES - 192);
        }
        return new Tensor(t.name(), GgmlType.Q6_K, t.shape(), packed, INSTANCE);
    }

    /** The 256 six-bit quants (0..63) of the GGUF super-block at {@code o}, as {@link Q6_K#dequantize} reads them. */
    private static void quants(MemorySegment data, long o, int[] quants) {
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l++) {
                int lo = Simd.u8(data, o + 64 * h + l);
                int mid = Simd.u8(data, o + 64 * h + l + 32);
                int hb = Simd.u8(data, o + 128 + 32 * h + l);
                quants[128 * h + l] = (lo & 0xF) | ((hb & 3) << 4);
                quants[128 * h + l + 32] = (mid & 0xF) | (((hb >> 2) & 3) << 4);
                quants[128 * h + l + 64] = (lo >> 4) | (((hb >> 4) & 3) << 4);
                quants[128 * h + l + 96] = (mid >> 4) | (((hb >> 6) & 3) << 4);
            }
        }
    }

    /** The bit of its crumb int at which pass {@code p} of unit {@code u} keeps its high bits. */
    private static int crumb(int u, int p) {
        return 2 * (p / 2) + 8 * (u % 2) + 16 * (p % 2);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    /** Scalar reference: each quant from its nibble and crumb, then as {@link Q6_K#dequantize}. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        for (int b = 0; b < n / Q6_K.BLOCK; b++) {
            long o = offset + (long) b * Q6_K.BYTES;
            float d = Simd.f16(data, o + 208);
            for (int w = 0; w < Q6_K.BLOCK; w++) {
                int u = w / NibbleLanes.UNIT;
                int p = w % NibbleLanes.UNIT / LANES;
                int crumbs = data.get(Simd.LE_INT, o + CRUMBS + 4L * (u / 2 * LANES + w % LANES));
                int q = NibbleLanes.quant(data, o + (long) NibbleLanes.UNIT_BYTES * u, w % NibbleLanes.UNIT)
                        | ((crumbs >>> crumb(u, p)) & 3) << 4;
                int scale = data.get(ValueLayout.JAVA_BYTE, o + 192 + w / 16);
                dst[dstOffset + b * Q6_K.BLOCK + w] = d * scale * (q - 32);
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        FloatVector acc = FloatVector.zero(Simd.F);
        float[] scales = new float[16];
        for (int b = 0; b < n / Q6_K.BLOCK; b++) {
            long o = offset + (long) b * Q6_K.BYTES;
            Q6_K.blockScales(data, o, scales, 0);
            for (int u = 0; u < UNITS_PER_BLOCK; u++) {
                IntVector nibbles = NibbleLanes.load(data, o + (long) NibbleLanes.UNIT_BYTES * u);
                IntVector crumbs = NibbleLanes.load(data, o + CRUMBS + 4L * LANES * (u / 2));
                FloatVector sum = FloatVector.zero(Simd.F);
                for (int k = 0; k < 4; k++) {
                    IntVector q = quants(nibbles, crumbs, u, k);
                    int pass = 8 * u + 2 * k;
                    int xi = xOffset + b * Q6_K.BLOCK + pass * LANES;
                    sum = low(q).fma(Simd.x(x, xi), sum);
                    if (PASSES_PER_SUB == 1) {
                        acc = sum.fma(Simd.splat(scales[pass]), acc);
                        sum = FloatVector.zero(Simd.F);
                    }
                    sum = high(q).fma(Simd.x(x, xi + LANES), sum);
                    if ((k + 1) % PAIRS_PER_SUB == 0) {
                        acc = sum.fma(Simd.splat(scales[(pass + 1) / PASSES_PER_SUB]), acc);
                        sum = FloatVector.zero(Simd.F);
                    }
                }
            }
        }
        return Simd.sum(acc);
    }

    /** Passes {@code 2k} and {@code 2k + 1} of unit {@code u}: six-bit quants at bits 0..5 and 16..21. */
    private static IntVector quants(IntVector nibbles, IntVector crumbs, int u, int k) {
        IntVector c = crumbs.lanewise(VectorOperators.ROL, (4 - 2 * k - 8 * (u % 2)) & 31);
        return c.lanewise(VectorOperators.BITWISE_BLEND, NibbleLanes.shift(nibbles, k), NIBBLES_AND_CRUMBS);
    }

    private static FloatVector low(IntVector q) {
        return NibbleLanes.low(q, 0x3F, 32);
    }

    private static FloatVector high(IntVector q) {
        return NibbleLanes.high(q, 0x3F, 32);
    }

    @Override
    public PanelLayout panelLayout() {
        return PanelLayout.SCALED_BLOCKS_OF_16;
    }

    /** The quants minus 32 as floats, and each sub-block's {@code d * scale}, as {@link Q6_K#unpack}. */
    @Override
    public void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                       float[] mins, int blockOffset) {
        for (int b = 0; b < n / Q6_K.BLOCK; b++) {
            long o = offset + (long) b * Q6_K.BYTES;
            Q6_K.blockScales(data, o, scales, blockOffset + 16 * b);
            for (int u = 0; u < UNITS_PER_BLOCK; u++) {
                IntVector nibbles = NibbleLanes.load(data, o + (long) NibbleLanes.UNIT_BYTES * u);
                IntVector crumbs = NibbleLanes.load(data, o + CRUMBS + 4L * LANES * (u / 2));
                for (int k = 0; k < 4; k++) {
                    IntVector q = quants(nibbles, crumbs, u, k);
                    int v = valuesOffset + b * Q6_K.BLOCK + (8 * u + 2 * k) * LANES;
                    low(q).intoArray(values, v);
                    high(q).intoArray(values, v + LANES);
                }
            }
        }
    }
}
