package dev.gantry.engine.kernel;

/**
 * Root-mean-square layer norm (Zhang and Sennrich, 2019): {@code y = x / sqrt(mean(x²) + eps) * w}. The sum of
 * squares is accumulated in double, as ggml does, so long rows lose no precision.
 */
public final class RmsNorm {

    private RmsNorm() {
    }

    /** Normalizes {@code n} values at {@code x[xOff..]} into {@code y[yOff..]}; {@code weight} may be null. */
    public static void apply(float[] x, int xOff, float[] weight, float[] y, int yOff, int n, float eps) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            sum += (double) v * v;
        }
        float scale = (float) (1.0 / Math.sqrt(sum / n + eps));
        if (weight == null) {
            for (int i = 0; i < n; i++) {
                y[yOff + i] = x[xOff + i] * scale;
            }
        } else {
            for (int i = 0; i < n; i++) {
                y[yOff + i] = x[xOff + i] * scale * weight[i];
            }
        }
    }
}
