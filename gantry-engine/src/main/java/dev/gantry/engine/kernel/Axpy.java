package dev.gantry.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code y += a * x} over {@code n} floats (BLAS {@code saxpy}): how attention accumulates the weighted value
 * rows. One fused multiply-add per element, lane by lane, so the result does not depend on the vector width.
 */
public final class Axpy {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private Axpy() {
    }

    public static void apply(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(F, a);
        for (; i <= n - F.length(); i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).fma(va, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(x[xOff + i], a, y[yOff + i]);
        }
    }
}
