package dev.gantry.app.knowledge;

import dev.gantry.knowledge.KnowledgeConfig;
import dev.gantry.knowledge.KnowledgeHub;
import dev.gantry.knowledge.embed.EmbedderCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every knowledge command shares (a picocli mixin), and opening the hub they name. */
public final class KnowledgeOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.gantry",
            description = "Gantry's data directory; knowledge lives in DIR/knowledge (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--tenant", paramLabel = "ID", defaultValue = "local",
            description = "Tenant whose collections to use (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = {"-c", "--collection"}, paramLabel = "NAME", required = true, description = "The collection.")
    String collection;

    @Option(names = "--embedding-gguf", paramLabel = "FILE",
            description = "A GGUF embedding model (e.g. all-MiniLM-L6-v2) run by Gantry's engine, usable as embedding "
                    + "model gguf:<file name without .gguf> (repeatable).")
    List<Path> ggufEmbedders = new ArrayList<>();

    KnowledgeHub openHub(EmbedderCatalog embedders) {
        return KnowledgeHub.open(KnowledgeConfig.of(dataDir.resolve("knowledge"), catalog(embedders)));
    }

    /** {@code embedders} plus the GGUF files named with {@code --embedding-gguf}. */
    EmbedderCatalog catalog(EmbedderCatalog embedders) {
        return embedders.withGguf(ggufEmbedders, Runtime.getRuntime().availableProcessors());
    }

    /** Parses {@code key=value} pairs given with a repeatable option. */
    static Map<String, String> pairs(String option, List<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(option + " takes KEY=VALUE, got '" + v + "'");
            }
            out.put(v.substring(0, eq), v.substring(eq + 1));
        }
        return out;
    }
}
