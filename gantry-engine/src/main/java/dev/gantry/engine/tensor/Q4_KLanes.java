package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link Q4_K} weights repacked at load time: each 144-byte super-block keeps its header ({@code d}, {@code dmin} and
 * the packed 6-bit scales and mins, {@link ScaleMinK4}) and holds its 128 bytes of quants as {@link NibbleLanes}
 * units, so rows take the file's size. The same numbers and the same operations in the same order as {@link Q4_K}'s
 * kernels, so every result is bit for bit theirs.
 */
public final class Q4_KLanes implements WeightFormat {

    private static final int LANES = Simd.LANES;
    private static final int UNITS_PER_BLOCK = Q4_K.BLOCK / NibbleLanes.UNIT;
    /** Sub-blocks of 32 weights in a unit. */
    private static final int SUBS_PER_UNIT = NibbleLanes.UNIT / 32;
    /** Shifts per sub-block: each gives two passes of {@code LANES} weights. */
    private static final int SHIFTS_PER_SUB = 32 / (2 * LANES);
    private static final int HEADER = 16;

    static final Q4_KLanes INSTANCE = new Q4_KLanes();

    private Q4_KLanes() {
    }

    /** {@code t} (Q4_K) repacked into memory of {@code arena}. */
    static Tensor repack(Tensor t, Arena arena) {
        long bytes = t.rowBytes() * t.rows();
        MemorySegment packed = arena.allocate(bytes, 64);
        for (long o = 0; o < bytes; o += Q4_K.BYTES) {
            packBlock(t.data(), o, packed);
        }
        return new Tensor(t.name(), GgmlType.Q4_K, t.shape(), packed, INSTANCE);
    }

    /**
     * One super-block at byte {@code o}: the header copied, then each sub-block's bytes, widened a group at a time to
     * lanes, give its quants (low nibbles for an even sub-block, high for an odd one) to their passes.
     */
    private static void packBlock(MemorySegment data, long o, MemorySegment packed) {
        MemorySegment.copy(data, o, packed, o, HEADER);
        for (int u = 0; u < UNITS_PER_BLOCK; u++) {
            IntVector words = IntVector.zero(Simd.I);
            for (int sb = 0; sb < SUBS_PER_UNIT; sb++) {
                int s = u * SUBS_PER_UNIT + sb;
                long qs = o + HEADER + 32 * (s >> 1);
                for (int g = 0; g < 32; g += Simd.B.length()) {
                    ByteVector q = Simd.bytes(data, qs + g);
                    for (int part = 0; part < Simd.PARTS; part++) {
                        IntVector v = Simd.widen(q, part).lanewise(VectorOperators.LSHR, 4 * (s & 1));
                        words = NibbleLanes.place(words, v, (32 * sb + g + part * LANES) / LANES);
                    }
                }
            }
            words.intoMemorySegment(packed, o + HEADER + (long) NibbleLanes.UNIT_BYTES * u, ByteOrder.LITTLE_ENDIAN);
        }
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    /** Scalar reference: each weight from its nibble, as {@link Q4_K#dequantize} from its byte. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        for (int b = 0; b < n / Q4_K.BLOCK; b++) {
            long o = offset + (long) b * Q4_K.BYTES;
            float d = Simd.f16(data, o);
            float min = Simd.f16(data, o + 2);
            for (int w = 0; w < Q4_K.BLOCK; w++) {
                int s = w / 32;
                float d1 = d * ScaleMinK4.scale(data, o + 4, s);
                float m1 = min * ScaleMinK4.min(data, o + 4, s);
                long unit = o + HEADER + (long) NibbleLanes.UNIT_BYTES * (w / NibbleLanes.UNIT);
                dst[dstOffset + b * Q4_K.BLOCK + w] = d1 * NibbleLanes.quant(data, unit, w % NibbleLanes.UNIT) - m1;
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        FloatVector acc = FloatVector.zero(Simd.F);
        FloatVector accMin = acc;
        for (int b = 0; b < n / Q4_K.BLOCK; b++) {
            long o = offset + (long) b * Q4_K.BYTES;
            float d = Simd.f16(data, o);
            float dmin = Simd.f16(data, o + 2);
            long scales = ScaleMinK4.unpack(data, o + 4, false);
            long mins = ScaleMinK4.unpack(data, o + 4, true);
            for (int u = 0; u < UNITS_PER_BLOCK; u++) {
                IntVector q = NibbleLanes.load(data, o + HEADER + (long) NibbleLanes.UNIT_BYTES * u);
                for (int sb = 0; sb < SUBS_PER_UNIT; sb++) {
                    int s = u * SUBS_PER_UNIT + sb;
                    FloatVector sum = FloatVector.zero(Simd.F);
                    FloatVector xsum = sum;
                    for (int j = 0; j < SHIFTS_PER_SUB; j++) {
                        int k = sb * SHIFTS_PER_SUB + j;
                        IntVector shifted = NibbleLanes.shift(q, k);
                        int xi = xOffset + b * Q4_K.BLOCK + u * NibbleLanes.UNIT + 2 * k * LANES;
                        FloatVector xv = Simd.x(x, xi);
                        sum = NibbleLanes.low(shifted, 0).fma(xv, sum);
                        xsum = xsum.add(xv);
                        xv = Simd.x(x, xi + LANES);
                        sum = NibbleLanes.high(shifted, 0).fma(xv, sum);
                        xsum = xsum.add(xv);
                    }
                    acc = sum.fma(Simd.splat(d * (int) ((scales >>> (8 * s)) & 0xFF)), acc);
                    accMin = xsum.fma(Simd.splat(dmin * (int) ((mins >>> (8 * s)) & 0xFF)), accMin);
                }
            }
        }
        return Simd.sum(acc.sub(accMin));
    }

    @Override
    public PanelLayout panelLayout() {
        return PanelLayout.SCALED_BLOCKS_OF_32_WITH_MINS;
    }

    /** The quants as floats, and each sub-block's {@code d * scale} and {@code dmin * min}, as {@link Q4_K#unpack}. */
    @Override
    public void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                       float[] mins, int blockOffset) {
        for (int b = 0; b < n / Q4_K.BLOCK; b++) {
            long o = offset + (long) b * Q4_K.BYTES;
            ScaleMinK4.factors(data, o, scales, mins, blockOffset + 8 * b);
            for (int u = 0; u < UNITS_PER_BLOCK; u++) {
                IntVector q = NibbleLanes.load(data, o + HEADER + (long) NibbleLanes.UNIT_BYTES * u);
                for (int k = 0; k < 4; k++) {
                    IntVector shifted = NibbleLanes.shift(q, k);
                    int v = valuesOffset + b * Q4_K.BLOCK + u * NibbleLanes.UNIT + 2 * k * LANES;
                    NibbleLanes.low(shifted, 0).intoArray(values, v);
                    NibbleLanes.high(shifted, 0).intoArray(values, v + LANES);
                }
            }
        }
    }

    /** Two tokens at a time, each with exactly {@link #dot}'s operations, as {@link Q4_K}'s token tiles. */
    @Override
    public void dotTokens(MemorySegment data, long offset, float[] x, int xOffset, int xStride, int tokens, int n,
                          float[] out, int outOffset, int outStride) {
        TokenTiles.run(this, 2, Q4_KLanes::dot2, data, offset, x, xOffset, xStride, tokens, n, out, outOffset, outStride);
    }

    private static void dot2(MemorySegment data, long offset, float[] x, int x0, int xStride, int n,
                             float[] out, int o0, int outStride) {
        int x1 = x0 + xStride;
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector m0 = a0;
        FloatVector a1 = a0;
        FloatVector m1 = a0;
        for (int b = 0; b < n / Q4_K.BLOCK; b++) {
            long o = offset + (long) b * Q4_K.BYTES;
            float d = Simd.f16(data, o);
            float dmin = Simd.f16(data, o + 2);
            long scales = ScaleMinK4.unpack(data, o + 4, false);
            long mins = ScaleMinK4.unpack(data, o + 4, true);
            for (int u = 0; u < UNITS_PER_BLOCK; u++) {
                IntVector q = NibbleLanes.load(data, o + HEADER + (long) NibbleLanes.UNIT_BYTES * u);
                for (int sb = 0; sb < SUBS_PER_UNIT; sb++) {
                    int s = u * SUBS_PER_UNIT + sb;
                    FloatVector s0 = FloatVector.zero(Simd.F);
                    FloatVector xs0 = s0;
                    FloatVector s1 = s0;
                    FloatVector xs1 = s0;
                    for (int j = 0; j < 2 * SHIFTS_PER_SUB; j++) {
                        int p = 2 * sb * SHIFTS_PER_SUB + j;
                        FloatVector w = NibbleLanes.pass(q, p, 0);
                        int i = b * Q4_K.BLOCK + u * NibbleLanes.UNIT + p * LANES;
                        FloatVector v0 = Simd.x(x, x0 + i);
                        FloatVector v1 = Simd.x(x, x1 + i);
                        s0 = w.fma(v0, s0);
                        xs0 = xs0.add(v0);
                        s1 = w.fma(v1, s1);
                        xs1 = xs1.add(v1);
                    }
                    FloatVector scale = Simd.splat(d * (int) ((scales >>> (8 * s)) & 0xFF));
                    FloatVector min = Simd.splat(dmin * (int) ((mins >>> (8 * s)) & 0xFF));
                    a0 = s0.fma(scale, a0);
                    m0 = xs0.fma(min, m0);
                    a1 = s1.fma(scale, a1);
                    m1 = xs1.fma(min, m1);
                }
            }
        }
        Simd.sum2(a0.sub(m0), a1.sub(m1), out, o0, outStride);
    }
}
