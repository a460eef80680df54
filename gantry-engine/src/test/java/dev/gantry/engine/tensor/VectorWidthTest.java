package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernels are written for any lane count (4, 8 or 16 floats); this machine's JVM picks one. Capping the JIT's
 * vector size runs them at 128 bits too (the width of NEON, and of SSE), in a child JVM. Wider than the machine
 * cannot be tested here: 512-bit code paths share the same generic loops. F16 products, which accumulate in 16 lanes
 * whatever the width, must come out bit for bit the same in both JVMs.
 */
class VectorWidthTest {

    @Test
    void kernelsMatchTheReferenceWithFourLaneVectors() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-XX:MaxVectorSize=16", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), KernelSelfCheck.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean done = child.waitFor(300, TimeUnit.SECONDS);
        if (!done) {
            child.destroyForcibly();
        }
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as("child JVM finished within 300 s").isTrue();
        assertThat(output).contains("lanes=4 failures=0");
        assertThat(output).as("F16 dot products at 128 bits are bit-identical to this machine's " + Simd.LANES + " lanes")
                .contains("f16-fingerprint=" + KernelSelfCheck.f16Fingerprint());
        assertThat(child.exitValue()).as(output).isZero();
    }
}
