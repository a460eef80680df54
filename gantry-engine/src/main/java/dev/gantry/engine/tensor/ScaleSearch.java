package dev.gantry.engine.tensor;

/**
 * The scale-fitting searches of ggml's K-quant reference quantizers (ggml-quants.c {@code nearest_int},
 * {@code make_qx_quants}, {@code make_q3_quants}, {@code make_qkx2_quants}). Each fits one sub-block: it returns the
 * scale and writes the chosen quant levels into {@code l[lOff..lOff+n)}.
 *
 * <p>The float arithmetic follows the C source operation by operation (Java float semantics are those of C on
 * SSE); a C build that contracts {@code a*b+c} into FMA may round a few sums differently, and so may pick a
 * neighbouring scale in rare blocks.
 */
final class ScaleSearch {

    /** ggml {@code GROUP_MAX_EPS}: below this a sub-block counts as all zero. */
    static final float GROUP_MAX_EPS = 1e-15f;

    private ScaleSearch() {
    }

    /** ggml {@code nearest_int}: round half to even (its magic-number trick, valid for |v| &lt;= 2^22). */
    static int nearestInt(float v) {
        return (int) Math.rint(v);
    }

    /**
     * ggml {@code make_qx_quants}: symmetric quants {@code l + nmax} in 0..2nmax-1 with scale chosen among 19
     * candidates near {@code max / -nmax} by weighted least squares. Weights: {@code qw} if given, else by
     * {@code rmseType} (1: x^2, 2: 1, 3: |x|, other: sqrt|x|); {@code rmseType} 0 rounds once without search, a
     * negative type averages the first fit with the plain scale and stops.
     */
    static float makeQxQuants(int n, int nmax, float[] x, int xOff, byte[] l, int lOff, int rmseType, float[] qw) {
        float max = 0;
        float amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[xOff + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xOff + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) {
                l[lOff + i] = 0;
            }
            return 0.0f;
        }
        float iscale = -nmax / max;
        if (rmseType == 0) {
            for (int i = 0; i < n; i++) {
                int q = nearestInt(iscale * x[xOff + i]);
                l[lOff + i] = (byte) (nmax + Math.max(-nmax, Math.min(nmax - 1, q)));
            }
            return 1 / iscale;
        }
        boolean returnEarly = false;
        if (rmseType < 0) {
            rmseType = -rmseType;
            returnEarly = true;
        }
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; i++) {
            float xi = x[xOff + i];
            int q = Math.max(-nmax, Math.min(nmax - 1, nearestInt(iscale * xi)));
            l[lOff + i] = (byte) (q + nmax);
            float w = weight(qw, i, xi, rmseType);
            sumlx += w * xi * q;
            suml2 += w * q * q;
        }
        float scale = suml2 != 0 ? sumlx / suml2 : 0.0f;
        if (returnEarly) {
            return suml2 > 0 ? 0.5f * (scale + 1 / iscale) : 1 / iscale;
        }
        float best = scale * sumlx;
        for (int is = -9; is <= 9; is++) {
            if (is == 0) {
                continue;
            }
            iscale = -(nmax + 0.1f * is) / max;
            sumlx = 0;
            suml2 = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xOff + i];
                int q = Math.max(-nmax, Math.min(nmax - 1, nearestInt(iscale * xi)));
                float w = weight(qw, i, xi, rmseType);
                sumlx += w * xi * q;
                suml2 += w * q * q;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2) {
                for (int i = 0; i < n; i++) {
                    int q = nearestInt(iscale * x[xOff + i]);
                    l[lOff + i] = (byte) (nmax + Math.max(-nmax, Math.min(nmax - 1, q)));
                }
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    private static float weight(float[] qw, int i, float x, int rmseType) {
        if (qw != null) {
            return qw[i];
        }
        return switch (rmseType) {
            case 1 -> x * x;
            case 2 -> 1;
            case 3 -> Math.abs(x);
            default -> (float) Math.sqrt(Math.abs(x));
        };
    }

    /**
     * ggml {@code make_q3_quants}: symmetric quants {@code l + nmax} in 0..2nmax-1; with {@code doRmse} the levels
     * are refined one at a time (up to 5 passes) while that lowers the x^2-weighted error.
     */
    static float makeQ3Quants(int n, int nmax, float[] x, int xOff, byte[] l, int lOff, boolean doRmse) {
        float max = 0;
        float amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[xOff + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xOff + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) {
                l[lOff + i] = 0;
            }
            return 0.0f;
        }
        float iscale = -nmax / max;
        if (doRmse) {
            float sumlx = 0;
            float suml2 = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xOff + i];
                int q = Math.max(-nmax, Math.min(nmax - 1, nearestInt(iscale * xi)));
                l[lOff + i] = (byte) q;
                float w = xi * xi;
                sumlx += w * xi * q;
                suml2 += w * q * q;
            }
            for (int itry = 0; itry < 5; itry++) {
                int changed = 0;
                for (int i = 0; i < n; i++) {
                    float xi = x[xOff + i];
                    float w = xi * xi;
                    float slx = sumlx - w * xi * l[lOff + i];
                    if (slx > 0) {
                        float sl2 = suml2 - w * l[lOff + i] * l[lOff + i];
                        int newL = Math.max(-nmax, Math.min(nmax - 1, nearestInt(xi * sl2 / slx)));
                        if (newL != l[lOff + i]) {
                            slx += w * xi * newL;
                            sl2 += w * newL * newL;
                            if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                                l[lOff + i] = (byte) newL;
                                sumlx = slx;
                                suml2 = sl2;
                                changed++;
                            }
                        }
                    }
                }
                if (changed == 0) {
                    break;
                }
            }
            for (int i = 0; i < n; i++) {
                l[lOff + i] += (byte) nmax;
            }
            return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
        }
        for (int i = 0; i < n; i++) {
            int q = Math.max(-nmax, Math.min(nmax - 1, nearestInt(iscale * x[xOff + i])));
            l[lOff + i] = (byte) (q + nmax);
        }
        return 1 / iscale;
    }

    /**
     * ggml {@code make_qkx2_quants}: asymmetric quants 0..nmax with a scale and a min (min &lt;= 0, returned negated
     * in {@code theMin[0]}), searched over {@code nstep + 1} scales {@code (rmin + rdelta*is + nmax) / (max - min)} by
     * weighted least squares, keeping the fit of least weighted error ({@code useMad}: absolute, else squared).
     */
    static float makeQkx2Quants(int n, int nmax, float[] x, int xOff, float[] weights, byte[] l, int lOff,
                                float[] theMin, byte[] laux, float rmin, float rdelta, int nstep, boolean useMad) {
        float min = x[xOff];
        float max = x[xOff];
        float sumW = weights[0];
        float sumX = sumW * x[xOff];
        for (int i = 1; i < n; i++) {
            float xi = x[xOff + i];
            if (xi < min) {
                min = xi;
            }
            if (xi > max) {
                max = xi;
            }
            float w = weights[i];
            sumW += w;
            sumX += w * xi;
        }
        if (min > 0) {
            min = 0;
        }
        if (max == min) {
            for (int i = 0; i < n; i++) {
                l[lOff + i] = 0;
            }
            theMin[0] = -min;
            return 0.0f;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; i++) {
            int q = Math.max(0, Math.min(nmax, nearestInt(iscale * (x[xOff + i] - min))));
            l[lOff + i] = (byte) q;
            float diff = scale * q + min - x[xOff + i];
            diff = useMad ? Math.abs(diff) : diff * diff;
            bestError += weights[i] * diff;
        }
        if (nstep < 1) {
            theMin[0] = -min;
            return scale;
        }
        for (int is = 0; is <= nstep; is++) {
            iscale = (rmin + rdelta * is + nmax) / (max - min);
            float sumL = 0;
            float sumL2 = 0;
            float sumXL = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xOff + i];
                int q = Math.max(0, Math.min(nmax, nearestInt(iscale * (xi - min))));
                laux[i] = (byte) q;
                float w = weights[i];
                sumL += w * q;
                sumL2 += w * q * q;
                sumXL += w * q * xi;
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det > 0) {
                float thisScale = (sumW * sumXL - sumX * sumL) / det;
                float thisMin = (sumL2 * sumX - sumL * sumXL) / det;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }
                float curError = 0;
                for (int i = 0; i < n; i++) {
                    float diff = thisScale * laux[i] + thisMin - x[xOff + i];
                    diff = useMad ? Math.abs(diff) : diff * diff;
                    curError += weights[i] * diff;
                }
                if (curError < bestError) {
                    System.arraycopy(laux, 0, l, lOff, n);
                    bestError = curError;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        theMin[0] = -min;
        return scale;
    }
}
