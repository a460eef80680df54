package dev.gantry.app.knowledge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.knowledge.KnowledgeHub;
import dev.gantry.knowledge.SearchHit;
import dev.gantry.knowledge.SearchMode;
import dev.gantry.knowledge.SearchRequest;
import dev.gantry.knowledge.embed.EmbedderCatalog;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gantry search --collection C [--mode keyword|vector|hybrid] [-k 5] [--json] "query"}. With {@code --json},
 * one JSON object per hit and line: {@code document} (the ingested file's path), {@code chunk}, {@code score},
 * {@code text}.
 */
@Command(name = "search", mixinStandardHelpOptions = true, description = "Search a knowledge collection.")
public final class SearchCommand implements Callable<Integer> {
    @Mixin
    KnowledgeOptions options;

    @Parameters(arity = "1..*", paramLabel = "QUERY", description = "The query (words are joined with spaces).")
    List<String> query;

    @Option(names = "--mode", defaultValue = "hybrid", description = "keyword, vector or hybrid (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "-k", defaultValue = "5", description = "Number of hits (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--json", description = "One JSON object per hit and line.")
    boolean json;

    @Option(names = "--filter", paramLabel = "KEY=VALUE", description = "Only hits whose document has this metadata.")
    List<String> filters = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private final EmbedderCatalog embedders;

    public SearchCommand() {
        this(EmbedderCatalog.inProcess());
    }

    public SearchCommand(EmbedderCatalog embedders) {
        this.embedders = embedders;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return CommandErrors.run("search", spec.commandLine().getErr(), () -> {
            SearchRequest request = SearchRequest.of(String.join(" ", query), SearchMode.parse(mode), k)
                    .withFilters(KnowledgeOptions.pairs("--filter", filters));
            List<SearchHit> hits;
            try (KnowledgeHub hub = options.openHub(embedders)) {
                hits = hub.search(options.tenant, options.collection, request).hits();
            }
            ObjectMapper mapper = new ObjectMapper();
            for (SearchHit hit : hits) {
                if (json) {
                    ObjectNode line = mapper.createObjectNode()
                            .put("document", hit.documentName())
                            .put("chunk", hit.chunk())
                            .put("score", hit.score())
                            .put("text", hit.text());
                    out.println(mapper.writeValueAsString(line));
                } else {
                    out.printf("%d. %s (chunk %d%s, score %.4f)%n   %s%n", hit.rank(), hit.documentName(), hit.chunk(),
                            hit.pageStart() > 0 ? ", page " + hit.pageStart() : "", hit.score(), snippet(hit.text()));
                }
            }
            if (hits.isEmpty() && !json) {
                out.println("no hits");
            }
            out.flush();
            return 0;
        });
    }

    private static String snippet(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 240 ? oneLine : oneLine.substring(0, 239) + "…";
    }
}
