package dev.gantry.engine.model;

import dev.gantry.engine.kernel.ComputePool;
import dev.gantry.engine.kernel.Matmul;
import dev.gantry.engine.tensor.BF16;
import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.WeightFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A weight matrix of an encoder. F16 and BF16 matrices are widened to F32 once at load: an encoder multiplies
 * every weight by hundreds of tokens per pass, and widening a half on every use (the Vector API has no half
 * conversion) cost more than the multiply-adds. The activations are still rounded to the stored format first, so
 * each product is exactly the one ggml's F16 x F16 (or BF16 x BF16) dot computes: a product of two 11-bit (8-bit)
 * mantissas is exact in F32. Quantized matrices are used as stored; {@link Matmul} rounds for them.
 *
 * @param weights the matrix Matmul reads (F32 when widened)
 * @param grid    the stored type whose grid the activations go on before an F32 product, or null
 */
record EncoderMatrix(Tensor weights, GgmlType grid) {

    /** Widens F16/BF16 into memory of {@code arena}; other formats stay views into the file. */
    static EncoderMatrix of(Tensor t, Arena arena) {
        if (t.type() != GgmlType.F16 && t.type() != GgmlType.BF16) {
            return new EncoderMatrix(t, null);
        }
        int rows = t.rows();
        int cols = t.cols();
        MemorySegment wide = arena.allocate((long) rows * cols * Float.BYTES, 64);
        WeightFormat format = WeightFormat.of(t.type());
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            format.dequantize(t.data(), r * t.rowBytes(), row, 0, cols);
            MemorySegment.copy(row, 0, wide, ValueLayout.JAVA_FLOAT_UNALIGNED, (long) r * cols * Float.BYTES, cols);
        }
        return new EncoderMatrix(new Tensor(t.name(), GgmlType.F32, t.shape(), wide), t.type());
    }

    /** {@code out = x · Wᵀ} for {@code tokens} rows of x, as {@link Matmul#apply(ComputePool, Tensor, float[], int, float[])}. */
    void apply(ComputePool pool, float[] x, int tokens, float[] out) {
        Matmul.apply(pool, weights, grid == null ? x : rounded(x, tokens * weights.cols()), tokens, out);
    }

    private float[] rounded(float[] x, int n) {
        float[] r = new float[n];
        if (grid == GgmlType.F16) {
            for (int i = 0; i < n; i++) {
                r[i] = Float.float16ToFloat(Float.floatToFloat16(x[i]));
            }
        } else {
            for (int i = 0; i < n; i++) {
                r[i] = BF16.toFloat(BF16.fromFloat(x[i]));
            }
        }
        return r;
    }
}
