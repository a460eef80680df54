package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Guards the way a Vector API kernel silently becomes ten to fifty times slower while staying correct: C2 stops
 * inlining calls in a method past a node budget ({@code NodeCountInliningCutoff}, reached at about fifty Vector
 * API calls), and a vector call it does not inline returns a boxed vector. Runs {@link KernelSelfCheck} in a
 * child JVM with C2's inlining diagnostics and requires that no call site was refused for that reason.
 *
 * <p>Where a kernel sits near the budget, whether it crosses it can depend on the profile C2 compiled from (a
 * recompilation after an uncommon trap sees more branches taken), and that varies from run to run. A kernel over
 * the budget by its structure is refused in every run; so a run with refusals is repeated once, and the test fails
 * only if the repeat shows refusals too (the first run's are printed, to be looked at).
 */
class KernelCompilationTest {

    @Test
    void everyKernelCompilesWithAllItsVectorCallsInlined() throws IOException, InterruptedException {
        List<String> cutoffs = cutoffsInOneRun();
        if (!cutoffs.isEmpty()) {
            System.out.println("KernelCompilationTest: refusals in a first run, repeating it: " + cutoffs);
            cutoffs = cutoffsInOneRun();
        }
        assertThat(cutoffs).as("call sites C2 refused to inline for lack of node budget, in two runs").isEmpty();
    }

    /** Runs {@link KernelSelfCheck} with C2's diagnostics: the call sites refused for lack of node budget. */
    private static List<String> cutoffsInOneRun() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintInlining", "-XX:+PrintCompilation",
                "-cp", System.getProperty("java.class.path"), KernelSelfCheck.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        // read while it runs: the diagnostics are megabytes and would fill the pipe
        byte[] out = child.getInputStream().readAllBytes();
        boolean done = child.waitFor(300, TimeUnit.SECONDS);
        if (!done) {
            child.destroyForcibly();
        }
        String output = new String(out, StandardCharsets.UTF_8);
        assertThat(done).as("child JVM finished").isTrue();
        assertThat(output).contains("failures=0");
        for (GgmlType type : WeightFormatTest.FORMATS) {
            // PrintCompilation: "<time> <id> <flags> <tier> <method> (<size> bytes)"; tier 4 is C2
            String c2 = "4       " + WeightFormat.of(type).getClass().getName() + "::dot ";
            assertThat(output).as("C2 compiled %s.dot, so its inlining was checked", type).contains(c2);
        }
        for (Class<?> repacked : List.of(Q4_0Lanes.class, Q4_KLanes.class, Q5_KLanes.class, Q6_KLanes.class)) {
            assertThat(output).as("C2 compiled %s.dot", repacked.getSimpleName()).contains("4       " + repacked.getName() + "::dot ");
        }
        return output.lines().filter(l -> l.contains("NodeCountInliningCutoff")).map(String::strip).toList();
    }
}
