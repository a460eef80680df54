package dev.gantry.engine.tensor;

/**
 * Activations quantized as ggml's {@code block_q8_0} ({@code quantize_row_q8_0_ref}): per 32 values, the scale
 * {@code d = fp16(amax / 127)} and the quants {@code q = rint(x * 127 / amax)}, so {@code x} is about {@code q * d}.
 * llama.cpp quantizes the activations of every Q4_0 product this way and sums integer products; the
 * {@link Q8Products} formats do the same. Quants are kept as shorts, the width their kernels multiply in.
 *
 * @param quants {@code tokens} rows of {@code cols} quants
 * @param scales {@code tokens} rows of {@code cols / 32} scales
 */
public record Q8Activations(short[] quants, float[] scales, int cols, int tokens) {

    /** Values quantized together. */
    public static final int BLOCK = 32;

    /** The first {@code tokens} rows of {@code cols} values of {@code x} ({@code cols} a multiple of {@link #BLOCK}). */
    public static Q8Activations of(float[] x, int cols, int tokens) {
        return of(x, 0, cols, tokens);
    }

    /** {@code tokens} rows of {@code cols} values of {@code x}, the first at {@code offset}, each {@code cols} after it. */
    static Q8Activations of(float[] x, int offset, int cols, int tokens) {
        if (cols % BLOCK != 0) {
            throw new IllegalArgumentException("Q8_0 activations need a multiple of " + BLOCK + " values, got " + cols);
        }
        int n = cols * tokens;
        short[] quants = new short[n];
        float[] scales = new float[n / BLOCK];
        for (int b = 0; b < n / BLOCK; b++) {
            int from = offset + b * BLOCK;
            float amax = 0;
            for (int i = 0; i < BLOCK; i++) {
                amax = Math.max(amax, Math.abs(x[from + i]));
            }
            float id = amax != 0 ? 127.0f / amax : 0.0f;
            scales[b] = Float.float16ToFloat(Float.floatToFloat16(amax / 127.0f));
            for (int i = 0; i < BLOCK; i++) {
                quants[b * BLOCK + i] = (short) Math.rint(x[from + i] * id);
            }
        }
        return new Q8Activations(quants, scales, cols, tokens);
    }
}
