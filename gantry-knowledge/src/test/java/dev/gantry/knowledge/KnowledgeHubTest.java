package dev.gantry.knowledge;

import static dev.gantry.knowledge.TestHubs.ingest;
import static dev.gantry.knowledge.TestHubs.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.knowledge.DocumentOutcome.Status;
import dev.gantry.knowledge.KnowledgeException.Reason;
import dev.gantry.knowledge.ingest.PdfFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeHubTest {
    private static final String T = "acme";

    @TempDir
    Path root;
    KnowledgeHub hub;

    @BeforeEach
    void open() {
        hub = TestHubs.hashing(root);
        hub.createCollection(T, "docs", CollectionSettings.defaults().withChunking(64, 8).withDescription("team docs"));
    }

    @AfterEach
    void close() {
        hub.close();
    }

    @Test
    void collectionsAreCreatedListedAndDeletedWithTheirSettings() {
        hub.createCollection(T, "hr", CollectionSettings.defaults());
        assertThat(hub.listCollections(T)).extracting(CollectionInfo::name).containsExactly("docs", "hr");
        CollectionInfo docs = hub.collection(T, "docs");
        assertThat(docs.settings()).isEqualTo(new CollectionSettings("hashing-64", 64, 8, "team docs"));
        assertThat(docs.dimension()).isEqualTo(64);
        assertThatThrownBy(() -> hub.createCollection(T, "hr", CollectionSettings.defaults()))
                .isInstanceOfSatisfying(KnowledgeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS));
        hub.deleteCollection(T, "hr");
        assertThat(hub.listCollections(T)).extracting(CollectionInfo::name).containsExactly("docs");
        assertThatThrownBy(() -> hub.collection(T, "hr"))
                .isInstanceOfSatisfying(KnowledgeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    }

    @Test
    void invalidNamesAndUnknownModelsAreInvalidArguments() {
        assertThatThrownBy(() -> hub.createCollection(T, "../etc", CollectionSettings.defaults()))
                .isInstanceOfSatisfying(KnowledgeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
        assertThatThrownBy(() -> hub.createCollection(T, "x", CollectionSettings.defaults().withEmbeddingModel("gpt-embed")))
                .isInstanceOfSatisfying(KnowledgeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT))
                .hasMessageContaining("gpt-embed").hasMessageContaining("hashing-64");
        assertThatThrownBy(() -> hub.createCollection(T, "x", CollectionSettings.defaults().withChunking(600, 8)))
                .hasMessageContaining("512-token input");
    }

    @Test
    void ingestsEveryFormatAsAJobWithProgressAndListsTheDocuments() throws Exception {
        byte[] pdf = PdfFixtures.pdf("Runbook", List.of(List.of("Page one mentions the zebra failover."),
                List.of("Page two mentions the walrus restore.")));
        IngestJob job = hub.ingest(T, "docs", List.of(
                text("notes.txt", "Plain notes about the giraffe cluster."),
                text("guide.md", "# Guide\n\nThe pelican service runs on port 8443."),
                DocumentInput.of("page.html", "text/html",
                        "<html><title>Page</title><body><p>The okapi queue drains hourly.</p></body></html>".getBytes(StandardCharsets.UTF_8)),
                DocumentInput.of("runbook.pdf", null, pdf, Map.of("team", "sre"))));
        List<DocumentOutcome> outcomes = job.await();
        assertThat(outcomes).extracting(DocumentOutcome::status).containsOnly(Status.ADDED);
        assertThat(job.state()).isEqualTo(IngestJob.State.SUCCEEDED);
        IngestProgress p = job.progress();
        assertThat(p.documentsDone()).isEqualTo(4).isEqualTo(p.documentsTotal());
        assertThat(p.chunksDone()).isEqualTo(p.chunksTotal()).isEqualTo(outcomes.stream().mapToInt(DocumentOutcome::chunks).sum());
        assertThat(hub.job(T, job.id())).containsSame(job);

        assertThat(hub.listDocuments(T, "docs")).extracting(DocumentInfo::name, DocumentInfo::contentType)
                .containsExactly(
                        org.assertj.core.api.Assertions.tuple("guide.md", "text/markdown"),
                        org.assertj.core.api.Assertions.tuple("notes.txt", "text/plain"),
                        org.assertj.core.api.Assertions.tuple("page.html", "text/html"),
                        org.assertj.core.api.Assertions.tuple("runbook.pdf", "application/pdf"));
        DocumentInfo runbook = hub.document(T, "docs", outcomes.get(3).documentId());
        assertThat(runbook.pages()).isEqualTo(2);
        assertThat(runbook.title()).isEqualTo("Runbook");
        assertThat(runbook.metadata()).isEqualTo(Map.of("team", "sre"));

        SearchHit walrus = hub.search(T, "docs", SearchRequest.of("walrus restore", SearchMode.HYBRID, 1)).hits().getFirst();
        assertThat(walrus.documentName()).isEqualTo("runbook.pdf");
        // both short pages fit in one chunk, which records the pages it spans
        assertThat(walrus.pageStart()).isEqualTo(1);
        assertThat(walrus.pageEnd()).isEqualTo(2);
        assertThat(hub.collection(T, "docs").documents()).isEqualTo(4);
    }

    @Test
    void hitsPointIntoTheDocumentTextAndHighlightTheQueryTerms() throws Exception {
        String body = "# Storage\n\nOld intro paragraph.\n\n## Retention\n\nBackups are retained for 30 days in the vault.";
        String id = ingest(hub, T, "docs", text("storage.md", body)).getFirst().documentId();
        for (SearchMode mode : SearchMode.values()) {
            SearchHit hit = hub.search(T, "docs", SearchRequest.of("how long are backups retained", mode, 3)).hits().getFirst();
            assertThat(hit.text()).as(mode.name()).contains("Backups are retained");
            assertThat(hub.documentText(T, "docs", id).substring(hit.start(), hit.end())).isEqualTo(hit.text());
            assertThat(hit.headingPath()).isEqualTo(List.of("Storage", "Retention"));
            if (mode != SearchMode.VECTOR) {
                assertThat(hit.highlights()).extracting(s -> hit.text().substring(s.start(), s.end()))
                        .contains("Backups", "retained");
            }
            assertThat(hit.similarity() == null).isEqualTo(mode == SearchMode.KEYWORD);
        }
    }

    @Test
    void reingestingIsANoOpForTheSameBytesAndReplacesAllChunksOfAnUpdatedDocument() throws Exception {
        assertThat(ingest(hub, T, "docs", text("a.txt", "The capybara fleet.\n\nSecond paragraph about lemurs.")))
                .extracting(DocumentOutcome::status).containsExactly(Status.ADDED);
        assertThat(ingest(hub, T, "docs", text("a.txt", "The capybara fleet.\n\nSecond paragraph about lemurs.")))
                .extracting(DocumentOutcome::status).containsExactly(Status.UNCHANGED);
        assertThat(ingest(hub, T, "docs", text("copy-of-a.txt", "The capybara fleet.\n\nSecond paragraph about lemurs.")))
                .singleElement().satisfies(o -> {
                    assertThat(o.status()).isEqualTo(Status.DUPLICATE);
                    assertThat(o.documentId()).isEqualTo(hub.listDocuments(T, "docs").getFirst().id());
                });
        assertThat(ingest(hub, T, "docs", text("a.txt", "Now only about the narwhal.")))
                .extracting(DocumentOutcome::status).containsExactly(Status.REPLACED);
        assertThat(hub.search(T, "docs", SearchRequest.of("capybara lemurs", SearchMode.KEYWORD, 5)).hits()).isEmpty();
        assertThat(hub.search(T, "docs", SearchRequest.of("narwhal", SearchMode.KEYWORD, 5)).hits()).hasSize(1);
        assertThat(hub.collection(T, "docs").chunks()).isEqualTo(1);
    }

    @Test
    void deletingADocumentRemovesAllItsChunks() throws Exception {
        String id = ingest(hub, T, "docs", text("a.txt", "Axolotl one.\n\n" + "Axolotl filler sentence here. ".repeat(40)))
                .getFirst().documentId();
        ingest(hub, T, "docs", text("b.txt", "Axolotl elsewhere."));
        assertThat(hub.collection(T, "docs").chunks()).isGreaterThan(2);
        hub.deleteDocument(T, "docs", id);
        assertThat(hub.search(T, "docs", SearchRequest.of("axolotl", SearchMode.HYBRID, 10)).hits())
                .extracting(SearchHit::documentName).containsOnly("b.txt");
        assertThatThrownBy(() -> hub.deleteDocument(T, "docs", id))
                .isInstanceOfSatisfying(KnowledgeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    }

    @Test
    void filtersRestrictHitsToMatchingMetadataInEveryMode() throws Exception {
        hub.ingest(T, "docs", List.of(
                DocumentInput.of("hr.txt", null, "Holiday policy for staff.".getBytes(StandardCharsets.UTF_8), Map.of("dept", "hr")),
                DocumentInput.of("eng.txt", null, "Holiday policy for servers.".getBytes(StandardCharsets.UTF_8), Map.of("dept", "eng"))))
                .await();
        for (SearchMode mode : SearchMode.values()) {
            SearchRequest request = SearchRequest.of("holiday policy", mode, 5).withFilters(Map.of("dept", "eng"));
            assertThat(hub.search(T, "docs", request).hits()).as(mode.name())
                    .extracting(SearchHit::documentName).containsExactly("eng.txt");
            SearchRequest byName = SearchRequest.of("holiday policy", mode, 5).withFilters(Map.of("document", "hr.txt"));
            assertThat(hub.search(T, "docs", byName).hits()).extracting(SearchHit::documentName).containsExactly("hr.txt");
        }
    }

    private static List<DocumentInput> manyDocuments(String prefix, int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> text(prefix + i + ".txt", "Document " + i + " of " + prefix + ".\n\n"
                        + "Filler sentence for chunking. ".repeat(12)))
                .toList();
    }

    @Test
    void cancelledQueuedJobTouchesNothingAndClosingStopsARunningJobCleanly() throws Exception {
        IngestJob running = hub.ingest(T, "docs", manyDocuments("a", 120));
        IngestJob queued = hub.ingest(T, "docs", manyDocuments("b", 5));
        queued.cancel();
        assertThat(queued.await()).isEmpty();
        assertThat(queued.state()).isEqualTo(IngestJob.State.CANCELLED);

        hub.close(); // cancels the running job after its current group
        assertThat(running.state()).isIn(IngestJob.State.CANCELLED, IngestJob.State.SUCCEEDED);
        hub = TestHubs.hashing(root);
        List<DocumentInfo> docs = hub.listDocuments(T, "docs");
        assertThat(docs).hasSize(running.outcomes().size()).noneMatch(d -> d.name().startsWith("b"));
        for (DocumentInfo d : docs) {
            assertThat(hub.documentChunks(T, "docs", d.id())).hasSize(d.chunks());
        }
    }

    @Test
    void indexAndSettingsPersistAcrossHubRestarts() throws Exception {
        ingest(hub, T, "docs", text("a.txt", "The quokka gateway."));
        hub.close();
        hub = TestHubs.hashing(root);
        assertThat(hub.listCollections(T)).extracting(CollectionInfo::name).containsExactly("docs");
        assertThat(hub.search(T, "docs", SearchRequest.of("quokka", SearchMode.HYBRID, 1)).hits())
                .extracting(SearchHit::documentName).containsExactly("a.txt");
    }

    @Test
    void searchRequestsAreValidated() {
        assertThatThrownBy(() -> SearchRequest.of(" ", SearchMode.HYBRID, 5)).hasMessageContaining("empty");
        assertThatThrownBy(() -> SearchRequest.of("q", SearchMode.HYBRID, 0)).hasMessageContaining("k must be");
        assertThatThrownBy(() -> SearchMode.parse("semantic")).hasMessageContaining("keyword, vector or hybrid");
        assertThat(SearchMode.parse(" Vector ")).isEqualTo(SearchMode.VECTOR);
    }
}
