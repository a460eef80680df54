package dev.gantry.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Numerically stable softmax in place: the exponentials a vector at a time with ggml's {@link Expf}, their sum in
 * double over four chains in a fixed order, so the normalisation does not depend on the vector width.
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
        // four chains of double adds in a fixed order (element j to chain j % 4): the same sum on every machine, a
        // quarter of one chain's latency
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j <= n - 4; j += 4) {
            s0 += x[off + j];
            s1 += x[off + j + 1];
            s2 += x[off + j + 2];
            s3 += x[off + j + 3];
        }
        for (; j < n; j++) {
            s0 += x[off + j];
        }
        float inv = (float) (1.0 / ((s0 + s1) + (s2 + s3)));
        FloatVector vinv = FloatVector.broadcast(F, inv);
        j = 0;
        for (; j <= n - F.length(); j += F.length()) {
            FloatVector.fromArray(F, x, off + j).mul(vinv).intoArray(x, off + j);
        }
        for (; j < n; j++) {
            x[off + j] *= inv;
        }
    }
}
