package dev.gantry.app.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Prints results as llama-bench does: a markdown table (its columns and widths, {@code t/s} as "avg ± stddev"),
 * or a JSON array of objects with llama-bench's keys, so tools written for llama-bench read Gantry's output
 * unchanged. With {@code --compare}, the table gains llama.cpp's t/s and the ratio Gantry / llama.cpp per row, and
 * each JSON object gains {@code llamacpp_*} keys and {@code ratio_ts}.
 */
public final class BenchReport {

    /** The backend column: llama-bench prints the ggml backend ("CPU"); Gantry runs on the JVM. */
    public static final String BACKEND = "CPU (Java)";

    private final boolean compare;
    private final BuildInfo build;

    public BenchReport(boolean compare, BuildInfo build) {
        this.compare = compare;
        this.build = build;
    }

    public void markdownHeader(PrintWriter out) {
        String header = String.format("| %-30s | %10s | %10s | %-10s | %7s | %15s | %20s |", "model", "size", "params", "backend", "threads", "test", "t/s");
        String rule = "| " + "-".repeat(30) + " | " + "-".repeat(9) + ": | " + "-".repeat(9) + ": | " + "-".repeat(10) + " | "
                + "-".repeat(6) + ": | " + "-".repeat(14) + ": | " + "-".repeat(19) + ": |";
        if (compare) {
            header += String.format(" %20s | %6s |", "llama.cpp t/s", "ratio");
            rule += " " + "-".repeat(19) + ": | " + "-".repeat(5) + ": |";
        }
        out.println(header);
        out.println(rule);
        out.flush();
    }

    public void markdownRow(PrintWriter out, BenchResult r) {
        String row = String.format("| %-30s | %10s | %10s | %-10s | %7d | %15s | %20s |", r.model().type(), r.model().sizeLabel(),
                r.model().paramsLabel(), BACKEND, r.test().threads(), r.test().name(), ts(r.samples()));
        if (compare) {
            row += String.format(" %20s | %6s |", r.llamaCpp().map(l -> ts(l.samples())).orElse("-"),
                    r.ratio().map(x -> String.format("%.2f", x)).orElse("-"));
        }
        out.println(row);
        out.flush();
    }

    public void markdownFooter(PrintWriter out, List<BenchResult> results) {
        out.println();
        out.println("build: " + build.commit() + " (gantry " + build.version() + ")");
        results.stream().flatMap(r -> r.llamaCpp().stream()).findFirst()
                .ifPresent(l -> out.println("llama.cpp build: " + l.buildCommit() + " (" + l.buildNumber() + ")"));
        out.flush();
    }

    public void json(PrintWriter out, List<BenchResult> results) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode array = mapper.createArrayNode();
        for (BenchResult r : results) {
            array.add(object(mapper, r));
        }
        try {
            out.println(mapper.writeValueAsString(array));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JSON report: " + e.getMessage(), e);
        }
        out.flush();
    }

    private ObjectNode object(ObjectMapper mapper, BenchResult r) {
        ObjectNode o = mapper.createObjectNode();
        o.put("build_commit", build.commit());
        o.put("build_number", 0);
        o.put("cpu_info", build.cpu());
        o.put("gpu_info", "");
        o.put("backends", BACKEND);
        o.put("model_filename", r.model().file().toString());
        o.put("model_type", r.model().type());
        o.put("model_size", r.model().sizeBytes());
        o.put("model_n_params", r.model().params());
        o.put("n_batch", Math.max(1, r.test().nPrompt()));
        o.put("n_ubatch", Math.max(1, r.test().nPrompt()));
        o.put("n_threads", r.test().threads());
        o.put("type_k", "f16");
        o.put("type_v", "f16");
        o.put("n_gpu_layers", 0);
        o.put("embeddings", false);
        o.put("n_prompt", r.test().nPrompt());
        o.put("n_gen", r.test().nGen());
        o.put("n_depth", 0);
        o.put("test_time", r.testTime().truncatedTo(ChronoUnit.SECONDS).toString());
        Samples s = r.samples();
        o.put("avg_ns", s.avgNs());
        o.put("stddev_ns", s.stddevNs());
        o.put("avg_ts", round6(s.avgTs()));
        o.put("stddev_ts", round6(s.stddevTs()));
        ArrayNode ns = o.putArray("samples_ns");
        for (long v : s.ns()) {
            ns.add(v);
        }
        ArrayNode ts = o.putArray("samples_ts");
        for (double v : s.ts()) {
            ts.add(round6(v));
        }
        r.llamaCpp().ifPresent(l -> {
            o.put("llamacpp_build_commit", l.buildCommit());
            o.put("llamacpp_model_type", l.modelType());
            o.put("llamacpp_avg_ts", round6(l.samples().avgTs()));
            o.put("llamacpp_stddev_ts", round6(l.samples().stddevTs()));
            ArrayNode lts = o.putArray("llamacpp_samples_ts");
            for (double v : l.samples().ts()) {
                lts.add(round6(v));
            }
            o.put("ratio_ts", round6(r.ratio().orElseThrow()));
        });
        return o;
    }

    private static String ts(Samples s) {
        return String.format("%.2f ± %.2f", s.avgTs(), s.stddevTs());
    }

    /** llama-bench prints rates with six decimals. */
    private static double round6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
