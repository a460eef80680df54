package dev.gantry.knowledge;

import static dev.gantry.knowledge.TestHubs.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.knowledge.DocumentOutcome.Status;
import dev.gantry.knowledge.embed.Embedder;
import dev.gantry.knowledge.embed.EmbedderCatalog;
import dev.gantry.knowledge.embed.RetrievalCalibration;
import dev.gantry.knowledge.ingest.DocumentRejectedException.Problem;
import dev.gantry.knowledge.ingest.PdfFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeHubBadInputTest {
    private static final String T = "acme";

    @TempDir
    Path root;

    @Test
    void eachBadDocumentFailsWithAClearErrorAndTheRestOfTheBatchIsIngested() throws Exception {
        byte[] pdf = PdfFixtures.pdf(null, List.of(List.of("A valid page about the heron index.")));
        Path missing = root.resolve("gone.txt");
        try (KnowledgeHub hub = KnowledgeHub.open(KnowledgeConfig.of(root.resolve("k"), EmbedderCatalog.of(new HashingEmbedder()))
                .withMaxDocumentBytes(2_000))) {
            hub.createCollection(T, "docs", CollectionSettings.defaults());
            List<DocumentInput> batch = List.of(
                    text("good-1.txt", "The heron index is rebuilt weekly."),
                    DocumentInput.of("archive.zip", "application/zip", new byte[] {'P', 'K', 3, 4}),
                    DocumentInput.of("slides.pptx", null, new byte[] {'P', 'K', 3, 4}),
                    DocumentInput.of("broken.pdf", null, Arrays.copyOf(pdf, pdf.length / 3)),
                    DocumentInput.of("zero.txt", null, new byte[0]),
                    text("blank.md", "\n\n   \n"),
                    text("huge.txt", "word ".repeat(1_000)),
                    DocumentInput.of("binary.txt", null, new byte[] {1, 2, 0, 3}),
                    DocumentInput.ofFile(missing),
                    DocumentInput.of("good-2.pdf", null, pdf));
            IngestJob job = hub.ingest(T, "docs", batch);
            List<DocumentOutcome> outcomes = job.await();

            assertThat(job.state()).isEqualTo(IngestJob.State.COMPLETED_WITH_ERRORS);
            assertThat(outcomes).extracting(DocumentOutcome::status).containsExactly(Status.ADDED, Status.FAILED,
                    Status.FAILED, Status.FAILED, Status.FAILED, Status.FAILED, Status.FAILED, Status.FAILED,
                    Status.FAILED, Status.ADDED);
            assertThat(outcomes).extracting(DocumentOutcome::problem).containsExactly(null, Problem.UNSUPPORTED_TYPE,
                    Problem.UNSUPPORTED_TYPE, Problem.UNREADABLE, Problem.EMPTY, Problem.EMPTY, Problem.TOO_LARGE,
                    Problem.UNREADABLE, Problem.UNREADABLE, null);
            for (DocumentOutcome o : outcomes) {
                if (o.failed()) {
                    assertThat(o.error()).as(o.name()).contains(o.name().substring(o.name().lastIndexOf('/') + 1)).doesNotContain("\n");
                }
            }
            assertThat(outcomes.get(3).error()).contains("not a readable PDF");
            assertThat(outcomes.get(6).error()).contains("5000 bytes", "2000 bytes");

            assertThat(hub.listDocuments(T, "docs")).extracting(DocumentInfo::name).containsExactly("good-1.txt", "good-2.pdf");
            CollectionInfo info = hub.collection(T, "docs");
            assertThat(info.chunks()).isEqualTo(outcomes.getFirst().chunks() + outcomes.getLast().chunks());
            assertThat(job.progress().documentsDone()).isEqualTo(batch.size());
        }
        assertThat(Files.exists(missing)).isFalse();
    }

    @Test
    void embedderFailureMidDocumentLeavesNothingOfThatDocumentIndexed() throws Exception {
        HashingEmbedder base = new HashingEmbedder();
        var failing = new FailingEmbedder(base, "poison");
        try (KnowledgeHub hub = TestHubs.hub(root, failing)) {
            hub.createCollection(T, "docs", CollectionSettings.defaults().withChunking(16, 0));
            // 40 chunks in batches of 32: the first batch embeds, the poisoned second batch throws
            StringBuilder longDoc = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                longDoc.append("Paragraph ").append(i).append(i == 35 ? " poison" : "").append(" about the ibis.\n\n");
            }
            List<DocumentOutcome> outcomes = hub.ingest(T, "docs", List.of(
                    text("long.txt", longDoc.toString()), text("ok.txt", "A fine ibis."))).await();
            assertThat(outcomes).extracting(DocumentOutcome::status).containsExactly(Status.FAILED, Status.ADDED);
            assertThat(outcomes.getFirst().problem()).isNull();
            assertThat(outcomes.getFirst().error()).contains("long.txt", "embedding service down");
            assertThat(hub.collection(T, "docs").chunks()).isEqualTo(1);
            assertThat(hub.search(T, "docs", SearchRequest.of("paragraph ibis", SearchMode.KEYWORD, 50)).hits())
                    .extracting(SearchHit::documentName).containsOnly("ok.txt");
        }
    }

    @Test
    void ingestingIntoAMissingCollectionFailsAtOnce() {
        try (KnowledgeHub hub = TestHubs.hashing(root)) {
            assertThatThrownBy(() -> hub.ingest(T, "nope", List.of(text("a.txt", "x"))))
                    .isInstanceOfSatisfying(KnowledgeException.class,
                            e -> assertThat(e.reason()).isEqualTo(KnowledgeException.Reason.NOT_FOUND));
        }
    }

    /** Delegates to another embedder but throws on any batch containing a marker word. */
    private record FailingEmbedder(HashingEmbedder delegate, String marker) implements Embedder {
        @Override
        public String id() {
            return delegate.id();
        }

        @Override
        public int dimension() {
            return delegate.dimension();
        }

        @Override
        public int maxInputTokens() {
            return delegate.maxInputTokens();
        }

        @Override
        public RetrievalCalibration calibration() {
            return delegate.calibration();
        }

        @Override
        public int count(String text) {
            return delegate.count(text);
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            if (texts.stream().anyMatch(t -> t.contains(marker))) {
                throw new IllegalStateException("embedding service down");
            }
            return delegate.embedDocuments(texts);
        }

        @Override
        public float[] embedQuery(String query) {
            return delegate.embedQuery(query);
        }
    }
}
