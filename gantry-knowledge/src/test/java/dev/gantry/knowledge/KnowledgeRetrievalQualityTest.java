package dev.gantry.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.knowledge.embed.Embedder;
import dev.gantry.knowledge.embed.EmbedderCatalog;
import dev.gantry.knowledge.embed.InProcessEmbedder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retrieval quality on {@link RetrievalCorpus} with the real in-process embedding model (all-MiniLM-L6-v2, int8):
 * recall@5 and MRR@10 per search mode, printed for BENCHMARKS.md ({@code GgufRetrievalQualityTest} runs the same
 * on Gantry's own engine with the GGUF copy of the model). Hybrid must do at least as well as the
 * better single ranker on both measures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KnowledgeRetrievalQualityTest {
    private static final String T = "bench";
    private static final String C = "corpus";

    KnowledgeHub hub;
    Embedder embedder;
    RetrievalCorpus corpus;
    final Map<SearchMode, double[]> scores = new EnumMap<>(SearchMode.class);

    @BeforeAll
    void ingestCorpus(@TempDir Path root) throws Exception {
        corpus = new RetrievalCorpus(7, 75, 4, 3);
        hub = KnowledgeHub.open(KnowledgeConfig.of(root, EmbedderCatalog.of(embedder())));
        hub.createCollection(T, C, CollectionSettings.defaults());
        long t0 = System.nanoTime();
        List<DocumentOutcome> outcomes = hub.ingest(T, C, corpus.documents().stream()
                .map(d -> DocumentInput.of(d.name(), "text/markdown", d.text().getBytes(StandardCharsets.UTF_8)))
                .toList()).await();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(outcomes).noneMatch(DocumentOutcome::failed);
        int chunks = hub.collection(T, C).chunks();
        System.out.printf("%s: retrieval corpus: %d documents, %d chunks, %d questions, ingested in %d ms%n",
                embedder().id(), corpus.documents().size(), chunks, corpus.questions().size(), ms);
        for (SearchMode mode : SearchMode.values()) {
            scores.put(mode, evaluate(mode));
        }
        System.out.println("| mode | recall@5 | MRR@10 |");
        System.out.println("|---|---|---|");
        scores.forEach((mode, s) -> System.out.printf("| %s | %.3f | %.3f |%n", mode.name().toLowerCase(), s[0], s[1]));
    }

    /** The model under test; subclasses measure other embedders on the same corpus and bar. */
    Embedder embedder() {
        if (embedder == null) {
            embedder = new InProcessEmbedder(InProcessEmbedder.Model.ALL_MINILM_L6_V2_Q);
        }
        return embedder;
    }

    @AfterAll
    void close() throws Exception {
        hub.close();
        if (embedder instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** recall@5: the question's document is among the top 5 hits; MRR@10: mean of 1/rank of its first hit. */
    private double[] evaluate(SearchMode mode) {
        double found = 0;
        double reciprocal = 0;
        for (RetrievalCorpus.Question q : corpus.questions()) {
            List<SearchHit> hits = hub.search(T, C, SearchRequest.of(q.text(), mode, 10)).hits();
            for (int i = 0; i < hits.size(); i++) {
                if (hits.get(i).documentName().equals(q.documentName())) {
                    found += i < 5 ? 1 : 0;
                    reciprocal += 1.0 / (i + 1);
                    break;
                }
            }
        }
        int n = corpus.questions().size();
        return new double[] {found / n, reciprocal / n};
    }

    @Test
    void hybridIsAtLeastAsGoodAsTheBetterSingleRanker() {
        double[] kw = scores.get(SearchMode.KEYWORD);
        double[] vec = scores.get(SearchMode.VECTOR);
        double[] hybrid = scores.get(SearchMode.HYBRID);
        assertThat(hybrid[0]).as("hybrid recall@5").isGreaterThanOrEqualTo(Math.max(kw[0], vec[0]));
        assertThat(hybrid[1]).as("hybrid MRR@10").isGreaterThanOrEqualTo(Math.max(kw[1], vec[1]));
    }

    /**
     * The model's relevance floor (cosine 0.30 for MiniLM) separates the corpus's questions from unrelated ones: on
     * three corpus seeds, no corpus question's best chunk scored below 0.32 and unrelated questions stayed below 0.29.
     */
    @Test
    void unrelatedQuestionsGetNothingRelevantAndCorpusQuestionsGetSources() {
        ExtractiveAnswerModel model = new ExtractiveAnswerModel(4096);
        List<String> unrelated = List.of("Who won the football world cup in 1998?", "What is the boiling point of water?",
                "How do I bake sourdough bread?", "What is the capital of Australia?", "How tall is Mount Everest?",
                "How many legs does a spider have?", "Recommend a good science fiction novel.");
        for (String q : unrelated) {
            assertThat(hub.answer(T, C, AnswerRequest.of(q), model, t -> { }).relevantFound()).as(q).isFalse();
        }
        assertThat(model.calls()).isZero();
        for (RetrievalCorpus.Question q : corpus.questions().subList(0, 40)) {
            Answer answer = hub.answer(T, C, AnswerRequest.of(q.text()), model, t -> { });
            assertThat(answer.relevantFound()).as(q.text()).isTrue();
            assertThat(answer.sources()).isNotEmpty();
        }
    }

    @Test
    void eachRankerFindsMostDocumentsSoTheComparisonMeansSomething() {
        assertThat(scores.get(SearchMode.KEYWORD)[0]).isGreaterThan(0.3);
        assertThat(scores.get(SearchMode.VECTOR)[0]).isGreaterThan(0.3);
    }
}
