package dev.gantry.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Single-precision {@code e^x} as ggml computes it in its vector softmax and SiLU ({@code ggml_v_expf}, adapted
 * there from Arm's optimized-routines {@code expf}: at most 1.45 ulp plus 0.5 ulp of rounding). Matching its
 * rounding rather than the JDK's correctly rounded {@code Math.exp} keeps Gantry's log-probabilities, and so its
 * near-ties, where llama.cpp's are.
 *
 * <p>The method: {@code n = round(x / ln 2)} by the 1.5·2^23 shifter, {@code b = x - n·ln 2} in two parts (Cody and
 * Waite), {@code e^b} by a degree-5 polynomial evaluated in Estrin's scheme, and {@code e^x = 2^n · e^b}. This is
 * the AVX-512 form, whose {@code 1 + c1·b} is folded into the polynomial before scaling. Every step is one IEEE
 * operation or fused multiply-add, so the vector and scalar forms below are bit-identical on any vector width.
 */
public final class Expf {

    private static final float SHIFTER = 0x1.8p23f;
    private static final float LOG2_E = 0x1.715476p+0f;
    private static final float LN2_HI = 0x1.62e4p-1f;
    private static final float LN2_LO = 0x1.7f7d1cp-20f;
    private static final float C1 = 0x1.ffffecp-1f;
    private static final float C2 = 0x1.fffdb6p-2f;
    private static final float C3 = 0x1.555e66p-3f;
    private static final float C4 = 0x1.573e2ep-5f;
    private static final float C5 = 0x1.0e4020p-7f;
    /** Below and above these, e^x is 0 and infinity in every form of the computation. */
    private static final float LOWEST = -150;
    private static final float HIGHEST = 100;
    /** Beyond |n| = 192 the result is 0 or infinity whatever the polynomial says. */
    private static final float SATURATION = 192;

    private Expf() {
    }

    /** {@code e^x}, bit for bit what the vector form gives a lane. */
    public static float exp(float x) {
        float z = Math.fma(x, LOG2_E, SHIFTER);
        float n = z - SHIFTER;
        float b = Math.fma(-n, LN2_LO, Math.fma(-n, LN2_HI, x));
        if (!(Math.abs(n) <= SATURATION)) {
            return n <= 0 ? 0.0f : n > 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        }
        return Math.scalb(polynomial(b), (int) n);
    }

    /**
     * {@code e^x} for every lane, without a branch: {@code 2^n} is applied as two normal powers {@code 2^(n >> 1)} and
     * {@code 2^(n - (n >> 1))}, the first product exact, the second rounding once, as {@code scalef} and
     * {@link Math#scalb} do, also where the result is subnormal, zero or infinite. Clamping x to [-150, 100] first
     * changes no result (both ends already give 0 and infinity) and keeps n within the two powers' range.
     */
    public static FloatVector exp(FloatVector v) {
        FloatVector x = v.max(LOWEST).min(HIGHEST);
        FloatVector z = x.fma(LOG2_E, SHIFTER);
        FloatVector n = z.sub(SHIFTER);
        FloatVector b = n.neg().fma(x.broadcast(LN2_LO), n.neg().fma(x.broadcast(LN2_HI), x));
        FloatVector u = b.mul(b);
        FloatVector p = b.fma(C5, C4).fma(u, b.fma(C3, C2)).fma(u, b.fma(C1, 1.0f));
        IntVector k = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);
        IntVector k2 = k.sub(k1);
        return p.mul(power(k1)).mul(power(k2));
    }

    /** 2^k as a float built from its exponent bits, for -126 <= k <= 127. */
    private static FloatVector power(IntVector k) {
        return (FloatVector) k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /** {@code y[i] = x[i] / (1 + e^-x[i])}: ggml's vector SiLU. */
    public static float silu(float x) {
        return x / (1.0f + exp(0.0f - x));
    }

    /** SiLU for every lane. */
    public static FloatVector silu(FloatVector x) {
        return x.div(exp(x.broadcast(0.0f).sub(x)).add(1.0f));
    }

    private static float polynomial(float b) {
        float u = b * b;
        return Math.fma(Math.fma(Math.fma(C5, b, C4), u, Math.fma(C3, b, C2)), u, Math.fma(C1, b, 1.0f));
    }
}
