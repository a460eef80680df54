package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * The kernel-versus-reference checks of {@link WeightFormatTest} as a plain program, so {@link VectorWidthTest}
 * can run them in a JVM whose preferred vector width differs from this machine's. Prints the lane count and one
 * line per failure; exits 1 if anything failed.
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
            // enough calls for the JIT to compile the kernel at this width
            int n = 3 * Math.max(type.blockSize(), 32) + (type.blockSize() == 1 ? 5 : 0);
            MemorySegment data = RandomBlocks.of(type, n, 1, rnd);
            failures += check(f, data, 1, RandomBlocks.floats(n, rnd), 0, n, 10_000);
            failures += unitVectors(f, data, 1, n);
        }
        System.out.println("lanes=" + Simd.LANES + " failures=" + failures);
        System.exit(failures == 0 ? 0 : 1);
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
