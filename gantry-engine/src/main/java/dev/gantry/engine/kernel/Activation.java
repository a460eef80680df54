package dev.gantry.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The gated feed-forward activations: SwiGLU (Shazeer, 2020) for Llama-family models and GeGLU with the tanh
 * approximation of GELU for Gemma. ggml evaluates GELU through a table indexed by the half-precision input and
 * stores half-precision outputs ({@code GGML_GELU_FP16}); we round the same way so Gemma matches llama.cpp, and
 * SiLU takes ggml's vector exponential ({@link Expf}).
 */
public enum Activation {
    SILU,
    GELU;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final float SQRT_2_OVER_PI = 0.79788456080286535587989211986876f;
    private static final float GELU_COEF_A = 0.044715f;

    /** {@code out[i] = act(gate[i]) * up[i]} for {@code n} values. */
    public void gated(float[] gate, int gateOff, float[] up, int upOff, float[] out, int outOff, int n) {
        if (this == SILU) {
            int i = 0;
            for (; i <= n - F.length(); i += F.length()) {
                FloatVector g = FloatVector.fromArray(F, gate, gateOff + i);
                Expf.silu(g).mul(FloatVector.fromArray(F, up, upOff + i)).intoArray(out, outOff + i);
            }
            for (; i < n; i++) {
                out[outOff + i] = Expf.silu(gate[gateOff + i]) * up[upOff + i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[outOff + i] = gelu(gate[gateOff + i]) * up[upOff + i];
            }
        }
    }

    static float gelu(float x) {
        if (x <= -10.0f) {
            return 0.0f;
        }
        if (x >= 10.0f) {
            return x;
        }
        float h = Float.float16ToFloat(Float.floatToFloat16(x));
        float y = 0.5f * h * (1.0f + (float) Math.tanh(SQRT_2_OVER_PI * h * (1.0f + GELU_COEF_A * h * h)));
        return Float.float16ToFloat(Float.floatToFloat16(y));
    }
}
