package dev.gantry.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Numerically stable softmax in place: the exponentials a vector at a time with ggml's {@link Expf}, their sum in
 * double, one element after another, so the normalisation does not depend on the vector width.
 */
public final class Softmax {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private Softmax() {
    }

    /** Softmax of {@code x[off..off+n)} in place. */
    public static void apply(float[] x, int off, int n) {
        // the maximum does not depend on the order it is taken in, so it goes a vector at a time
        int i = 0;
        FloatVector lanesMax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (; i <= n - F.length(); i += F.length()) {
            lanesMax = lanesMax.max(FloatVector.fromArray(F, x, off + i));
        }
        float max = lanesMax.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        i = 0;
        FloatVector vmax = FloatVector.broadcast(F, max);
        for (; i <= n - F.length(); i += F.length()) {
            Expf.exp(FloatVector.fromArray(F, x, off + i).sub(vmax)).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] = Expf.exp(x[off + i] - max);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += x[off + j];
        }
        float inv = (float) (1.0 / sum);
        for (int j = 0; j < n; j++) {
            x[off + j] *= inv;
        }
    }
}
