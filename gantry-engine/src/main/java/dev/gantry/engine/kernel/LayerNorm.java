package dev.gantry.engine.kernel;

/**
 * Layer normalization (Ba et al., 2016) with gain and bias, as BERT uses it: {@code y = (x - mean) / sqrt(var + eps)
 * * w + b}. Mean and variance are accumulated in double and the scale applied in float, as ggml's
 * {@code ggml_compute_forward_norm_f32} does, so results land on llama.cpp's.
 */
public final class LayerNorm {

    private LayerNorm() {
    }

    /** Normalizes {@code n} values at {@code x[xOff..]} into {@code y[yOff..]} (may be the same place). */
    public static void apply(float[] x, int xOff, float[] weight, float[] bias, float[] y, int yOff, int n, float eps) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[xOff + i];
        }
        float mean = (float) (sum / n);
        double sum2 = 0;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i] - mean;
            y[yOff + i] = v;
            sum2 += v * v;
        }
        float variance = (float) (sum2 / n);
        float scale = 1.0f / (float) Math.sqrt(variance + eps);
        for (int i = 0; i < n; i++) {
            float v = y[yOff + i] * scale;
            if (weight != null) {
                v *= weight[i];
            }
            if (bias != null) {
                v += bias[i];
            }
            y[yOff + i] = v;
        }
    }
}
