package dev.gantry.app.cli;

import dev.gantry.engine.gguf.QuantizedModelWriter;
import dev.gantry.engine.tensor.GgmlType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gantry quantize}: rewrites a model with its weight matrices in another type, as {@code llama-quantize
 * --pure} (same bytes for the same input), streaming tensor by tensor. Matrices whose rows do not fit the type's
 * blocks fall back (F32 to F16, others kept) and each is reported on stderr.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Convert a GGUF model's weight matrices to another type (f16, bf16, q8_0, q4_0, ...).")
final class QuantizeCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "IN", description = "GGUF model to read.")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "GGUF file to write.")
    Path output;

    @Option(names = "--type", required = true, paramLabel = "TYPE", description = "Target type of the weight matrices: q4_0, q8_0, f16, bf16, ...")
    String type;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Encoding threads (default: one per core).")
    Integer threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GgmlType target = QuantizedModelWriter.parseType(type);
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + n);
        }
        long start = System.nanoTime();
        QuantizedModelWriter.Result result = QuantizedModelWriter.quantize(input, output, target, n);
        PrintWriter err = spec.commandLine().getErr();
        for (QuantizedModelWriter.Fallback f : result.fallbacks()) {
            err.println("gantry: note: " + f);
        }
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s: %s, %.1f MiB, %d tensors encoded, %d copied, %d fell back (%.1f s)%n", output,
                target.name().toLowerCase(Locale.ROOT), Files.size(output) / 1048576.0, result.encoded(), result.copied(),
                result.fallbacks().size(), (System.nanoTime() - start) / 1e9);
        out.flush();
        return 0;
    }
}
