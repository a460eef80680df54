package dev.gantry.engine.kernel;

import dev.gantry.engine.tensor.BF16;
import dev.gantry.engine.tensor.GgmlType;

/**
 * ggml converts the activations of a matrix product to the weight's "vec_dot_type" before the dot products
 * ({@code type_traits_cpu} in ggml-cpu.c): F16 weights meet F16 activations, BF16 weights BF16, the 32-blocks
 * (Q4_0, Q5_0, Q8_0, IQ4_NL) activations quantized to Q8_0, Q4_1/Q5_1 to Q8_1 (same grid), and the K-quants to
 * Q8_K. Putting our activations on the same grid keeps our numbers, and so our near-ties, where llama.cpp's are.
 */
final class ActivationRounding {

    private ActivationRounding() {
    }

    /** {@code x} itself, or a copy of its first {@code n} values on the activation grid of {@code type}. */
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
                    r[i] = BF16.toFloat(BF16.fromFloat(x[i]));
                }
                yield r;
            }
            case Q4_0, Q5_0, Q8_0, IQ4_NL, Q4_1, Q5_1 -> q8_0(x, n);
            case Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_XS -> q8_K(x, n);
            default -> x;
        };
    }

    /** block_q8_0: per 32 values, q = rint(x * 127 / amax), stored scale d = fp16(amax / 127). */
    private static float[] q8_0(float[] x, int n) {
        float[] r = new float[n];
        for (int b = 0; b + 32 <= n; b += 32) {
            float amax = 0;
            for (int i = 0; i < 32; i++) {
                amax = Math.max(amax, Math.abs(x[b + i]));
            }
            float id = amax != 0 ? 127.0f / amax : 0.0f;
            float d = Float.float16ToFloat(Float.floatToFloat16(amax / 127.0f));
            for (int i = 0; i < 32; i++) {
                r[b + i] = (float) Math.rint(x[b + i] * id) * d;
            }
        }
        return r;
    }

    /** block_q8_K (quantize_row_q8_K_ref): per 256 values, scale -127 / (the signed value of largest magnitude). */
    private static float[] q8_K(float[] x, int n) {
        float[] r = new float[n];
        for (int b = 0; b + 256 <= n; b += 256) {
            float amax = 0;
            float max = 0;
            for (int i = 0; i < 256; i++) {
                float ax = Math.abs(x[b + i]);
                if (ax > amax) {
                    amax = ax;
                    max = x[b + i];
                }
            }
            if (amax == 0) {
                continue;
            }
            float iscale = -127.0f / max;
            float d = 1 / iscale;
            for (int i = 0; i < 256; i++) {
                r[b + i] = Math.min(127, (int) Math.rint(iscale * x[b + i])) * d;
            }
        }
        return r;
    }
}
