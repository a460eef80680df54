package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every kernel of this package uses, all derived from {@link FloatVector#SPECIES_PREFERRED}, and
 * the little-endian loads they share.
 *
 * <p>A kernel works on groups of {@link #LANES} weights: it loads {@link #B} (at least 8 bytes, since the Vector API
 * has no 32-bit byte shape), widens each of its {@link #PARTS} parts to an {@link IntVector} of {@code LANES} lanes,
 * does the bit work of its format on ints (native shifts on every ISA, unlike byte shifts on x86), and converts to
 * floats. Every quant array in a ggml block is a multiple of 16 bytes, so these groups never cross a block, whatever
 * the width. The float species is kept between 128 and 512 bits: below, nothing is gained; above (wide SVE), blocks of
 * 16 bytes would no longer fill a byte group.
 *
 * <p>NOTE: C2 inlines the Vector API calls of one compiled method only up to a node budget
 * ({@code NodeCountInliningCutoff}, reached at about fifty calls); past it a call returns a boxed vector and the kernel
 * runs ten to fifty times slower while staying correct. So kernels loop (over nibbles, sub-blocks) rather than repeat
 * code, and C2 unrolls those loops after inlining; {@code KernelCompilationTest} checks every kernel. Products within a
 * block go to a sum that starts from zero, so consecutive blocks' dependency chains overlap and only one FMA per
 * block (or sub-block) is serial. Scale lookups inside sub-block loops are branch-free: a branch on the sub-block
 * index there sent C2 into repeated deoptimization (Q3_K, Q4_K).
 */
final class Simd {

    static final VectorSpecies<Float> F = floatSpecies();
    static final VectorSpecies<Integer> I = F.withLanes(int.class);
    /** Shorts with one lane per float lane (F16, BF16 loads). */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(16 * F.length()));
    /** The byte group loaded per step: {@code max(8, LANES)} bytes. */
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, 8 * F.length())));
    /** Sixteen bytes: the width of the IQ4 lookup table and of one 32-weight block's nibbles. */
    static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;

    static final int LANES = F.length();
    /**
     * The lanes of the widest vector we run (512 bits). F16 products accumulate in this many lanes on every machine,
     * as {@link #WIDE_PARTS} vectors of {@link #LANES} where vectors are narrower, and reduce by {@link #sumWide}: a
     * dot product is then the same float on AVX2 and on AVX-512, and that float is the order of llama.cpp's AVX-512
     * F16 kernels (llamafile's tinyBLAS: one 16-lane accumulator per output, {@code _mm512_reduce_add_ps}).
     */
    static final int WIDE = 16;
    static final int WIDE_PARTS = WIDE / Math.min(16, F.length());
    /** Int vectors of {@link #LANES} lanes in one {@link #B} load. */
    static final int PARTS = B.length() / LANES;
    /** Float vectors of {@link #LANES} lanes in one {@link #B16} load. */
    static final int PARTS16 = 16 / LANES;

    static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Simd() {
    }

    private static VectorSpecies<Float> floatSpecies() {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (preferred.vectorBitSize() > 512) {
            return FloatVector.SPECIES_512;
        }
        if (preferred.vectorBitSize() < 128) {
            return FloatVector.SPECIES_128;
        }
        return preferred;
    }

    /** A ggml_half (IEEE binary16) at a byte offset. */
    static float f16(MemorySegment s, long offset) {
        return Float.float16ToFloat(s.get(LE_SHORT, offset));
    }

    static int u8(MemorySegment s, long offset) {
        return s.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    static FloatVector x(float[] x, int index) {
        return FloatVector.fromArray(F, x, index);
    }

    static ByteVector bytes(MemorySegment s, long offset) {
        return ByteVector.fromMemorySegment(B, s, offset, ByteOrder.LITTLE_ENDIAN);
    }

    static ByteVector bytes16(MemorySegment s, long offset) {
        return ByteVector.fromMemorySegment(B16, s, offset, ByteOrder.LITTLE_ENDIAN);
    }

    /** Part {@code part} of a byte group, sign-extended to ints. */
    static IntVector widen(ByteVector bytes, int part) {
        return (IntVector) bytes.castShape(I, part);
    }

    static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }

    /** Lane indices 0, 1, ..., LANES-1: per-lane shift counts for bit-plane formats (Q5_0, Q5_1). */
    static IntVector iota() {
        return IntVector.zero(I).addIndex(1);
    }

    static FloatVector splat(float v) {
        return FloatVector.broadcast(F, v);
    }

    /**
     * The sum of the lanes by a fixed tree: lane i adds lane i ^ k for k = LANES / 2 down to 1. Not
     * {@code reduceLanes(ADD)}, whose order is unspecified and differs between the interpreter and C2: a row's dot
     * product would then change with the JIT tier, and a batch would stop matching the same sequence run alone.
     */
    static float sum(FloatVector v) {
        FloatVector s = v;
        if (LANES >= 16) {
            s = s.add(s.rearrange(SWAP_8));
        }
        if (LANES >= 8) {
            s = s.add(s.rearrange(SWAP_4));
        }
        s = s.add(s.rearrange(SWAP_2));
        return s.add(s.rearrange(SWAP_1)).lane(0);
    }

    /**
     * {@link #sum(FloatVector)} of four vectors into {@code out[offset + k * stride]}, bit for bit, in fewer vector
     * operations: the first two steps of the four trees run paired, two and then four trees to a vector (the lanes
     * whose step bit is clear carry one tree, the others the next; additions commute exactly), so a kernel's four
     * results cost about half the vector calls of four sums.
     */
    static void sum4(FloatVector a, FloatVector b, FloatVector c, FloatVector d, float[] out, int offset, int stride) {
        // written out rather than through a helper taking vectors: a helper C2 has compiled on its own by then is not
        // inlined ("already compiled into a medium method"), and its vectors would be boxed
        VectorMask<Float> half = HALF.upper();
        VectorMask<Float> quarter = QUARTER.upper();
        FloatVector ab = a.blend(b, half).add(b.blend(a, half).rearrange(HALF.swap()));
        FloatVector cd = c.blend(d, half).add(d.blend(c, half).rearrange(HALF.swap()));
        FloatVector s = ab.blend(cd, quarter).add(cd.blend(ab, quarter).rearrange(QUARTER.swap()));
        if (LANES >= 16) {
            s = s.add(s.rearrange(SWAP_2));
        }
        if (LANES >= 8) {
            s = s.add(s.rearrange(SWAP_1));
        }
        // a's tree ends in lane 0, b's in LANES / 2, c's in LANES / 4, d's in 3 * LANES / 4
        out[offset] = s.lane(0);
        out[offset + stride] = s.lane(LANES / 2);
        out[offset + 2 * stride] = s.lane(LANES / 4);
        out[offset + 3 * stride] = s.lane(3 * LANES / 4);
    }

    /**
     * {@link #sum(FloatVector)} of two vectors into {@code out[offset]} and {@code out[offset + stride]}, bit for bit:
     * the first step of both trees paired into one vector (as in {@link #sum4}), the rest as one tree.
     */
    static void sum2(FloatVector a, FloatVector b, float[] out, int offset, int stride) {
        VectorMask<Float> half = HALF.upper();
        FloatVector s = a.blend(b, half).add(b.blend(a, half).rearrange(HALF.swap()));
        if (LANES >= 16) {
            s = s.add(s.rearrange(SWAP_4));
        }
        if (LANES >= 8) {
            s = s.add(s.rearrange(SWAP_2));
        }
        s = s.add(s.rearrange(SWAP_1));
        out[offset] = s.lane(0);
        out[offset + stride] = s.lane(LANES / 2);
    }

    /**
     * {@link #sum(float[], int)} of the {@link #LANES} vectors stored at {@code a[offset + j * LANES..]}, into
     * {@code out[outOffset + j]}, bit for bit: every step of the trees runs paired as in {@link #sum4}, half as many
     * vectors after each, so the results cost about two vector operations each instead of a tree of scalar adds. The
     * stored vectors are overwritten. One loop a step keeps the vector call sites few (see the class note).
     */
    static void sums(float[] a, int offset, float[] out, int outOffset) {
        pairStep(a, offset, LANES, HALF);
        pairStep(a, offset, LANES / 2, QUARTER);
        if (LANES >= 8) {
            pairStep(a, offset, LANES / 4, EIGHTH);
        }
        if (LANES >= 16) {
            pairStep(a, offset, LANES / 8, SIXTEENTH);
        }
        // vector j's tree ended in the lane whose index is j's bits reversed
        FloatVector.fromArray(F, a, offset).rearrange(BIT_REVERSED).intoArray(out, outOffset);
    }

    /** One step of {@code count} stored trees, paired into {@code count / 2} vectors stored in their place. */
    private static void pairStep(float[] a, int offset, int count, Step step) {
        for (int j = 0; j < count / 2; j++) {
            FloatVector x = FloatVector.fromArray(F, a, offset + 2 * j * LANES);
            FloatVector y = FloatVector.fromArray(F, a, offset + (2 * j + 1) * LANES);
            // x's tree in the lanes where the step's bit is clear, y's where it is set
            x.blend(y, step.upper()).add(y.blend(x, step.upper()).rearrange(step.swap())).intoArray(a, offset + j * LANES);
        }
    }

    /** A step of the tree: lane i adds lane {@code i ^ k}; {@code upper} holds the lanes with bit k set. */
    private record Step(VectorMask<Float> upper, VectorShuffle<Float> swap) {

        static Step of(int k) {
            boolean[] upper = new boolean[LANES];
            for (int i = 0; i < LANES; i++) {
                upper[i] = (i & k) != 0;
            }
            return new Step(VectorMask.fromArray(F, upper, 0), Simd.swap(k));
        }
    }

    /**
     * {@link #sum(FloatVector)} of a vector stored at {@code a[offset..offset + LANES)}, by the same tree in scalar
     * adds (lane i takes lane i + k for k = LANES / 2 down to 1; lanes past k are not read again): bit for bit the
     * same float, for kernels that store their accumulators rather than spend vector calls reducing them. The stored
     * lanes may be overwritten.
     */
    static float sum(float[] a, int offset) {
        if (LANES == 16) {
            return sumWide(a, offset);
        }
        int o = offset;
        if (LANES >= 8) {
            return ((a[o] + a[o + 4]) + (a[o + 2] + a[o + 6])) + ((a[o + 1] + a[o + 5]) + (a[o + 3] + a[o + 7]));
        }
        return (a[o] + a[o + 2]) + (a[o + 1] + a[o + 3]);
    }

    /**
     * The sum of {@link #WIDE} virtual lanes held as {@link #WIDE_PARTS} vectors (lane j of the virtual vector is lane
     * {@code j % LANES} of part {@code j / LANES}; unused parts are zero): the 16-lane tree, whose first steps add
     * whole parts when vectors are narrower.
     */
    static float sumWide(FloatVector p0, FloatVector p1, FloatVector p2, FloatVector p3) {
        return sum(wide(p0, p1, p2, p3));
    }

    /**
     * The vector whose {@link #sum(FloatVector)} is {@link #sumWide}: the parts added as that sum adds them, for
     * kernels that pair their lane sums ({@link #sum2}, {@link #sum4}).
     */
    static FloatVector wide(FloatVector p0, FloatVector p1, FloatVector p2, FloatVector p3) {
        FloatVector a = p0;
        FloatVector b = p1;
        if (LANES == 4) {
            a = a.add(p2);
            b = b.add(p3);
        }
        if (LANES <= 8) {
            a = a.add(b);
        }
        return a;
    }

    /** {@link #sumWide} of the 16 virtual lanes stored at {@code a[offset..offset + 16)}; they may be overwritten. */
    static float sumWide(float[] a, int offset) {
        int o = offset;
        for (int i = o; i < o + 8; i++) {
            a[i] += a[i + 8];
        }
        return ((a[o] + a[o + 4]) + (a[o + 2] + a[o + 6])) + ((a[o + 1] + a[o + 5]) + (a[o + 3] + a[o + 7]));
    }

    private static final VectorShuffle<Float> SWAP_8 = swap(8);
    private static final VectorShuffle<Float> SWAP_4 = swap(4);
    private static final VectorShuffle<Float> SWAP_2 = swap(2);
    private static final VectorShuffle<Float> SWAP_1 = swap(1);
    private static final Step HALF = Step.of(LANES / 2);
    private static final Step QUARTER = Step.of(LANES / 4);
    private static final Step EIGHTH = Step.of(LANES / 8);
    private static final Step SIXTEENTH = Step.of(LANES / 16);
    private static final VectorShuffle<Float> BIT_REVERSED = VectorShuffle.fromOp(F, Simd::bitReversed);

    /** {@code i}'s {@code log2(LANES)} bits in reverse order. */
    private static int bitReversed(int i) {
        int r = 0;
        for (int bit = 1, rev = LANES / 2; bit < LANES; bit <<= 1, rev >>= 1) {
            if ((i & bit) != 0) {
                r |= rev;
            }
        }
        return r;
    }

    private static VectorShuffle<Float> swap(int k) {
        return VectorShuffle.fromOp(F, i -> (i ^ k) % LANES);
    }
}
