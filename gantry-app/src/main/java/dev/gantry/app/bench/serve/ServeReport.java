package dev.gantry.app.bench.serve;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * The side-by-side table of a {@code gantry bench serve} run, one row per target, and the ratios Gantry issue #5
 * asks for: Gantry (batching on) over llama-server and over Gantry (batching off) in output tokens/s, and each
 * target's p99 TTFT.
 */
public final class ServeReport {

    /** The row names the ratios look for. */
    public static final String GANTRY_ON = "gantry (batching on)";
    public static final String GANTRY_OFF = "gantry (batching off)";
    public static final String LLAMA_SERVER = "llama-server";

    private ServeReport() {
    }

    public static void print(PrintWriter out, String model, ServeLoad load, List<ServeResult> results) {
        out.printf("model %s, %d requests, %d clients, prompt %d, output %d tokens (ignore_eos), %d warm-up requests%n%n",
                model, load.requests(), load.clients(), load.promptLength(), load.outputLength(), load.warmup());
        out.println("| target | completed | failed | req/s | output tok/s | TTFT mean / p50 / p99 (ms) | ITL mean / p50 / p99 (ms) |");
        out.println("|---|---|---|---|---|---|---|");
        for (ServeResult r : results) {
            out.printf("| %s | %d | %d | %.2f | %.1f | %s | %s |%n", r.target(), r.completed(), r.failed(),
                    r.requestsPerSecond(), r.outputTokensPerSecond(), r.ttftMs().format(), r.itlMs().format());
        }
        out.println();
        Optional<ServeResult> on = find(results, GANTRY_ON);
        ratio(out, on, find(results, LLAMA_SERVER), "output tok/s, Gantry (batching on) / llama-server");
        ratio(out, on, find(results, GANTRY_OFF), "output tok/s, Gantry batching on / off");
        StringBuilder p99 = new StringBuilder("p99 TTFT:");
        for (ServeResult r : results) {
            p99.append(String.format(" %s %.1f ms;", r.target(), r.ttftMs().p99()));
        }
        out.println(p99.substring(0, p99.length() - 1));
        for (ServeResult r : results) {
            if (r.resends() > 0) {
                out.printf("%s: %d sends repeated after no response on a reused connection (timed from the resend)%n",
                        r.target(), r.resends());
            }
            if (r.firstError() != null) {
                out.printf("%s: %d failed, the first with: %s%n", r.target(), r.failed(), r.firstError());
            }
        }
        out.flush();
    }

    private static void ratio(PrintWriter out, Optional<ServeResult> a, Optional<ServeResult> b, String label) {
        if (a.isPresent() && b.isPresent()) {
            out.printf("%s: %.2fx%n", label, a.get().outputTokensPerSecond() / b.get().outputTokensPerSecond());
        }
    }

    private static Optional<ServeResult> find(List<ServeResult> results, String target) {
        return results.stream().filter(r -> r.target().equals(target)).findFirst();
    }
}
