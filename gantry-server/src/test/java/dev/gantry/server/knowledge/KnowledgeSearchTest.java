package dev.gantry.server.knowledge;

import static dev.gantry.server.support.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.server.knowledge.KnowledgeServer.FilePart;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search over HTTP in each mode, with scores, highlights, offsets, metadata, filters and fusion weights. */
class KnowledgeSearchTest {

    private static final String SEARCH = "/v1/knowledge/collections/handbook/search";

    @TempDir
    static Path dir;
    private static KnowledgeServer server;

    @BeforeAll
    static void start() throws Exception {
        server = KnowledgeServer.start(dir);
        server.post("/v1/knowledge/collections", "{\"name\":\"handbook\"}");
        String body = "multipart/form-data; boundary=" + KnowledgeServer.BOUNDARY;
        HttpResponse<String> r = server.post("/v1/knowledge/collections/handbook/documents", body, KnowledgeServer.multipart(List.of(
                new FilePart("leave.md", "text/markdown", TestDocuments.markdown()),
                new FilePart("security.html", "text/html", TestDocuments.html()),
                new FilePart("travel.pdf", "application/pdf", TestDocuments.pdf())), Map.of("metadata", "{\"team\":\"people\"}")));
        JsonNode job = server.awaitJob("handbook", json(r.body()).get("id").asText());
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode search(String body) {
        HttpResponse<String> r = server.post(SEARCH, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body());
    }

    @Test
    void everyModeFindsTheDocumentThatHoldsTheWords() {
        for (String mode : List.of("keyword", "vector", "hybrid")) {
            JsonNode result = search("{\"query\":\"disk encryption laptop\",\"mode\":\"" + mode + "\",\"k\":3}");
            assertThat(result.get("object").asText()).isEqualTo("knowledge.search_result");
            assertThat(result.get("mode").asText()).isEqualTo(mode);
            JsonNode top = result.get("data").get(0);
            assertThat(top.get("document_name").asText()).as(mode).isEqualTo("security.html");
            assertThat(top.get("rank").asInt()).isEqualTo(1);
            assertThat(top.get("score").asDouble()).isPositive();
            assertThat(result.get("data").size()).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void hitsCarryOffsetsHighlightsAndTheDocumentsMetadata() {
        JsonNode hit = search("{\"query\":\"expense claims reimbursed\",\"mode\":\"hybrid\"}").get("data").get(0);
        assertThat(hit.get("document_name").asText()).isEqualTo("travel.pdf");
        assertThat(hit.get("page_start").asInt()).isBetween(1, 2);
        assertThat(hit.get("page_end").asInt()).isEqualTo(2);  // the fact is on page 2
        assertThat(hit.get("end").asInt()).isGreaterThan(hit.get("start").asInt());
        assertThat(hit.get("keyword_rank").asInt()).isEqualTo(1);
        assertThat(hit.get("vector_rank").asInt()).isPositive();
        assertThat(hit.get("similarity").asDouble()).isPositive();
        String text = hit.get("text").asText();
        JsonNode highlights = hit.get("highlights");
        assertThat(highlights).isNotEmpty();
        for (JsonNode h : highlights) {
            String word = text.substring(h.get("start").asInt(), h.get("end").asInt()).toLowerCase();
            assertThat(List.of("expense", "claims", "reimbursed")).anyMatch(q -> word.startsWith(q.substring(0, 5)));
        }
        assertThat(hit.get("metadata").get("team").asText()).isEqualTo("people");
        assertThat(hit.get("metadata").get("content_type").asText()).isEqualTo("application/pdf");
    }

    @Test
    void keywordHitsHaveNoSimilarityAndFiltersNarrowTheHits() {
        JsonNode hit = search("{\"query\":\"parental leave\",\"mode\":\"keyword\"}").get("data").get(0);
        assertThat(hit.get("similarity").isNull()).isTrue();
        assertThat(hit.get("vector_rank").asInt()).isZero();
        JsonNode filtered = search("{\"query\":\"parental leave encryption expense\",\"filters\":{\"content_type\":\"text/html\"}}");
        assertThat(filtered.get("data").findValuesAsText("document_name")).containsOnly("security.html");
        JsonNode none = search("{\"query\":\"parental leave\",\"filters\":{\"team\":\"finance\"}}");
        assertThat(none.get("data")).isEmpty();
    }

    @Test
    void weightsDecideWhichListWinsAHybridSearch() {
        JsonNode keywordOnly = search("{\"query\":\"parental leave\",\"weights\":{\"keyword\":1,\"vector\":0}}").get("data").get(0);
        assertThat(keywordOnly.get("keyword_rank").asInt()).isEqualTo(1);
        assertThat(keywordOnly.get("score").asDouble()).isCloseTo(1.0 / 61, org.assertj.core.data.Offset.offset(1e-9));
        JsonNode rrf10 = search("{\"query\":\"parental leave\",\"weights\":{\"keyword\":1,\"vector\":0,\"rrf_k\":10}}").get("data").get(0);
        assertThat(rrf10.get("score").asDouble()).isCloseTo(1.0 / 11, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void badSearchesAre400NamingTheField() {
        for (var bad : Map.of(
                "{\"mode\":\"keyword\"}", "query",
                "{\"query\":\"x\",\"mode\":\"fuzzy\"}", "mode",
                "{\"query\":\"x\",\"k\":0}", "k",
                "{\"query\":\"x\",\"k\":101}", "k",
                "{\"query\":\"x\",\"k\":2.5}", "k",
                "{\"query\":\"x\",\"filters\":{\"team\":3}}", "filters.team",
                "{\"query\":\"x\",\"weights\":{\"keyword\":-1}}", "weights",
                "{\"query\":\"x\",\"weights\":[1,2]}", "weights").entrySet()) {
            HttpResponse<String> r = server.post(SEARCH, bad.getKey());
            assertThat(r.statusCode()).as(bad.getKey() + " -> " + r.body()).isEqualTo(400);
            assertThat(json(r.body()).get("error").get("param").asText()).as(bad.getKey()).isEqualTo(bad.getValue());
        }
        HttpResponse<String> blank = server.post(SEARCH, "{\"query\":\"  \"}");
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(server.post("/v1/knowledge/collections/nope/search", "{\"query\":\"x\"}").statusCode()).isEqualTo(404);
    }
}
