package dev.gantry.app.cli;

import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.gguf.GgufMetadata;
import dev.gantry.engine.gguf.GgufTensorInfo;
import dev.gantry.engine.model.ModelConfig;
import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gantry show}: what a GGUF model is, without loading it for inference. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Print a model's metadata summary.")
final class ShowCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "GGUF model file.")
    Path model;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (GgufFile file = GgufFile.open(model)) {
            GgufMetadata m = file.metadata();
            ModelConfig c = ModelConfig.from(file);
            Tokenizer tokenizer = Tokenizer.from(m);
            long params = 0;
            Map<GgmlType, Integer> types = new TreeMap<>();
            for (GgufTensorInfo t : file.tensorInfos().values()) {
                params += t.elementCount();
                types.merge(t.type(), 1, Integer::sum);
            }
            row(out, "file", model + " (" + human(Files.size(model)) + ", GGUF v" + file.version() + ")");
            row(out, "name", m.optionalString("general.name").orElse("-"));
            row(out, "architecture", c.architecture().ggufName());
            row(out, "parameters", String.format("%,d", params));
            row(out, "layers", String.valueOf(c.layers()));
            row(out, "embedding", String.valueOf(c.dim()));
            row(out, "heads", c.heads() + " (kv " + c.kvHeads() + ", head size " + c.headDim() + ")");
            row(out, "feed-forward", String.valueOf(c.ffnDim()));
            row(out, "context", String.valueOf(c.contextLength()));
            row(out, "rope", c.architecture().ropePairing().name().toLowerCase() + ", base " + c.ropeBase()
                    + (c.ropeScale() != 1 ? ", scale " + c.ropeScale() : "") + ", dims " + c.ropeDims());
            if (c.slidingWindow() > 0) {
                row(out, "sliding window", String.valueOf(c.slidingWindow()));
            }
            row(out, "tensors", file.tensorInfos().size() + " " + types);
            row(out, "tokenizer", m.optionalString("tokenizer.ggml.model").orElse("-")
                    + m.optionalString("tokenizer.ggml.pre").map(p -> " (pre " + p + ")").orElse("")
                    + ", " + tokenizer.vocabSize() + " tokens, bos " + tokenizer.bosId() + ", eos " + tokenizer.eosId());
            row(out, "chat template", m.has("tokenizer.chat_template") ? "yes" : "no");
        }
        out.flush();
        return 0;
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf("%-15s %s%n", key, value);
    }

    private static String human(long bytes) {
        if (bytes < 1 << 20) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1L << 30) {
            return String.format("%.1f MiB", bytes / 1048576.0);
        }
        return String.format("%.2f GiB", bytes / 1073741824.0);
    }
}
