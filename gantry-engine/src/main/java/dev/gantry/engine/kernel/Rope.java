package dev.gantry.engine.kernel;

/**
 * Rotary position embedding (Su et al., RoFormer, 2021) as ggml computes it ({@code ggml_rope_ext}): the angle of
 * pair {@code i} at position {@code p} is {@code p · base^(-2i/nDims)}, accumulated in float exactly as ggml's
 * rope cache does, optionally divided by per-dimension frequency factors (Llama 3 / LongRoPE) and blended by YaRN
 * (Peng et al., 2023) when the context is extended. Two pairings exist: NORMAL rotates adjacent elements
 * {@code (2i, 2i+1)} (GGUF llama weights are permuted for it); NEOX rotates {@code (i, i + nDims/2)}.
 * Dimensions past {@code nDims} pass through unchanged.
 */
public final class Rope {

    public enum Pairing { NORMAL, NEOX }

    private final Pairing pairing;
    private final int nDims;
    private final float thetaScale;
    private final float freqScale;
    private final float extFactor;
    private final float attnFactor;
    private final float corrLow;
    private final float corrHigh;
    private final float[] freqFactors;

    /**
     * @param freqScale   1 / linear scaling factor (1 = none)
     * @param yarnOrigCtx original training context for YaRN, or 0 when YaRN is off
     * @param freqFactors per-pair divisors of the angle, or null
     */
    public Rope(Pairing pairing, int nDims, float base, float freqScale, int yarnOrigCtx, float attnFactor, float[] freqFactors) {
        if (nDims <= 0 || nDims % 2 != 0) {
            throw new IllegalArgumentException("rope dimension count must be positive and even, got " + nDims);
        }
        if (freqFactors != null && freqFactors.length < nDims / 2) {
            throw new IllegalArgumentException("rope frequency factors need " + nDims / 2 + " values, got " + freqFactors.length);
        }
        this.pairing = pairing;
        this.nDims = nDims;
        this.thetaScale = (float) Math.pow(base, -2.0f / nDims);
        this.freqScale = freqScale;
        this.freqFactors = freqFactors;
        this.attnFactor = attnFactor;
        if (yarnOrigCtx > 0) {
            this.extFactor = 1.0f;
            this.corrLow = Math.max(0, (float) Math.floor(corrDim(nDims, yarnOrigCtx, 32, base)));
            this.corrHigh = Math.min(nDims - 1, (float) Math.ceil(corrDim(nDims, yarnOrigCtx, 1, base)));
        } else {
            this.extFactor = 0;
            this.corrLow = 0;
            this.corrHigh = 0;
        }
    }

    public static Rope plain(Pairing pairing, int nDims, float base) {
        return new Rope(pairing, nDims, base, 1.0f, 0, 1.0f, null);
    }

    private static float corrDim(int nDims, int origCtx, float nRot, float base) {
        return (float) (nDims * Math.log(origCtx / (nRot * 2 * Math.PI)) / (2 * Math.log(base)));
    }

    public int dims() {
        return nDims;
    }

    /** Fills {@code cos} and {@code sin} ({@code nDims/2} each) with the rotation of position {@code pos}. */
    public void angles(int pos, float[] cos, float[] sin) {
        float theta = pos;
        for (int i = 0; i < nDims / 2; i++) {
            float extrap = freqFactors == null ? theta : theta / freqFactors[i];
            float interp = freqScale * extrap;
            float t = interp;
            float mscale = attnFactor;
            if (extFactor != 0) {
                float y = (i - corrLow) / Math.max(0.001f, corrHigh - corrLow);
                float rampMix = (1 - Math.min(1, Math.max(0, y))) * extFactor;
                t = interp * (1 - rampMix) + extrap * rampMix;
                mscale *= 1.0f + 0.1f * (float) Math.log(1.0f / freqScale);
            }
            cos[i] = (float) Math.cos(t) * mscale;
            sin[i] = (float) Math.sin(t) * mscale;
            theta *= thetaScale;
        }
    }

    /** Rotates {@code heads} consecutive heads of {@code headDim} values at {@code x[off..]} by precomputed angles. */
    public void rotate(float[] x, int off, int heads, int headDim, float[] cos, float[] sin) {
        int half = nDims / 2;
        for (int h = 0; h < heads; h++) {
            int base = off + h * headDim;
            for (int i = 0; i < half; i++) {
                int a = pairing == Pairing.NORMAL ? base + 2 * i : base + i;
                int b = pairing == Pairing.NORMAL ? a + 1 : a + half;
                float x0 = x[a];
                float x1 = x[b];
                x[a] = x0 * cos[i] - x1 * sin[i];
                x[b] = x0 * sin[i] + x1 * cos[i];
            }
        }
    }
}
