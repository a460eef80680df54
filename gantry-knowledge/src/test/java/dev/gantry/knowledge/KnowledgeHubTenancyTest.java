package dev.gantry.knowledge;

import static dev.gantry.knowledge.TestHubs.ingest;
import static dev.gantry.knowledge.TestHubs.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.knowledge.KnowledgeException.Reason;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeHubTenancyTest {
    @TempDir
    Path root;
    KnowledgeHub hub;
    String acmeDocId;
    IngestJob acmeJob;

    @BeforeEach
    void setUp() throws Exception {
        hub = TestHubs.hashing(root);
        hub.createCollection("acme", "hr", CollectionSettings.defaults());
        hub.createCollection("acme", "secret", CollectionSettings.defaults());
        hub.createCollection("globex", "hr", CollectionSettings.defaults());
        acmeJob = hub.ingest("acme", "hr", List.of(text("salaries.txt", "Acme salary bands are confidential: band seven.")));
        acmeDocId = acmeJob.await().getFirst().documentId();
        ingest(hub, "globex", "hr", text("handbook.txt", "Globex salary reviews happen each spring."));
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private static void assertNotFound(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(KnowledgeException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    }

    @Test
    void tenantsListOnlyTheirOwnCollections() {
        assertThat(hub.listCollections("acme")).extracting(CollectionInfo::name).containsExactly("hr", "secret");
        assertThat(hub.listCollections("globex")).extracting(CollectionInfo::name).containsExactly("hr");
        assertThat(hub.listCollections("initech")).isEmpty();
        assertNotFound(() -> hub.collection("globex", "secret"));
        assertNotFound(() -> hub.search("globex", "secret", SearchRequest.of("salary", SearchMode.HYBRID, 5)));
        assertNotFound(() -> hub.ingest("globex", "secret", List.of(text("x.txt", "x"))));
        assertNotFound(() -> hub.deleteCollection("globex", "secret"));
    }

    @Test
    void sameCollectionNameInTwoTenantsHoldsSeparateDocumentsAndHits() {
        for (SearchMode mode : SearchMode.values()) {
            assertThat(hub.search("globex", "hr", SearchRequest.of("salary bands confidential", mode, 10)).hits())
                    .as(mode.name()).extracting(SearchHit::documentName).containsOnly("handbook.txt");
            assertThat(hub.search("acme", "hr", SearchRequest.of("salary reviews spring", mode, 10)).hits())
                    .as(mode.name()).extracting(SearchHit::documentName).containsOnly("salaries.txt");
        }
        assertThat(hub.listDocuments("globex", "hr")).extracting(DocumentInfo::name).containsExactly("handbook.txt");
        assertNotFound(() -> hub.document("globex", "hr", acmeDocId));
        assertNotFound(() -> hub.documentText("globex", "hr", acmeDocId));
        assertNotFound(() -> hub.deleteDocument("globex", "hr", acmeDocId));
        assertThat(hub.document("acme", "hr", acmeDocId).name()).isEqualTo("salaries.txt");
    }

    @Test
    void answersAndJobsStayWithinTheTenant() {
        ExtractiveAnswerModel model = new ExtractiveAnswerModel(4096);
        Answer answer = hub.answer("globex", "hr", AnswerRequest.of("What are the salary bands?"), model, t -> { });
        assertThat(answer.sources()).extracting(Citation::documentName).doesNotContain("salaries.txt");
        assertThat(model.lastPrompt() == null ? "" : model.lastPrompt()).doesNotContain("band seven");
        assertThat(hub.job("globex", acmeJob.id())).isEmpty();
        assertThat(hub.jobs("globex")).noneMatch(j -> j.id().equals(acmeJob.id()));
        assertThat(hub.job("acme", acmeJob.id())).isPresent();
    }

    @Test
    void deletingOneTenantsCollectionLeavesTheOtherTenantsIntact() {
        hub.deleteCollection("globex", "hr");
        assertThat(hub.search("acme", "hr", SearchRequest.of("salary", SearchMode.KEYWORD, 5)).hits()).hasSize(1);
        assertThat(hub.listCollections("acme")).hasSize(2);
    }

    @Test
    void tenantIdsThatCouldReachAnotherTenantsDirectoryAreRejected() {
        for (String bad : new String[] {"../acme", "acme/../globex", "ACME", ".", ""}) {
            assertThatThrownBy(() -> hub.listCollections(bad)).as(bad).isInstanceOfSatisfying(KnowledgeException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
            assertThatThrownBy(() -> hub.collection(bad, "hr")).as(bad).isInstanceOfSatisfying(KnowledgeException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
        }
    }
}
