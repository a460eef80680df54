package dev.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code gantry bench serve} on stories260K with a few requests: one row per target with positive throughput and
 * latencies and no failures, every output token accounted for (ignore_eos), the ratios printed, llama-server
 * run beside Gantry when the anchor binary is here, and one-line errors for bad arguments. Timings are never
 * compared.
 */
class BenchServeCommandTest {

    private static final Path LLAMA_SERVER = Cli.shared("anchors/bin/llama-server");

    /** The cells of the table row whose target is {@code target}, or fails when there is none. */
    private static List<String> row(String out, String target) {
        return out.lines().filter(l -> l.startsWith("| " + target + " |")).findFirst()
                .map(l -> Arrays.stream(l.substring(1, l.length() - 1).split("\\|")).map(String::trim).toList())
                .orElseThrow(() -> new AssertionError("no row for " + target + " in:\n" + out));
    }

    private static void assertHealthy(List<String> row, int requests, int outputLength) {
        assertThat(Integer.parseInt(row.get(1))).as("completed").isEqualTo(requests);
        assertThat(Integer.parseInt(row.get(2))).as("failed").isZero();
        double reqPerSecond = Double.parseDouble(row.get(3));
        double tokPerSecond = Double.parseDouble(row.get(4));
        assertThat(reqPerSecond).isPositive();
        // ignore_eos: every request produced exactly --output-len tokens, so the two throughputs agree.
        assertThat(tokPerSecond).isCloseTo(reqPerSecond * outputLength, org.assertj.core.data.Percentage.withPercentage(2));
        for (int cell = 5; cell <= 6; cell++) {
            double[] stats = Arrays.stream(row.get(cell).split("/")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
            assertThat(stats).hasSize(3);
            // A first token takes a forward pass; gaps may all be 0.00 ms when a server's chunks arrive in one read.
            if (cell == 5) {
                assertThat(stats[0]).as("TTFT mean").isPositive();
            }
            assertThat(stats[0]).as("mean").isNotNegative();
            assertThat(stats[1]).as("p50").isNotNegative();
            assertThat(stats[2]).as("p99 >= p50").isGreaterThanOrEqualTo(stats[1]);
        }
    }

    @Test
    void gantryWithBatchingOnAndOffEachGetARowOfPositiveMetrics() {
        Cli r = Cli.run("bench", "serve", "-m", Cli.stories(), "--clients", "4", "--requests", "8",
                "--prompt-len", "16", "--output-len", "8", "--warmup", "2", "-t", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertHealthy(row(r.out(), "gantry (batching on)"), 8, 8);
        assertHealthy(row(r.out(), "gantry (batching off)"), 8, 8);
        assertThat(r.out()).contains("output tok/s, Gantry batching on / off: ").contains("p99 TTFT: gantry (batching on)")
                .doesNotContain("llama-server");
    }

    @Test
    void llamaServerGetsItsRowBesideGantry() {
        assumeTrue(Files.isExecutable(LLAMA_SERVER), "no llama-server at " + LLAMA_SERVER);
        Cli r = Cli.run("bench", "serve", "-m", Cli.stories(), "--clients", "4", "--requests", "4",
                "--prompt-len", "16", "--output-len", "8", "--warmup", "1", "-t", "1", "--batching", "on",
                "--llama-server", LLAMA_SERVER.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertHealthy(row(r.out(), "llama-server"), 4, 8);
        assertHealthy(row(r.out(), "gantry (batching on)"), 4, 8);
        assertThat(r.out()).contains("output tok/s, Gantry (batching on) / llama-server: ");
    }

    @Test
    void theOldTopLevelCommandIsGoneAndBadArgumentsAreOneLine() {
        assertThat(Cli.run("bench-serve", "-m", Cli.stories()).exitCode()).isEqualTo(2);
        Cli r = Cli.run("bench", "serve", "-m", Cli.stories(), "--batching", "sometimes");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("gantry: --batching must be on, off or both, not 'sometimes'" + System.lineSeparator());
        Cli big = Cli.run("bench", "serve", "-m", Cli.stories(), "--prompt-len", "100000", "--output-len", "64");
        assertThat(big.exitCode()).isEqualTo(1);
        assertThat(big.err()).contains("exceed the model's context");
    }
}
