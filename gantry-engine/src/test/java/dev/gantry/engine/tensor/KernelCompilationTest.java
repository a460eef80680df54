package dev.gantry.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** A PrintCompilation line of tier 4: "<time> <id> <flags> 4 <method> (<size> bytes)". */
    private static final Pattern C2_COMPILE = Pattern.compile("^\\s*\\d+\\s+\\d+\\s+([%sbn!]*)\\s+4\\s+\\S+::");

    @Test
    void everyKernelCompilesWithAllItsVectorCallsInlined() throws IOException, InterruptedException {
        assertNoRefusals(List.of());
    }

    /**
     * The same at 256 bits, the width of the AVX2 machines Gantry serves on, where this machine's is wider: the
     * Vector API compiles a kernel to other nodes at each width, so a kernel within budget at 512 bits may not be
     * at 256.
     */
    @Test
    void everyKernelCompilesWithAllItsVectorCallsInlinedAt256Bits() throws IOException, InterruptedException {
        assumeTrue(Simd.LANES > 8, "this machine's vectors are 256 bits or narrower: the test above covers them");
        assertNoRefusals(List.of("-XX:MaxVectorSize=32"));
    }

    private static void assertNoRefusals(List<String> flags) throws IOException, InterruptedException {
        List<String> cutoffs = cutoffsInOneRun(flags);
        if (!cutoffs.isEmpty()) {
            System.out.println("KernelCompilationTest: refusals in a first run " + flags + ", repeating it: " + cutoffs);
            cutoffs = cutoffsInOneRun(flags);
        }
        assertThat(cutoffs).as("call sites C2 refused to inline for lack of node budget, in two runs " + flags).isEmpty();
    }

    /** Runs {@link KernelSelfCheck} with C2's diagnostics: the call sites refused for lack of node budget. */
    private static List<String> cutoffsInOneRun(List<String> flags) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--add-modules", "jdk.incubator.vector"));
        command.addAll(flags);
        command.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintInlining", "-XX:+PrintCompilation",
                "-cp", System.getProperty("java.class.path"), KernelSelfCheck.class.getName()));
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
            // PrintCompilation: "<time> <id> <flags> <tier> <method> (<size> bytes)"; tier 4 is C2. A dot kernel of
            // the format's: F32.dot, a call of dot2, may be inlined into its callers and never compiled alone
            String c2 = "4       " + WeightFormat.of(type).getClass().getName() + "::dot";
            assertThat(output).as("C2 compiled a dot kernel of %s, so its inlining was checked", type).contains(c2);
        }
        for (Class<?> repacked : List.of(Int4Products.class, Q4_KInterleaved.class, Q6_KInterleaved.class,
                Q8_0Lanes.class, Q5_KInterleaved.class, F16Pairs.class,
                BF16Pairs.class)) {
            assertThat(output).as("C2 compiled %s.dot", repacked.getSimpleName()).contains("4       " + repacked.getName() + "::dot ");
        }
        return refusals(output);
    }

    /**
     * The refusals in standard C2 compiles, each with its method's compile line. PrintInlining prints a compile's
     * tree after its PrintCompilation line; other threads' lines may come between, but no other C2 compile's.
     * On-stack-replacement compiles ({@code %}) are left out: such code runs only the rest of the one long call
     * that triggered it, every later call runs the standard compile, and where their node budgets differ it is at
     * the calls after the loop (the final reduction), which cost nothing per weight.
     */
    private static List<String> refusals(String output) {
        List<String> refusals = new ArrayList<>();
        String compile = "";
        for (String line : output.lines().toList()) {
            Matcher m = C2_COMPILE.matcher(line);
            if (m.find() && !line.contains("made not entrant")) {
                compile = m.group(1).contains("%") ? null : line.strip();
            } else if (line.contains("NodeCountInliningCutoff") && compile != null) {
                refusals.add(compile + ": " + line.strip());
            }
        }
        return refusals;
    }
}
