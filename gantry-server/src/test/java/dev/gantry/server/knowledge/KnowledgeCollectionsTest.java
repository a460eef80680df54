package dev.gantry.server.knowledge;

import static dev.gantry.server.support.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Collections over HTTP: create with settings, list, get, delete, and the errors of each. */
class KnowledgeCollectionsTest {

    @TempDir
    static Path dir;
    private static KnowledgeServer server;

    @BeforeAll
    static void start() {
        server = KnowledgeServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = json(r.body()).get("error");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.has("type") && error.has("param") && error.has("code")).isTrue();
        if (code != null) {
            assertThat(error.get("code").asText()).isEqualTo(code);
        }
    }

    @Test
    void createdCollectionKeepsItsSettingsAndIsListedAndFound() {
        HttpResponse<String> r = server.post("/v1/knowledge/collections", """
                {"name":"handbook","description":"HR policies","embedding_model":"word-hash","chunk_size":128,"chunk_overlap":16}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).hasValue("/v1/knowledge/collections/handbook");
        JsonNode c = json(r.body());
        assertThat(c.get("object").asText()).isEqualTo("knowledge.collection");
        assertThat(c.get("id").asText()).isEqualTo("handbook");
        assertThat(c.get("embedding_model").asText()).isEqualTo("word-hash");
        assertThat(c.get("chunk_size").asInt()).isEqualTo(128);
        assertThat(c.get("chunk_overlap").asInt()).isEqualTo(16);
        assertThat(c.get("description").asText()).isEqualTo("HR policies");
        assertThat(c.get("dimension").asInt()).isEqualTo(64);
        assertThat(c.get("document_count").asInt()).isZero();

        JsonNode list = json(server.get("/v1/knowledge/collections").body());
        assertThat(list.get("object").asText()).isEqualTo("list");
        assertThat(list.get("data").findValuesAsText("name")).contains("handbook");
        JsonNode got = json(server.get("/v1/knowledge/collections/handbook").body());
        assertThat(got.get("chunk_size").asInt()).isEqualTo(128);
    }

    @Test
    void defaultsApplyWhenSettingsAreLeftOut() {
        JsonNode c = json(server.post("/v1/knowledge/collections", "{\"name\":\"plain\"}").body());
        assertThat(c.get("embedding_model").asText()).isEqualTo("word-hash");
        assertThat(c.get("chunk_size").asInt()).isEqualTo(256);
        assertThat(c.get("chunk_overlap").asInt()).isEqualTo(32);
    }

    @Test
    void creatingAnExistingNameIsAConflict() {
        assertThat(server.post("/v1/knowledge/collections", "{\"name\":\"twice\"}").statusCode()).isEqualTo(201);
        assertError(server.post("/v1/knowledge/collections", "{\"name\":\"twice\"}"), 409, "collection_exists");
    }

    @Test
    void deletedCollectionIsGone() {
        server.post("/v1/knowledge/collections", "{\"name\":\"doomed\"}");
        HttpResponse<String> r = server.delete("/v1/knowledge/collections/doomed");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r.body()).get("deleted").asBoolean()).isTrue();
        assertError(server.get("/v1/knowledge/collections/doomed"), 404, "not_found");
        assertError(server.delete("/v1/knowledge/collections/doomed"), 404, "not_found");
    }

    @Test
    void badBodiesAndSettingsAre400() {
        assertError(server.post("/v1/knowledge/collections", "{\"name\":"), 400, null);
        assertError(server.post("/v1/knowledge/collections", "[]"), 400, null);
        assertError(server.post("/v1/knowledge/collections", "{}"), 400, null);
        assertError(server.post("/v1/knowledge/collections", "{\"name\":\"Bad/Name\"}"), 400, "invalid_value");
        assertError(server.post("/v1/knowledge/collections", "{\"name\":\"x\",\"chunk_size\":\"big\"}"), 400, null);
        assertError(server.post("/v1/knowledge/collections", "{\"name\":\"x\",\"chunk_size\":16,\"chunk_overlap\":16}"), 400, null);
        assertError(server.post("/v1/knowledge/collections", "{\"name\":\"x\",\"embedding_model\":\"nope\"}"), 400, null);
        assertError(server.post("/v1/knowledge/collections", "{\"name\":\"x\",\"chunk_size\":100000}"), 400, null);
    }

    @Test
    void unknownCollectionIs404AndWrongMethodIs405() {
        assertError(server.get("/v1/knowledge/collections/nothing-here"), 404, "not_found");
        HttpResponse<String> r = server.method("PUT", "/v1/knowledge/collections");
        assertError(r, 405, "method_not_allowed");
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, POST");
        assertError(server.method("PATCH", "/v1/knowledge/collections/x"), 405, "method_not_allowed");
    }
}
