package dev.gantry.server.knowledge;

import static dev.gantry.server.support.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.server.ServerConfig;
import dev.gantry.server.knowledge.KnowledgeServer.FilePart;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads (multipart and JSON) become ingest jobs that are polled to their end, with an outcome per document; the
 * documents are then listed, read and deleted.
 */
class KnowledgeDocumentsTest {

    @TempDir
    static Path dir;
    private static KnowledgeServer server;
    /** Small enough to test 413 cheaply, large enough for the generated files. */
    private static final long UPLOAD_LIMIT = 64 * 1024;

    @BeforeAll
    static void start() {
        server = KnowledgeServer.start(dir, ServerConfig.of("127.0.0.1", 0), UPLOAD_LIMIT);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String create(String name) {
        HttpResponse<String> r = server.post("/v1/knowledge/collections", "{\"name\":\"" + name + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return "/v1/knowledge/collections/" + name;
    }

    private static JsonNode outcome(JsonNode job, String name) {
        for (JsonNode d : job.get("documents")) {
            if (d.get("name").asText().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no outcome for " + name + " in " + job);
    }

    @Test
    void multipartUploadOfMarkdownHtmlAndPdfIsIngestedAndAnUnsupportedFileFailsWith415() {
        String base = create("mixed");
        HttpResponse<String> r = server.upload("mixed", List.of(
                new FilePart("leave.md", "text/markdown", TestDocuments.markdown()),
                new FilePart("security.html", null, TestDocuments.html()),
                new FilePart("travel.pdf", "application/pdf", TestDocuments.pdf()),
                new FilePart("budget.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        new byte[] {'P', 'K', 3, 4})));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode accepted = json(r.body());
        assertThat(accepted.get("object").asText()).isEqualTo("knowledge.ingest_job");
        assertThat(accepted.get("progress").get("documents_total").asInt()).isEqualTo(4);
        String jobId = accepted.get("id").asText();
        assertThat(r.headers().firstValue("Location")).hasValue(base + "/jobs/" + jobId);

        JsonNode job = server.awaitJob("mixed", jobId);
        assertThat(job.get("status").asText()).isEqualTo("completed_with_errors");
        assertThat(job.get("progress").get("documents_done").asInt()).isEqualTo(4);
        for (String ok : List.of("leave.md", "security.html", "travel.pdf")) {
            JsonNode o = outcome(job, ok);
            assertThat(o.get("status").asText()).as(ok).isEqualTo("added");
            assertThat(o.get("chunks").asInt()).as(ok).isPositive();
            assertThat(o.has("error")).isFalse();
        }
        JsonNode failed = outcome(job, "budget.xlsx");
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").get("status").asInt()).isEqualTo(415);
        assertThat(failed.get("error").get("code").asText()).isEqualTo("unsupported_media_type");

        JsonNode docs = json(server.get(base + "/documents").body()).get("data");
        assertThat(docs.findValuesAsText("name")).containsExactlyInAnyOrder("leave.md", "security.html", "travel.pdf");
        JsonNode pdf = json(server.get(base + "/documents/" + outcome(job, "travel.pdf").get("document_id").asText()).body());
        assertThat(pdf.get("object").asText()).isEqualTo("knowledge.document");
        assertThat(pdf.get("content_type").asText()).isEqualTo("application/pdf");
        assertThat(pdf.get("pages").asInt()).isEqualTo(2);
        assertThat(json(server.get(base).body()).get("document_count").asInt()).isEqualTo(3);
        assertThat(json(server.get(base + "/jobs").body()).get("data").findValuesAsText("id")).contains(jobId);
    }

    @Test
    void jsonUploadTakesTextAndBase64WithMetadata() throws Exception {
        String base = create("jsonup");
        String body = dev.gantry.server.support.TestServer.JSON.writeValueAsString(Map.of(
                "metadata", Map.of("team", "hr"),
                "documents", List.of(
                        Map.of("name", "note", "text", "The office opens at eight in the morning."),
                        Map.of("name", "leave.md", "content_base64", Base64.getEncoder().encodeToString(TestDocuments.markdown()),
                                "content_type", "text/markdown", "metadata", Map.of("year", "2026")))));
        HttpResponse<String> r = server.post(base + "/documents", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode job = server.awaitJob("jsonup", json(r.body()).get("id").asText());
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
        JsonNode docs = json(server.get(base + "/documents").body()).get("data");
        List<String> types = new ArrayList<>();
        docs.forEach(d -> types.add(d.get("name").asText() + "=" + d.get("content_type").asText()));
        assertThat(types).containsExactlyInAnyOrder("note=text/plain", "leave.md=text/markdown");
        JsonNode leave = outcome(job, "leave.md");
        JsonNode doc = json(server.get(base + "/documents/" + leave.get("document_id").asText()).body());
        assertThat(doc.get("metadata").get("team").asText()).isEqualTo("hr");
        assertThat(doc.get("metadata").get("year").asText()).isEqualTo("2026");
    }

    @Test
    void reuploadingTheSameFileIsUnchangedAndChangedContentReplaces() {
        create("again");
        byte[] v1 = "Version one of the rota.".getBytes(StandardCharsets.UTF_8);
        byte[] v2 = "Version two of the rota.".getBytes(StandardCharsets.UTF_8);
        List<String> statuses = new ArrayList<>();
        for (byte[] content : List.of(v1, v1, v2)) {
            HttpResponse<String> r = server.upload("again", List.of(new FilePart("rota.txt", "text/plain", content)));
            statuses.add(outcome(server.awaitJob("again", json(r.body()).get("id").asText()), "rota.txt").get("status").asText());
        }
        assertThat(statuses).containsExactly("added", "unchanged", "replaced");
    }

    @Test
    void deletedDocumentIsGoneAndDeletingItAgainIs404() {
        String base = create("deletes");
        JsonNode job = server.collectionWith("deletes-2", Map.of("a.txt", "Alpha text.", "b.txt", "Beta text."));
        String id = outcome(job, "a.txt").get("document_id").asText();
        String docs = "/v1/knowledge/collections/deletes-2/documents";
        HttpResponse<String> r = server.delete(docs + "/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r.body()).get("deleted").asBoolean()).isTrue();
        assertThat(server.get(docs + "/" + id).statusCode()).isEqualTo(404);
        assertThat(server.delete(docs + "/" + id).statusCode()).isEqualTo(404);
        assertThat(json(server.get(docs).body()).get("data").findValuesAsText("name")).containsExactly("b.txt");
        assertThat(server.get(base + "/documents/0123").statusCode()).isEqualTo(404);
    }

    @Test
    void uploadErrorsHaveTheirStatuses() {
        String base = create("errors");
        byte[] big = new byte[(int) UPLOAD_LIMIT + 1];
        HttpResponse<String> tooLarge = server.upload("errors", List.of(new FilePart("big.txt", "text/plain", big)));
        assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);
        assertThat(json(tooLarge.body()).get("error").get("code").asText()).isEqualTo("request_too_large");

        HttpResponse<String> wrongType = server.post(base + "/documents", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(415);
        assertThat(json(wrongType.body()).get("error").get("code").asText()).isEqualTo("unsupported_media_type");

        HttpResponse<String> noBoundary = server.post(base + "/documents", "multipart/form-data", new byte[] {1});
        assertThat(noBoundary.statusCode()).isEqualTo(400);
        HttpResponse<String> broken = server.post(base + "/documents", "multipart/form-data; boundary=zzz",
                "--zzz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nno end".getBytes(StandardCharsets.UTF_8));
        assertThat(broken.statusCode()).as(broken.body()).isEqualTo(400);
        assertThat(json(broken.body()).get("error").get("code").asText()).isEqualTo("invalid_multipart");
        HttpResponse<String> noFiles = server.post(base + "/documents", "multipart/form-data; boundary=" + KnowledgeServer.BOUNDARY,
                KnowledgeServer.multipart(List.of(), Map.of("purpose", "assistants")));
        assertThat(noFiles.statusCode()).as(noFiles.body()).isEqualTo(400);

        assertThat(server.post(base + "/documents", "{\"documents\":[]}").statusCode()).isEqualTo(400);
        assertThat(server.post(base + "/documents", "{\"documents\":[{\"name\":\"a\"}]}").statusCode()).isEqualTo(400);
        assertThat(server.post(base + "/documents", "{\"documents\":[{\"name\":\"a\",\"content_base64\":\"!!\"}]}").statusCode()).isEqualTo(400);
        assertThat(server.post(base + "/documents", "{\"documents\":[{\"name\":\"a\",\"text\":\"x\",\"metadata\":{\"Bad Key\":\"v\"}}]}")
                .statusCode()).isEqualTo(400);

        assertThat(server.upload("no-such-collection", List.of(new FilePart("a.txt", "text/plain", new byte[] {'a'})))
                .statusCode()).isEqualTo(404);
        assertThat(server.get(base + "/jobs/not-a-job").statusCode()).isEqualTo(404);
    }

    @Test
    void aJobIsOnlyFoundUnderItsOwnCollection() {
        create("first");
        create("second");
        HttpResponse<String> r = server.upload("first", List.of(new FilePart("x.txt", "text/plain", "Some text.".getBytes(StandardCharsets.UTF_8))));
        String jobId = json(r.body()).get("id").asText();
        server.awaitJob("first", jobId);
        assertThat(server.get("/v1/knowledge/collections/second/jobs/" + jobId).statusCode()).isEqualTo(404);
    }
}
