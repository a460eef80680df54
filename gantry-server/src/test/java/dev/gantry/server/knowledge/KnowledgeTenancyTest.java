package dev.gantry.server.knowledge;

import static dev.gantry.server.support.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.server.ServerConfig;
import dev.gantry.server.knowledge.KnowledgeServer.FilePart;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One tenant can neither see nor change another's collections, documents or jobs, and is told "not found" (404,
 * never 403), so it cannot even learn which names exist. Tenants come from the API key ({@link KnowledgeServer}).
 */
class KnowledgeTenancyTest {

    private static final String HR = "/v1/knowledge/collections/hr";

    @TempDir
    static Path dir;
    private static KnowledgeServer server;
    private static String aliceDocument;
    private static String aliceJob;

    @BeforeAll
    static void aliceBuildsHr() {
        server = KnowledgeServer.start(dir).as(KnowledgeServer.ALICE);
        JsonNode job = server.collectionWith("hr", Map.of("salaries.txt", "The salary bands are confidential to Alice's company."));
        aliceJob = job.get("id").asText();
        aliceDocument = job.get("documents").get(0).get("document_id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertNotFound(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(json(r.body()).get("error").get("message").asText()).doesNotContain("alice");
    }

    @Test
    void anotherTenantGets404OnEveryRouteOfTheCollection() {
        server.as(KnowledgeServer.BOB);
        try {
            assertThat(json(server.get("/v1/knowledge/collections").body()).get("data")).isEmpty();
            assertNotFound(server.get(HR));
            assertNotFound(server.get(HR + "/documents"));
            assertNotFound(server.get(HR + "/documents/" + aliceDocument));
            assertNotFound(server.delete(HR + "/documents/" + aliceDocument));
            assertNotFound(server.get(HR + "/jobs"));
            assertNotFound(server.get(HR + "/jobs/" + aliceJob));
            assertNotFound(server.post(HR + "/search", "{\"query\":\"salary bands\"}"));
            assertNotFound(server.post(HR + "/answer", "{\"question\":\"What are the salary bands?\",\"max_tokens\":4}"));
            assertNotFound(server.upload("hr", List.of(new FilePart("evil.txt", "text/plain",
                    "Overwritten by Bob.".getBytes(StandardCharsets.UTF_8)))));
            assertNotFound(server.delete(HR));
        } finally {
            server.as(KnowledgeServer.ALICE);
        }
        JsonNode hr = json(server.get(HR).body());
        assertThat(hr.get("document_count").asInt()).isEqualTo(1);
        assertThat(json(server.post(HR + "/search", "{\"query\":\"salary bands\"}").body()).get("data")).hasSize(1);
    }

    @Test
    void tenantsMayUseTheSameNameWithoutSeeingEachOther() {
        server.as(KnowledgeServer.BOB);
        try {
            JsonNode job = server.collectionWith("shared-name", Map.of("bob.txt", "Bob keeps his own notes here."));
            assertThat(job.get("status").asText()).isEqualTo("succeeded");
            assertThat(json(server.get("/v1/knowledge/collections").body()).get("data").findValuesAsText("name"))
                    .containsExactly("shared-name");
        } finally {
            server.as(KnowledgeServer.ALICE);
        }
        HttpResponse<String> created = server.post("/v1/knowledge/collections", "{\"name\":\"shared-name\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(server.get("/v1/knowledge/collections/shared-name").body()).get("document_count").asInt()).isZero();
    }

    @Test
    void requestsWithoutAKeyActForTheDefaultTenant() {
        server.as(null);
        try {
            assertNotFound(server.get(HR));
            assertThat(server.post("/v1/knowledge/collections", "{\"name\":\"anon\"}").statusCode()).isEqualTo(201);
        } finally {
            server.as(KnowledgeServer.ALICE);
        }
        assertThat(server.hub().listCollections(TenantResolver.DEFAULT_TENANT)).extracting(c -> c.name()).contains("anon");
        assertThat(server.hub().listCollections("alice")).extracting(c -> c.name()).doesNotContain("anon");
    }

    @Test
    void aServerWithAnApiKeyRefusesKnowledgeRequestsWithoutIt(@TempDir Path other) {
        try (KnowledgeServer keyed = KnowledgeServer.start(other, ServerConfig.of("127.0.0.1", 0).withApiKey(KnowledgeServer.ALICE),
                ServedKnowledge.DEFAULT_MAX_UPLOAD_BYTES)) {
            assertThat(keyed.as(null).get("/v1/knowledge/collections").statusCode()).isEqualTo(401);
            assertThat(keyed.as(KnowledgeServer.BOB).get("/v1/knowledge/collections").statusCode()).isEqualTo(401);
            assertThat(keyed.as(KnowledgeServer.ALICE).get("/v1/knowledge/collections").statusCode()).isEqualTo(200);
        }
    }
}
