package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link F16} weights repacked at load time so that one vector of ints holds two vectors' worth of halves, each
 * already where its float's bits go: in a chunk of {@code 2 * LANES} halves, int lane {@code k} holds half {@code k}
 * in its low 16 bits and half {@code LANES + k} in its high 16 bits. The file's layout costs a widening of shorts
 * to ints and three more operations per vector ({@link F16#finite}); here the high half is two operations (an
 * arithmetic shift by 3 puts its sign, exponent and mantissa at a binary32's places; a mask clears the bits the
 * low half shifted in and the smeared sign), the low half three, and no widening. Decode converts every weight once
 * per token and is bound by these operations, not by memory (one thread streams half what a plain read does).
 *
 * <p>The sums are {@link F16#dot}'s bit for bit, in its order ({@link PanelLayout#ONE_ACCUMULATOR}): vector
 * {@code v} of the row, the low or high halves of a chunk, goes into accumulator part {@code v % WIDE_PARTS}. The
 * halves past the last whole chunk stay in the file's order and go through F16's own kernel code. Used where a
 * vector has 8 or 16 floats (AVX2, AVX-512), where a chunk is one or two of dot's steps.
 */
public final class F16Pairs implements WeightFormat {

    private static final int LANES = HalfPairs.LANES;
    private static final int CHUNK = HalfPairs.CHUNK;
    /** Clears a high half's low neighbour (bits 0..12 after the shift) and its sign copies (bits 28..30). */
    private static final int HIGH_MASK = 0x8FFF_E000;
    private static final int LOW_MASK = 0x8FFF_FFFF;

    static final F16Pairs INSTANCE = new F16Pairs();

    private F16Pairs() {
    }

    /** Whether this machine's vectors suit the layout: 8 or 16 floats, one or two parts of dot's accumulator. */
    static boolean fits() {
        return Simd.WIDE_PARTS <= 2;
    }

    /** {@code t} (F16) repacked into weight memory of {@code arena}. */
    static Tensor repack(Tensor t, Arena arena) {
        return new Tensor(t.name(), GgmlType.F16, t.shape(), HalfPairs.pack(t, arena, paired(t.cols())), INSTANCE);
    }

    /** Values of a row of {@code n} that lie in whole chunks. */
    private static int paired(int n) {
        return n - n % CHUNK;
    }

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    public long rowBytes(int n) {
        return 2L * n;
    }

    /** Scalar reference: each half converted as {@link F16#dequantize} converts it. */
    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        for (int e = 0; e < n; e++) {
            dst[dstOffset + e] = Simd.f16(data, offset + HalfPairs.position(e, paired(n)));
        }
    }

    /**
     * {@link F16#dot}'s floats: the chunks here, then F16's kernel steps and tail for the halves after them. A row
     * with an inf or a NaN is summed again from its halves converted in full, in the same order.
     */
    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        FloatVector p0 = FloatVector.zero(Simd.F);
        FloatVector p1 = p0;
        ShortVector seen = ShortVector.zero(ShortLanes.S);
        int i = 0;
        for (; i <= n - CHUNK; i += CHUNK) {
            IntVector v = HalfPairs.load(data, offset + 2L * i);
            seen = seen.max(v.reinterpretAsShorts().and(F16.MAGNITUDE));
            p0 = low(v).fma(Simd.x(x, xOffset + i), p0);
            if (Simd.WIDE_PARTS == 1) {
                p0 = high(v).fma(Simd.x(x, xOffset + i + LANES), p0);
            } else {
                p1 = high(v).fma(Simd.x(x, xOffset + i + LANES), p1);
            }
        }
        if (Simd.WIDE_PARTS == 1 && i <= n - Simd.WIDE) {
            // one of F16.dot's steps left (a chunk is two of them), over halves in the file's order
            ShortVector h = F16.halves(data, offset + 2L * i);
            if (F16.infOrNan(h.and(F16.MAGNITUDE))) {
                return exactDot(data, offset, x, xOffset, n);
            }
            p0 = F16.finite(h).fma(Simd.x(x, xOffset + i), p0);
            i += Simd.WIDE;
        }
        if (F16.infOrNan(seen)) {
            return exactDot(data, offset, x, xOffset, n);
        }
        return F16.tail(data, offset, x, xOffset, i, n, Simd.sumWide(p0, p1, p0, p1));
    }

    /** {@link #dot} with the halves converted one by one in full: rows holding an inf or a NaN. */
    private static float exactDot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        float[] w = new float[n];
        INSTANCE.dequantize(data, offset, w, 0, n);
        FloatVector p0 = FloatVector.zero(Simd.F);
        FloatVector p1 = p0;
        int i = 0;
        for (; i <= n - Simd.WIDE; i += Simd.WIDE) {
            p0 = FloatVector.fromArray(Simd.F, w, i).fma(Simd.x(x, xOffset + i), p0);
            if (Simd.WIDE_PARTS == 1) {
                continue;
            }
            p1 = FloatVector.fromArray(Simd.F, w, i + LANES).fma(Simd.x(x, xOffset + i + LANES), p1);
        }
        float s = Simd.sumWide(p0, p1, p0, p1);
        for (; i < n; i++) {
            s += w[i] * x[xOffset + i];
        }
        return s;
    }

    /** Two tokens at a time, sharing each conversion, each getting exactly {@link #dot}'s float. */
    @Override
    public void dotTokens(MemorySegment data, long offset, float[] x, int xOffset, int xStride, int tokens, int n,
                          float[] out, int outOffset, int outStride) {
        TokenTiles.run(this, 2, F16Pairs::dot2, data, offset, x, xOffset, xStride, tokens, n, out, outOffset,
                outStride);
    }

    private static void dot2(MemorySegment data, long offset, float[] x, int x0, int xStride, int n,
                             float[] out, int o0, int outStride) {
        int x1 = x0 + xStride;
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        ShortVector seen = ShortVector.zero(ShortLanes.S);
        int i = 0;
        for (; i <= n - CHUNK; i += CHUNK) {
            IntVector v = HalfPairs.load(data, offset + 2L * i);
            seen = seen.max(v.reinterpretAsShorts().and(F16.MAGNITUDE));
            FloatVector lo = low(v);
            FloatVector hi = high(v);
            a0 = lo.fma(Simd.x(x, x0 + i), a0);
            b0 = lo.fma(Simd.x(x, x1 + i), b0);
            if (Simd.WIDE_PARTS == 1) {
                a0 = hi.fma(Simd.x(x, x0 + i + LANES), a0);
                b0 = hi.fma(Simd.x(x, x1 + i + LANES), b0);
            } else {
                a1 = hi.fma(Simd.x(x, x0 + i + LANES), a1);
                b1 = hi.fma(Simd.x(x, x1 + i + LANES), b1);
            }
        }
        if (i < n || F16.infOrNan(seen)) {
            // halves in the file's order, or an inf or a NaN: dot's own path for each token
            out[o0] = INSTANCE.dot(data, offset, x, x0, n);
            out[o0 + outStride] = INSTANCE.dot(data, offset, x, x1, n);
            return;
        }
        Simd.sum2(Simd.wide(a0, a1, a0, a1), Simd.wide(b0, b1, b0, b1), out, o0, outStride);
    }

    @Override
    public PanelLayout panelLayout() {
        return PanelLayout.ONE_ACCUMULATOR;
    }

    /** The row's halves as floats in the row's order, as {@link F16#toFloats} converts them. */
    @Override
    public void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                       float[] mins, int blockOffset) {
        ShortVector seen = ShortVector.zero(ShortLanes.S);
        int i = 0;
        for (; i <= n - CHUNK; i += CHUNK) {
            IntVector v = HalfPairs.load(data, offset + 2L * i);
            seen = seen.max(v.reinterpretAsShorts().and(F16.MAGNITUDE));
            low(v).intoArray(values, valuesOffset + i);
            high(v).intoArray(values, valuesOffset + i + LANES);
        }
        if (F16.infOrNan(seen)) {
            dequantize(data, offset, values, valuesOffset, i);
        }
        F16.toFloats(data, offset + 2L * i, values, valuesOffset + i, n - i);
    }

    /** The low halves of a chunk as floats, for halves that are not inf or NaN (as {@link F16#finite}). */
    private static FloatVector low(IntVector v) {
        IntVector bits = v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(LOW_MASK);
        return ((FloatVector) bits.reinterpretAsFloats()).mul(F16.TWO_POW_112);
    }

    /** The high halves of a chunk as floats, for halves that are not inf or NaN. */
    private static FloatVector high(IntVector v) {
        IntVector bits = v.lanewise(VectorOperators.ASHR, 3).and(HIGH_MASK);
        return ((FloatVector) bits.reinterpretAsFloats()).mul(F16.TWO_POW_112);
    }
}
