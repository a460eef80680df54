package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * IEEE binary16 ({@code ggml_half}), little-endian, 2 bytes an element (ggml {@code GGML_TYPE_F16}).
 *
 * <p>The Vector API has no half-float conversion, so the kernel widens the bits itself: moving the 15 bits of
 * exponent and mantissa up by 13 gives a binary32 whose value is the half's times 2^-112 (for normals and subnormals
 * alike), so one multiply by 2^112 finishes it; the sign bit is carried along. Exponent 31 (inf, NaN) would come out
 * finite that way and is forced to binary32 exponent 255 instead, which the multiply leaves inf or NaN. All with
 * integer arithmetic, no masks, and few vector calls (see the note on C2's inlining budget in {@link Simd}). The dot
 * kernels skip that fix-up, which costs as much again as the rest of the conversion, and keep a running maximum of
 * the halves' magnitudes instead: a row with an inf or a NaN (never one of a sane model) is then converted in full.
 */
public final class F16 implements WeightFormat, Quantizer {

    /**
     * Rows shorter than this are summed by {@link #dot} one product after another, in order, from zero
     * ({@code ((0 + a0*x0) + a1*x1) + ...}, each product rounded before its add): a caller may then compute many
     * such short dots lane by lane and get the same floats (attention heads of 8 dimensions, for one).
     */
    public static final int SEQUENTIAL_BELOW = Simd.WIDE;

    static final float TWO_POW_112 = 0x1p112f;
    static final short MAGNITUDE = 0x7FFF;
    /** The smallest {@code half & 0x7FFF} of an inf or a NaN (exponent 31). */
    private static final short INF_MAGNITUDE = 0x7C00;

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    public void dequantize(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        GgmlType.F16.blockCount(n);
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = Simd.f16(data, offset + 2L * i);
        }
    }

    /**
     * One accumulator of {@link Simd#WIDE} lanes (the conversion, not the FMA latency, bounds this loop, and a small
     * body leaves the tile kernels below room within C2's inlining budget), as parts where vectors are narrower.
     * Halves convert by {@link #finite}, and the row goes again through {@link #exactDot} if any was inf or NaN: the
     * same floats as converting each half in full, for five vector operations fewer per step.
     */
    @Override
    public float dot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        GgmlType.F16.blockCount(n);
        FloatVector p0 = FloatVector.zero(Simd.F);
        FloatVector p1 = p0;
        FloatVector p2 = p0;
        FloatVector p3 = p0;
        ShortVector seen = ShortVector.zero(Simd.S);
        int i = 0;
        for (; i <= n - Simd.WIDE; i += Simd.WIDE) {
            ShortVector h = halves(data, offset + 2L * i);
            seen = seen.max(h.and(MAGNITUDE));
            p0 = finite(h).fma(Simd.x(x, xOffset + i), p0);
            if (Simd.WIDE_PARTS > 1) {
                h = halves(data, offset + 2L * (i + Simd.LANES));
                seen = seen.max(h.and(MAGNITUDE));
                p1 = finite(h).fma(Simd.x(x, xOffset + i + Simd.LANES), p1);
            }
            if (Simd.WIDE_PARTS > 2) {
                h = halves(data, offset + 2L * (i + 2 * Simd.LANES));
                seen = seen.max(h.and(MAGNITUDE));
                p2 = finite(h).fma(Simd.x(x, xOffset + i + 2 * Simd.LANES), p2);
                h = halves(data, offset + 2L * (i + 3 * Simd.LANES));
                seen = seen.max(h.and(MAGNITUDE));
                p3 = finite(h).fma(Simd.x(x, xOffset + i + 3 * Simd.LANES), p3);
            }
        }
        if (infOrNan(seen)) {
            return exactDot(data, offset, x, xOffset, n);
        }
        return tail(data, offset, x, xOffset, i, n, Simd.sumWide(p0, p1, p2, p3));
    }

    /** {@link #dot} with every half converted in full: the path of rows that hold an inf or a NaN. */
    private static float exactDot(MemorySegment data, long offset, float[] x, int xOffset, int n) {
        FloatVector p0 = FloatVector.zero(Simd.F);
        FloatVector p1 = p0;
        FloatVector p2 = p0;
        FloatVector p3 = p0;
        int i = 0;
        for (; i <= n - Simd.WIDE; i += Simd.WIDE) {
            p0 = load(data, offset + 2L * i).fma(Simd.x(x, xOffset + i), p0);
            if (Simd.WIDE_PARTS > 1) {
                p1 = load(data, offset + 2L * (i + Simd.LANES)).fma(Simd.x(x, xOffset + i + Simd.LANES), p1);
            }
            if (Simd.WIDE_PARTS > 2) {
                p2 = load(data, offset + 2L * (i + 2 * Simd.LANES)).fma(Simd.x(x, xOffset + i + 2 * Simd.LANES), p2);
                p3 = load(data, offset + 2L * (i + 3 * Simd.LANES)).fma(Simd.x(x, xOffset + i + 3 * Simd.LANES), p3);
            }
        }
        return tail(data, offset, x, xOffset, i, n, Simd.sumWide(p0, p1, p2, p3));
    }

    /**
     * {@code sum} plus the products of elements {@code [from, n)}, one by one: the part of a row shorter than a
     * vector step. A method of its own, so the kernels stay within C2's inlining budget.
     */
    static float tail(MemorySegment data, long offset, float[] x, int xOffset, int from, int n, float sum) {
        float s = sum;
        for (int i = from; i < n; i++) {
            s += Simd.f16(data, offset + 2L * i) * x[xOffset + i];
        }
        return s;
    }

    @Override
    public PanelLayout panelLayout() {
        return PanelLayout.ONE_ACCUMULATOR;
    }

    @Override
    public void unpack(MemorySegment data, long offset, int n, float[] values, int valuesOffset, float[] scales,
                       float[] mins, int blockOffset) {
        toFloats(data, offset, values, valuesOffset, n);
    }

    /** Two tokens at a time (four would overrun C2's inlining budget), each getting exactly {@link #dot}'s float. */
    @Override
    public void dotTokens(MemorySegment data, long offset, float[] x, int xOffset, int xStride, int tokens, int n,
                          float[] out, int outOffset, int outStride) {
        TokenTiles.run(this, 2, F16::dot2, data, offset, x, xOffset, xStride, tokens, n, out, outOffset, outStride);
    }

    /**
     * With the full conversion: the same floats as {@link #dot}'s finite path wherever that path applies, and two
     * tokens share each conversion.
     */
    private static void dot2(MemorySegment data, long offset, float[] x, int x0, int xStride, int n,
                             float[] out, int o0, int outStride) {
        GgmlType.F16.blockCount(n);
        int x1 = x0 + xStride;
        FloatVector a0 = FloatVector.zero(Simd.F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        int i = 0;
        for (; i <= n - Simd.WIDE; i += Simd.WIDE) {
            FloatVector w = load(data, offset + 2L * i);
            a0 = w.fma(Simd.x(x, x0 + i), a0);
            b0 = w.fma(Simd.x(x, x1 + i), b0);
            if (Simd.WIDE_PARTS > 1) {
                int j = i + Simd.LANES;
                w = load(data, offset + 2L * j);
                a1 = w.fma(Simd.x(x, x0 + j), a1);
                b1 = w.fma(Simd.x(x, x1 + j), b1);
            }
            if (Simd.WIDE_PARTS > 2) {
                int j = i + 2 * Simd.LANES;
                w = load(data, offset + 2L * j);
                a2 = w.fma(Simd.x(x, x0 + j), a2);
                b2 = w.fma(Simd.x(x, x1 + j), b2);
                j += Simd.LANES;
                w = load(data, offset + 2L * j);
                a3 = w.fma(Simd.x(x, x0 + j), a3);
                b3 = w.fma(Simd.x(x, x1 + j), b3);
            }
        }
        // paired lane sums, and tail's loop for both tokens written out: the kernel's last calls are where C2's
        // inlining budget runs out at 256 bits
        Simd.sum2(Simd.wide(a0, a1, a2, a3), Simd.wide(b0, b1, b2, b3), out, o0, outStride);
        float s0 = out[o0];
        float s1 = out[o0 + outStride];
        for (; i < n; i++) {
            float w = Float.float16ToFloat(data.get(Simd.LE_SHORT, offset + 2L * i));
            s0 += w * x[x0 + i];
            s1 += w * x[x1 + i];
        }
        out[o0] = s0;
        out[o0 + outStride] = s1;
    }

    /** {@link Simd#LANES} halves at a byte offset, as they are stored. */
    static ShortVector halves(MemorySegment data, long offset) {
        return ShortVector.fromMemorySegment(Simd.S, data, offset, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Halves as floats, for halves that are not inf or NaN: {@link #shifted} and one multiply (the arithmetic shift
     * there smears the sign over bits 28..30, which its mask clears).
     */
    static FloatVector finite(ShortVector halves) {
        return ((FloatVector) shifted((IntVector) halves.castShape(Simd.I, 0)).reinterpretAsFloats()).mul(TWO_POW_112);
    }

    /** Sign to bit 31, exponent and mantissa to bits 13..27: a half's bits where a binary32's go, its value 2^-112 times. */
    private static IntVector shifted(IntVector h) {
        return h.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(0x8FFF_FFFF);
    }

    /** Whether a running {@code max(half & 0x7FFF)} saw exponent 31: an inf or a NaN. */
    static boolean infOrNan(ShortVector seen) {
        return seen.reduceLanes(VectorOperators.MAX) >= INF_MAGNITUDE;
    }

    /** {@link Simd#LANES} halves at a byte offset, as floats. */
    private static FloatVector load(MemorySegment data, long offset) {
        return load(Simd.S, Simd.I, data, offset);
    }

    /** As many halves at a byte offset as {@code ints} has lanes, as floats ({@code shorts} has as many lanes). */
    private static FloatVector load(VectorSpecies<Short> shorts, VectorSpecies<Integer> ints, MemorySegment data,
                                    long offset) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(shorts, data, offset, ByteOrder.LITTLE_ENDIAN)
                .castShape(ints, 0);
        IntVector bits = shifted(h);
        // exponent 31 (inf, NaN): 0x7c00 + 0x400 carries into bit 15, spread to an all-ones binary32 exponent
        IntVector special = h.and(0x7c00).add(0x400).lanewise(VectorOperators.LSHL, 16)
                .lanewise(VectorOperators.ASHR, 8).and(0x7F80_0000);
        return ((FloatVector) bits.or(special).reinterpretAsFloats()).mul(TWO_POW_112);
    }

    /**
     * {@code n} halves at byte {@code offset} into {@code dst[dstOffset..]} as floats, a vector at a time (by
     * {@link #finite}, again in full if an inf or a NaN was seen), and in vectors of 8 and 4 for what is left: a row as
     * short as an attention head of 8 converts in one step.
     */
    public static void toFloats(MemorySegment data, long offset, float[] dst, int dstOffset, int n) {
        ShortVector seen = ShortVector.zero(Simd.S);
        int i = 0;
        for (; i <= n - Simd.LANES; i += Simd.LANES) {
            ShortVector h = halves(data, offset + 2L * i);
            seen = seen.max(h.and(MAGNITUDE));
            finite(h).intoArray(dst, dstOffset + i);
        }
        if (i > 0 && infOrNan(seen)) {
            for (int j = 0; j < i; j += Simd.LANES) {
                load(data, offset + 2L * j).intoArray(dst, dstOffset + j);
            }
        }
        if (Simd.LANES > 8 && i <= n - 8) {
            load(ShortVector.SPECIES_128, IntVector.SPECIES_256, data, offset + 2L * i).intoArray(dst, dstOffset + i);
            i += 8;
        }
        if (Simd.LANES > 4 && i <= n - 4) {
            load(ShortVector.SPECIES_64, IntVector.SPECIES_128, data, offset + 2L * i).intoArray(dst, dstOffset + i);
            i += 4;
        }
        // JDK calls only, no helper of ours: past the vector code above C2 may be out of inlining budget
        for (; i < n; i++) {
            dst[dstOffset + i] = Float.float16ToFloat(data.get(Simd.LE_SHORT, offset + 2L * i));
        }
    }

    /** Round to nearest even, as ggml's {@code GGML_FP32_TO_FP16} (F16C {@code vcvtps2ph} or its software twin). */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long dstOffset, int n) {
        GgmlType.F16.blockCount(n);
        for (int i = 0; i < n; i++) {
            dst.set(Simd.LE_SHORT, dstOffset + 2L * i, Float.floatToFloat16(src[srcOffset + i]));
        }
    }
}
