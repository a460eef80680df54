package dev.gantry.engine.kernel;

import dev.gantry.engine.tensor.GgmlType;

/**
 * ggml converts the activations of a matrix product to the weight's "vec_dot_type" before the dot products: F16
 * weights meet F16 activations, BF16 weights BF16 activations ({@code type_traits_cpu} in ggml-cpu.c). Rounding
 * ours the same way keeps near-ties on the side llama.cpp puts them.
 */
final class ActivationRounding {

    private ActivationRounding() {
    }

    /** {@code x} itself, or a copy of its first {@code n} values rounded for weights of {@code type}. */
    static float[] forWeights(GgmlType type, float[] x, int n) {
        return switch (type) {
            case F16 -> {
                float[] r = new float[n];
                for (int i = 0; i < n; i++) {
                    r[i] = Float.float16ToFloat(Float.floatToFloat16(x[i]));
                }
                yield r;
            }
            case BF16 -> {
                float[] r = new float[n];
                for (int i = 0; i < n; i++) {
                    r[i] = toBf16(x[i]);
                }
                yield r;
            }
            default -> x;
        };
    }

    /** Round to nearest even, as ggml's GGML_FP32_TO_BF16. */
    static float toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return Float.intBitsToFloat(((bits >>> 16) | 64) << 16);
        }
        return Float.intBitsToFloat(((bits + (0x7fff + ((bits >>> 16) & 1))) >>> 16) << 16);
    }
}
