package dev.gantry.server.knowledge;

import static dev.gantry.server.support.TestServer.events;
import static dev.gantry.server.support.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.knowledge.answer.CitationMarkers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers over HTTP, written by the served stories260K through its engine. The tiny model writes stories, not
 * citations, so these tests check what the server owns: the sources it was shown with their places, the mapping
 * of whatever {@code [n]} it writes onto them, the stream framing, and that streamed and plain answers agree (both
 * greedy). That citations map to the right chunks is the hub's (KnowledgeHubAnswerTest in gantry-knowledge).
 */
class KnowledgeAnswerTest {

    private static final String ANSWER = "/v1/knowledge/collections/stories/answer";
    private static final String QUESTION = "{\"question\":\"Where did the little girl named Lily play?\",\"max_tokens\":24";

    @TempDir
    static Path dir;
    private static KnowledgeServer server;

    @BeforeAll
    static void start() {
        server = KnowledgeServer.start(dir);
        JsonNode job = server.collectionWith("stories", Map.of(
                "lily.txt", "Once upon a time, a little girl named Lily liked to play in the park with her ball.",
                "tom.txt", "Tom was a big dog. He liked to sleep under the tree in the garden."));
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void answerListsItsSourcesWithTheirPlacesAndMapsItsCitations() {
        HttpResponse<String> r = server.post(ANSWER, QUESTION + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode a = json(r.body());
        assertThat(a.get("object").asText()).isEqualTo("knowledge.answer");
        assertThat(a.get("model").asText()).isEqualTo("stories260K");
        assertThat(a.get("relevant_found").asBoolean()).isTrue();
        assertThat(a.get("answer").asText()).isNotBlank();
        JsonNode first = a.get("sources").get(0);
        assertThat(first.get("number").asInt()).isEqualTo(1);
        assertThat(first.get("document_name").asText()).isEqualTo("lily.txt");
        assertThat(first.get("chunk").asInt()).isZero();
        String docId = first.get("document_id").asText();
        String text = server.hub().documentText(TenantResolver.DEFAULT_TENANT, "stories", docId);
        assertThat(text.substring(first.get("start").asInt(), first.get("end").asInt())).isEqualTo(first.get("text").asText());
        List<Integer> cited = new ArrayList<>();
        a.get("citations").forEach(c -> cited.add(c.get("number").asInt()));
        assertThat(cited).isEqualTo(CitationMarkers.cited(a.get("answer").asText(), a.get("sources").size()));
    }

    @Test
    void streamedAnswerSendsTextChunksThenCitationsThenDoneAndMatchesThePlainAnswer() {
        String plain = json(server.post(ANSWER, QUESTION + "}").body()).get("answer").asText();
        HttpResponse<String> r = server.post(ANSWER, QUESTION + ",\"stream\":true}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> data = events(r.body());
        assertThat(data.getLast()).isEqualTo("[DONE]");
        JsonNode done = json(data.get(data.size() - 2));
        assertThat(done.get("object").asText()).isEqualTo("knowledge.answer.done");
        assertThat(done.get("sources")).isNotEmpty();
        StringBuilder streamed = new StringBuilder();
        for (String event : data.subList(0, data.size() - 2)) {
            JsonNode chunk = json(event);
            assertThat(chunk.get("object").asText()).isEqualTo("knowledge.answer.chunk");
            assertThat(chunk.get("id").asText()).isEqualTo(done.get("id").asText());
            streamed.append(chunk.get("delta").asText());
        }
        assertThat(data.size()).isGreaterThan(3);
        assertThat(streamed.toString()).isEqualTo(done.get("answer").asText()).isEqualTo(plain);
    }

    @Test
    void nothingRelevantIsSaidWithoutAskingTheModel() {
        JsonNode a = json(server.post(ANSWER, "{\"question\":\"quantum chromodynamics lattice\",\"min_similarity\":0.99}").body());
        assertThat(a.get("relevant_found").asBoolean()).isFalse();
        assertThat(a.get("sources")).isEmpty();
        assertThat(a.get("answer").asText()).contains("nothing relevant");
    }

    @Test
    void errorsComeAsJsonWithTheirStatusesEvenWhenStreamingWasAsked() {
        HttpResponse<String> unknown = server.post("/v1/knowledge/collections/none/answer", QUESTION + ",\"stream\":true}");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(server.post(ANSWER, "{\"question\":\"x\",\"model\":\"gpt-4\"}").statusCode()).isEqualTo(404);
        assertThat(json(server.post(ANSWER, "{\"question\":\"x\",\"model\":\"gpt-4\"}").body()).get("error").get("code").asText())
                .isEqualTo("model_not_found");
        assertThat(server.post(ANSWER, "{\"k\":3}").statusCode()).isEqualTo(400);
        assertThat(server.post(ANSWER, "{\"question\":\"x\",\"k\":21}").statusCode()).isEqualTo(400);
        assertThat(server.post(ANSWER, "{\"question\":\"x\",\"max_tokens\":1000000}").statusCode()).isEqualTo(400);
        assertThat(server.post(ANSWER, "{\"question\":\"x\",\"stream\":\"yes\"}").statusCode()).isEqualTo(400);
        assertThat(server.post(ANSWER, "{\"question\":\"x\",\"min_similarity\":2}").statusCode()).isEqualTo(400);
    }
}
