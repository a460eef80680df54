package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The layout of 4-bit quants that {@link Q5_KLanes} repacks to, made for this machine's vector width so that a
 * lane's quant becomes a float in two vector operations.
 *
 * <p>A unit is {@link #UNIT} consecutive weights in one vector of {@code LANES} little-endian ints, eight passes of
 * {@code LANES} weights: weight {@code p * LANES + i} of the unit is in int {@code i}, at nibble {@code p / 2} for an
 * even pass {@code p} and {@code 4 + p / 2} for an odd one ({@link #nibble}). So passes {@code 2k} and {@code 2k + 1}
 * lie at bits 0..3 and 16..19 of the ints shifted right by {@code 4k}. Or-ed with the exponent of 2^23 (of 2^7), a
 * quant {@code q} there is the float 2^23 + q (2^7 + q) exactly, and less 2^23 (2^7) plus a format's offset it is
 * {@code q - offset}: an and-or (one {@code vpternlogd} on AVX-512) and a subtraction per vector, where a GGUF
 * layout, two nibbles in a byte, costs a widening shuffle, a shift, a mask and a conversion, and a subtraction for
 * an offset.
 */
final class NibbleLanes {

    private static final int LANES = Simd.LANES;
    /** Weights in one vector of ints: eight nibbles a lane. */
    static final int UNIT = 8 * LANES;
    /** Bytes of one unit. */
    static final int UNIT_BYTES = UNIT / 2;
    private static final int LOW_EXPONENT = (127 + 23) << 23;
    private static final int HIGH_EXPONENT = (127 + 7) << 23;
    private static final float LOW_MAGIC = 1 << 23;
    private static final float HIGH_MAGIC = 1 << 7;

    private NibbleLanes() {
    }

    /** The nibble of its int that holds pass {@code pass} of a unit. */
    static int nibble(int pass) {
        return pass % 2 == 0 ? pass / 2 : 4 + pass / 2;
    }

    /** The quant of weight {@code w} of the unit at byte {@code unit}: the scalar reference of the layout. */
    static int quant(MemorySegment data, long unit, int w) {
        int word = data.get(Simd.LE_INT, unit + 4L * (w % LANES));
        return (word >>> (4 * nibble(w / LANES))) & 0xF;
    }

    /** The unit at byte {@code offset}. */
    static IntVector load(MemorySegment data, long offset) {
        return IntVector.fromMemorySegment(Simd.I, data, offset, ByteOrder.LITTLE_ENDIAN);
    }

    /** A unit's ints shifted for passes {@code 2k} and {@code 2k + 1}. */
    static IntVector shift(IntVector unit, int k) {
        return unit.lanewise(VectorOperators.LSHR, 4 * k);
    }

    /** Pass {@code 2k} of the ints {@link #shift}ed for it: its quants minus {@code offset}, as floats. */
    static FloatVector low(IntVector shifted, float offset) {
        return low(shifted, 0xF, offset);
    }

    /**
     * {@link #low} for quants wider than a nibble ({@code mask} 0x1F: Q5_K's, whose high bit the
     * kernel has put just above the nibble): the bits of {@code mask}, minus {@code offset}, as floats.
     */
    static FloatVector low(IntVector quants, int mask, float offset) {
        return quants.and(mask).or(LOW_EXPONENT).reinterpretAsFloats().sub(LOW_MAGIC + offset);
    }

    /** Pass {@code 2k + 1} of the ints {@link #shift}ed for it: its quants minus {@code offset}, as floats. */
    static FloatVector high(IntVector shifted, float offset) {
        return high(shifted, 0xF, offset);
    }

    /** {@link #high} for quants wider than a nibble: the bits of {@code mask << 16}, minus {@code offset}, as floats. */
    static FloatVector high(IntVector quants, int mask, float offset) {
        return quants.and(mask << 16).or(HIGH_EXPONENT).reinterpretAsFloats().sub(HIGH_MAGIC + offset);
    }

    /**
     * Pass {@code p} of a unit, its quants minus {@code offset} as floats: {@link #low} or {@link #high} of the
     * shifted ints, chosen by arithmetic rather than a branch, for kernels whose loop must stay one pass long to keep
     * within C2's inlining budget.
     */
    static FloatVector pass(IntVector unit, int p, float offset) {
        int odd = p & 1;
        int exponent = LOW_EXPONENT - odd * (16 << 23);
        return shift(unit, p >> 1).and(0xF << (16 * odd)).or(exponent).reinterpretAsFloats()
                .sub(Float.intBitsToFloat(exponent) + offset);
    }

    /**
     * {@code words} with {@code LANES} quants (0..15, in the low bits of {@code quants}' lanes) placed as pass
     * {@code pass} of the unit: the repacking step.
     */
    static IntVector place(IntVector words, IntVector quants, int pass) {
        return words.or(quants.and(0xF).lanewise(VectorOperators.LSHL, 4 * nibble(pass)));
    }
}
