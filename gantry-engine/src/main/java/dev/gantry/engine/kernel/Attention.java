package dev.gantry.engine.kernel;

/**
 * Scaled dot-product attention of one query head over cached positions {@code [from, to]} (inclusive), with
 * grouped-query sharing of KV heads (Ainslie et al., 2023) and optional logit soft-capping (Gemma 2).
 */
public final class Attention {

    private Attention() {
    }

    /**
     * @param q       query values, head at {@code q[qOff..qOff+headDim)}
     * @param keys    cached keys, position p of this KV head at {@code keys[p * kvStride + kOff]}
     * @param values  cached values, position p at {@code values[p * vStride + vOff]}
     * @param scores  scratch of at least {@code to + 1} floats
     * @param out     receives {@code valueDim} floats at {@code outOff}
     */
    public static void head(float[] q, int qOff, int headDim, float[] keys, int kvStride, int kOff,
                            float[] values, int vStride, int vOff, int valueDim, int from, int to,
                            float scale, float softCap, float[] scores, float[] out, int outOff) {
        int n = to - from + 1;
        for (int p = from; p <= to; p++) {
            int base = p * kvStride + kOff;
            float dot = 0;
            for (int i = 0; i < headDim; i++) {
                dot += q[qOff + i] * keys[base + i];
            }
            float s = dot * scale;
            if (softCap > 0) {
                s = softCap * (float) Math.tanh(s / softCap);
            }
            scores[p - from] = s;
        }
        Softmax.apply(scores, 0, n);
        for (int i = 0; i < valueDim; i++) {
            out[outOff + i] = 0;
        }
        for (int p = from; p <= to; p++) {
            float w = Float.float16ToFloat(Float.floatToFloat16(scores[p - from]));
            int base = p * vStride + vOff;
            for (int i = 0; i < valueDim; i++) {
                out[outOff + i] += w * values[base + i];
            }
        }
    }
}
