package dev.gantry.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The kernel-versus-reference checks of {@link WeightFormatTest} as a plain program, so tests can run them in a
 * JVM with other flags: {@link VectorWidthTest} with a narrower vector width, {@link KernelCompilationTest} with
 * JIT diagnostics. Prints the lane count and one line per failure; exits 1 if anything failed.
 */
final class KernelSelfCheck {

    private KernelSelfCheck() {
    }

    public static void main(String[] args) {
        int failures = 0;
        for (GgmlType type : WeightFormatTest.FORMATS) {
            WeightFormat f = WeightFormat.of(type);
            Random rnd = new Random(type.ordinal());
            int[] lengths = type.blockSize() == 1
                    ? new int[] {1, 3, 17, 67, 1025}
                    : new int[] {type.blockSize(), 2 * type.blockSize(), 3 * type.blockSize(), 7 * type.blockSize(), 33 * type.blockSize()};
            for (int n : lengths) {
                for (long pad : new long[] {0, 1, 3}) {
                    MemorySegment data = RandomBlocks.of(type, n, pad, rnd);
                    float[] x = RandomBlocks.floats(n + 2, rnd);
                    failures += check(f, data, pad, x, 2, n, 1);
                }
            }
            // enough calls on realistic rows, row after row as a matrix-vector product walks them, for the JIT to
            // compile the kernel at this width
            int n = 16 * Math.max(type.blockSize(), 256) + (type.blockSize() == 1 ? 5 : 0);
            int rows = 32;
            long rowBytes = type.byteSize(n);
            MemorySegment data = RandomBlocks.of(type, n * rows, 0, rnd);
            if (f instanceof Quantizer q) {
                // realistic scales: quantized Gaussian weights, as in a model file
                for (int r = 0; r < rows; r++) {
                    q.quantize(BlockBytes.gaussian(n, r), 0, data, r * rowBytes, n);
                }
            }
            failures += warm(f, data, 0, rowBytes, rows, RandomBlocks.floats(n, rnd), n, 100);
            failures += warmTokens(f, data, rowBytes, rows, RandomBlocks.floats(4 * n, rnd), n, 30);
            if (WeightPanel.supports(f)) {
                failures += warmPanel(f, data, rowBytes, rows, RandomBlocks.floats(11 * n, rnd), n, 11, 30);
            }
            failures += unitVectors(f, data, 0, n);
        }
        failures += repacked(new Random(99));
        System.out.println("lanes=" + Simd.LANES + " failures=" + failures);
        System.out.println("f16-fingerprint=" + f16Fingerprint());
        System.exit(failures == 0 ? 0 : 1);
    }

    /** The same checks on the layouts {@link Repacking} makes, for rows quantized from Gaussian weights. */
    private static int repacked(Random rnd) {
        int failures = 0;
        List<GgmlType> types = new ArrayList<>(List.of(GgmlType.Q4_0, GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q5_K,
                GgmlType.Q6_K, GgmlType.BF16));
        if (F16Pairs.fits()) {
            types.add(GgmlType.F16);
        }
        for (GgmlType type : types) {
            int n = 32 * Math.max(8 * Simd.LANES, type.blockSize());
            int rows = 32;
            long fileRowBytes = type.byteSize(n);
            MemorySegment file = Arena.ofAuto().allocate(fileRowBytes * rows);
            for (int r = 0; r < rows; r++) {
                ((Quantizer) WeightFormat.of(type)).quantize(BlockBytes.gaussian(n, r), 0, file, r * fileRowBytes, n);
            }
            Tensor t = Repacking.forKernels(new Tensor("check", type, new long[] {n, rows}, file), Arena.ofAuto());
            if (!t.repacked()) {
                System.out.println("FAIL " + type + " was not repacked");
                failures++;
                continue;
            }
            WeightFormat f = t.format();
            if (f instanceof Q8Products q8) {
                failures += warmProducts(q8, t, rnd);
                continue;
            }
            for (int r = 0; r < 3; r++) {
                failures += check(f, t.data(), r * t.rowBytes(), RandomBlocks.floats(n + 2, rnd), 2, n, 1);
            }
            failures += warm(f, t.data(), 0, t.rowBytes(), rows, RandomBlocks.floats(n, rnd), n, 100);
            failures += warmTokens(f, t.data(), t.rowBytes(), rows, RandomBlocks.floats(4 * n, rnd), n, 30);
            failures += warmPanel(f, t.data(), t.rowBytes(), rows, RandomBlocks.floats(11 * n, rnd), n, 11, 30);
            failures += unitVectors(f, t.data(), 0, n);
        }
        return failures;
    }

    /**
     * Products of every row of {@code t} with one token and with seven (the four-, two- and one-token kernels)
     * through {@link Q8Products#multiply}, each bit-identical to {@link WeightFormat#dot} alone, and that near the
     * reference over the activations as they were quantized.
     */
    private static int warmProducts(Q8Products f, Tensor t, Random rnd) {
        int n = t.cols();
        int rows = t.rows();
        for (int tokens : new int[] {1, 7}) {
            float[] x = RandomBlocks.floats(tokens * n, rnd);
            Q8Activations q = Q8Activations.of(f.activations(), x, n, tokens);
            float[] grid = new float[tokens * n];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = q.quants()[i] * q.scales()[i / Q8Activations.BLOCK];
            }
            float[] out = new float[tokens * rows];
            // enough calls for a standard C2 compile of each kernel, not only on-stack replacement: a call is 32 rows
            for (int pass = 0; pass < 2000 / tokens; pass++) {
                f.multiply(t.data(), 0, rows, q, out, 0, rows);
            }
            for (int tok = 0; tok < tokens; tok++) {
                for (int r = 0; r < rows; r++) {
                    float alone = f.dot(t.data(), r * t.rowBytes(), x, tok * n, n);
                    double[] ref = WeightFormatTest.reference(f, t.data(), r * t.rowBytes(), grid, tok * n, n);
                    float got = out[tok * rows + r];
                    if (got != alone || !(Math.abs(got - ref[0]) <= 1e-5 * ref[1] + 1e-30)) {
                        System.out.println("FAIL " + f.type() + " multiply row " + r + " token " + tok + ": " + got
                                + ", dot alone " + alone + ", reference " + ref[0]);
                        return 1;
                    }
                }
            }
        }
        return 0;
    }

    /**
     * A hash of the exact bits of F16 dot products over fixed data, rows of lengths around and between vector
     * steps: F16 accumulates in {@link Simd#WIDE} lanes on every machine, so every width must print the same value.
     * (The panel kernel is checked against the dot bit for bit at each width above.)
     */
    static long f16Fingerprint() {
        WeightFormat f = WeightFormat.of(GgmlType.F16);
        Random rnd = new Random(2024);
        long hash = 17;
        for (int n : new int[] {7, 16, 40, 64, 100, 2048, 4099}) {
            MemorySegment data = RandomBlocks.of(GgmlType.F16, n, 0, rnd);
            float[] x = RandomBlocks.floats(3 * n, rnd);
            float[] out = new float[3];
            f.dotTokens(data, 0, x, 0, n, 3, n, out, 0, 1);
            for (float v : new float[] {f.dot(data, 0, x, 0, n), out[0], out[1], out[2]}) {
                hash = hash * 31 + Float.floatToRawIntBits(v);
            }
        }
        return hash;
    }

    private static int check(WeightFormat f, MemorySegment data, long offset, float[] x, int xOffset, int n, int calls) {
        double[] ref = WeightFormatTest.reference(f, data, offset, x, xOffset, n);
        for (int i = 0; i < calls; i++) {
            float dot = f.dot(data, offset, x, xOffset, n);
            if (!(Math.abs(dot - ref[0]) <= 1e-5 * ref[1] + 1e-30)) {
                System.out.println("FAIL " + f.type() + " n=" + n + " offset=" + offset + " call " + i
                        + ": dot " + dot + ", reference " + ref[0]);
                return 1;
            }
        }
        return 0;
    }

    /** {@code passes} matrix-vector products over all rows through {@link WeightFormat#dotRows}, each checked. */
    private static int warm(WeightFormat f, MemorySegment data, long offset, long rowBytes, int rows, float[] x, int n,
                            int passes) {
        double[][] refs = new double[rows][];
        for (int r = 0; r < rows; r++) {
            refs[r] = WeightFormatTest.reference(f, data, offset + r * rowBytes, x, 0, n);
        }
        float[] out = new float[rows];
        for (int i = 0; i < passes; i++) {
            f.dotRows(data, offset, rowBytes, rows, x, 0, n, out, 0);
            for (int r = 0; r < rows; r++) {
                if (!(Math.abs(out[r] - refs[r][0]) <= 1e-5 * refs[r][1] + 1e-30)) {
                    System.out.println("FAIL " + f.type() + " row " + r + " pass " + i + ": dot " + out[r]
                            + ", reference " + refs[r][0]);
                    return 1;
                }
            }
        }
        return 0;
    }

    /** {@code passes} products of every row with four tokens through {@link WeightFormat#dotTokens}, each checked. */
    private static int warmTokens(WeightFormat f, MemorySegment data, long rowBytes, int rows, float[] x, int n,
                                  int passes) {
        float[] out = new float[4];
        for (int i = 0; i < passes; i++) {
            for (int r = 0; r < rows; r++) {
                f.dotTokens(data, r * rowBytes, x, 0, n, 4, n, out, 0, 1);
                for (int t = 0; t < 4; t++) {
                    float alone = f.dot(data, r * rowBytes, x, t * n, n);
                    if (out[t] != alone) {
                        System.out.println("FAIL " + f.type() + " row " + r + " token " + t + ": dotTokens " + out[t]
                                + ", dot alone " + alone);
                        return 1;
                    }
                }
            }
        }
        return 0;
    }

    /** {@code passes} products of a {@link WeightPanel} of every row with {@code tokens} tokens, each checked. */
    private static int warmPanel(WeightFormat f, MemorySegment data, long rowBytes, int rows, float[] x, int n,
                                 int tokens, int passes) {
        WeightPanel panel = new WeightPanel();
        float[] out = new float[tokens * rows];
        for (int i = 0; i < passes; i++) {
            panel.load(f, data, 0, rowBytes, rows, n);
            panel.multiply(x, 0, n, tokens, out, 0, rows);
            for (int t = 0; t < tokens; t++) {
                for (int r = 0; r < rows; r++) {
                    float alone = f.dot(data, r * rowBytes, x, t * n, n);
                    if (out[t * rows + r] != alone) {
                        System.out.println("FAIL " + f.type() + " panel row " + r + " token " + t + ": "
                                + out[t * rows + r] + ", dot alone " + alone);
                        return 1;
                    }
                }
            }
        }
        return 0;
    }

    private static int unitVectors(WeightFormat f, MemorySegment data, long offset, int n) {
        float[] w = new float[n];
        f.dequantize(data, offset, w, 0, n);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1;
            float picked = f.dot(data, offset, x, 0, n);
            x[i] = 0;
            if (!(Math.abs(picked - w[i]) <= Math.abs(w[i]) * 1e-6f)) {
                System.out.println("FAIL " + f.type() + " weight " + i + ": dot with unit vector " + picked + ", decoded " + w[i]);
                return 1;
            }
        }
        return 0;
    }
}
