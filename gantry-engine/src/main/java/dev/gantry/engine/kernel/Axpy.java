package dev.gantry.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code y += a * x} over {@code n} floats (BLAS {@code saxpy}): how attention accumulates the weighted value
 * rows. One fused multiply-add per element, lane by lane, so the result does not depend on the vector width.
 */
public final class Axpy {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;

    private Axpy() {
    }

    public static void apply(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(F, a);
        for (; i <= n - F.length(); i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).fma(va, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        // what is left, in narrower vectors (heads of 8 values): the same fused multiply-add per element
        if (F.length() > 8 && i <= n - 8) {
            FloatVector.fromArray(F8, x, xOff + i).fma(FloatVector.broadcast(F8, a), FloatVector.fromArray(F8, y, yOff + i))
                    .intoArray(y, yOff + i);
            i += 8;
        }
        if (F.length() > 4 && i <= n - 4) {
            FloatVector.fromArray(F4, x, xOff + i).fma(FloatVector.broadcast(F4, a), FloatVector.fromArray(F4, y, yOff + i))
                    .intoArray(y, yOff + i);
            i += 4;
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(x[xOff + i], a, y[yOff + i]);
        }
    }
}
