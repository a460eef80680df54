package dev.gantry.knowledge;

import dev.gantry.knowledge.embed.Embedder;
import dev.gantry.knowledge.embed.EmbedderCatalog;
import dev.gantry.knowledge.embed.GgufEmbedder;
import dev.gantry.knowledge.embed.InProcessEmbedder;
import dev.gantry.knowledge.index.RankFusion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Retrieval-quality benchmark (not a test): {@link RetrievalCorpus} for several seeds with one embedding model,
 * recall@5 / MRR@10 for keyword, vector and hybrid at several vector weights, plus the relevance-floor measurement
 * (best-chunk cosine similarity of corpus questions and of unrelated ones). KnowledgeRetrievalQualityTest is the
 * one-seed, default-weight version that runs in the build.
 *
 * <pre>
 * java ... dev.gantry.knowledge.RetrievalBenchmark [model=ALL_MINILM_L6_V2_Q|BGE_SMALL_EN_V15_Q|gguf:/path/to/model.gguf]
 *     [seeds=1,2,3] [weights=1,1.5,2]
 * </pre>
 */
public final class RetrievalBenchmark {
    private static final List<String> UNRELATED = List.of("Who won the football world cup in 1998?",
            "What is the boiling point of water?", "How do I bake sourdough bread?", "What is the capital of Australia?",
            "Recommend a good science fiction novel.", "How tall is Mount Everest?", "What time is it in Tokyo right now?",
            "How many legs does a spider have?", "Explain quantum entanglement simply.", "What is the best pizza topping?",
            "What is the salary of an engineer?", "How do I reset my laptop password?", "When is the company holiday party?",
            "What is the parental leave policy?", "Which database is fastest?");

    private RetrievalBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String model = arg(args, "model", "ALL_MINILM_L6_V2_Q");
        Embedder embedder = model.startsWith(GgufEmbedder.ID_PREFIX)
                ? GgufEmbedder.open(Path.of(model.substring(GgufEmbedder.ID_PREFIX.length())),
                        Runtime.getRuntime().availableProcessors(), GgufEmbedder.MINILM_CALIBRATION)
                : new InProcessEmbedder(InProcessEmbedder.Model.valueOf(model));
        List<Double> weights = Arrays.stream(arg(args, "weights", "1,1.5,2").split(",")).map(Double::parseDouble).toList();
        System.out.println("| model | seed | keyword | vector | " + String.join(" | ",
                weights.stream().map(w -> "hybrid w=" + w).toList()) + " | floor: corpus min / unrelated max |");
        for (String seed : arg(args, "seeds", "1,2,3").split(",")) {
            Path root = Files.createTempDirectory("gantry-retrieval");
            try (KnowledgeHub hub = KnowledgeHub.open(KnowledgeConfig.of(root, EmbedderCatalog.of(embedder)))) {
                RetrievalCorpus corpus = new RetrievalCorpus(Long.parseLong(seed), 75, 4, 3);
                hub.createCollection("t", "c", CollectionSettings.defaults());
                hub.ingest("t", "c", corpus.documents().stream().map(d -> DocumentInput.of(d.name(), "text/markdown",
                        d.text().getBytes(StandardCharsets.UTF_8))).toList()).await();
                List<String> cells = new ArrayList<>();
                cells.add(evaluate(hub, corpus, SearchMode.KEYWORD, null));
                cells.add(evaluate(hub, corpus, SearchMode.VECTOR, null));
                for (double w : weights) {
                    cells.add(evaluate(hub, corpus, SearchMode.HYBRID, new RankFusion(1, w, 60)));
                }
                double corpusMin = corpus.questions().stream().mapToDouble(q -> best(hub, q.text())).min().orElseThrow();
                double unrelatedMax = UNRELATED.stream().mapToDouble(q -> best(hub, q)).max().orElseThrow();
                System.out.printf("| %s | %s | %s | %.3f / %.3f |%n", embedder.id(), seed, String.join(" | ", cells),
                        corpusMin, unrelatedMax);
            }
        }
    }

    private static double best(KnowledgeHub hub, String question) {
        return hub.search("t", "c", SearchRequest.of(question, SearchMode.VECTOR, 1)).hits().getFirst().similarity();
    }

    /** "recall@5 / MRR@10" over every question of the corpus. */
    private static String evaluate(KnowledgeHub hub, RetrievalCorpus corpus, SearchMode mode, RankFusion fusion) {
        double found = 0;
        double reciprocal = 0;
        for (RetrievalCorpus.Question q : corpus.questions()) {
            List<SearchHit> hits = hub.search("t", "c", SearchRequest.of(q.text(), mode, 10).withFusion(fusion)).hits();
            for (int i = 0; i < hits.size(); i++) {
                if (hits.get(i).documentName().equals(q.documentName())) {
                    found += i < 5 ? 1 : 0;
                    reciprocal += 1.0 / (i + 1);
                    break;
                }
            }
        }
        int n = corpus.questions().size();
        return String.format("%.3f / %.3f", found / n, reciprocal / n);
    }

    private static String arg(String[] args, String name, String fallback) {
        return Arrays.stream(args).filter(a -> a.startsWith(name + "=")).map(a -> a.substring(name.length() + 1))
                .findFirst().orElse(fallback);
    }
}
