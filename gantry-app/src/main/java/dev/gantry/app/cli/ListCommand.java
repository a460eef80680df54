package dev.gantry.app.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.gguf.GgufMetadata;
import dev.gantry.engine.gguf.GgufTensorInfo;
import dev.gantry.engine.gguf.LlamaFileType;
import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.server.models.ModelSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gantry list}: the models in the models directory, as {@code gantry serve} would name them, with what
 * their GGUF headers say (read without loading the weights). A file that is not a readable GGUF is listed with
 * its error instead of failing the listing.
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the models in the models directory.")
final class ListCommand implements Callable<Integer> {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    @Mixin
    DataDirOptions dirs;

    @Option(names = "--json", description = "One JSON array of models instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** One listed model; {@code error} is set (and the header fields are null) when the file does not read. */
    record Listed(String name, String file, @JsonProperty("size_bytes") long sizeBytes, String architecture,
                  @JsonProperty("file_type") String fileType, Long parameters,
                  @JsonSerialize(using = ToStringSerializer.class) Instant modified, String error) {
    }

    @Override
    public Integer call() throws IOException {
        Path dir = dirs.models();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Listed> models = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            for (Map.Entry<String, Path> e : ModelSource.of(List.of(), dir).scan().entrySet()) {
                models.add(describe(e.getKey(), e.getValue()));
            }
        }
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(models));
        } else if (models.isEmpty()) {
            err.println("gantry: no models in " + dir + " ('gantry pull URL' adds one)");
        } else {
            table(out, models);
        }
        out.flush();
        err.flush();
        return 0;
    }

    private static Listed describe(String name, Path file) throws IOException {
        long size = Files.size(file);
        Instant modified = Files.getLastModifiedTime(file).toInstant();
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufMetadata m = gguf.metadata();
            long params = 0;
            Map<GgmlType, Long> matrices = new EnumMap<>(GgmlType.class);
            for (GgufTensorInfo t : gguf.tensorInfos().values()) {
                params += t.elementCount();
                if (t.shape().length >= 2) {
                    matrices.merge(t.type(), t.elementCount(), Long::sum);
                }
            }
            return new Listed(name, file.toString(), size, m.optionalString("general.architecture").orElse(null),
                    fileType(m, matrices), params, modified, null);
        } catch (RuntimeException e) {
            return new Listed(name, file.toString(), size, null, null, null, modified,
                    e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    /** {@code general.file_type} as llama.cpp names it, else the type most matrix weights are in. */
    private static String fileType(GgufMetadata m, Map<GgmlType, Long> matrices) {
        if (m.has("general.file_type")) {
            var known = LlamaFileType.byId(m.integer("general.file_type"));
            if (known.isPresent()) {
                return known.get().displayName();
            }
        }
        return matrices.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(e -> LlamaFileType.forType(e.getKey()).map(LlamaFileType::displayName).orElse(e.getKey().name()))
                .orElse(null);
    }

    private static void table(PrintWriter out, List<Listed> models) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "SIZE", "ARCH", "TYPE", "PARAMS", "MODIFIED"});
        for (Listed l : models) {
            rows.add(l.error() != null
                    ? new String[] {l.name(), ByteSize.human(l.sizeBytes()), "-", "error: " + l.error(), "-", WHEN.format(l.modified())}
                    : new String[] {l.name(), ByteSize.human(l.sizeBytes()), orDash(l.architecture()), orDash(l.fileType()),
                            count(l.parameters()), WHEN.format(l.modified())});
        }
        int[] width = new int[rows.getFirst().length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length - 1; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i < r.length - 1 ? String.format("%-" + width[i] + "s  ", r[i]) : r[i]);
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    /** A parameter count as model cards write it: 292K, 494M, 7.2B. */
    static String count(long n) {
        if (n < 1_000_000) {
            return Math.round(n / 1e3) + "K";
        }
        if (n < 1_000_000_000) {
            return Math.round(n / 1e6) + "M";
        }
        return String.format("%.1fB", n / 1e9);
    }
}
