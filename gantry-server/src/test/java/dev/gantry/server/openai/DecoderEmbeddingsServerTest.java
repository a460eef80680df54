package dev.gantry.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.server.support.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A decoder served for generation also answers {@code /v1/embeddings}: mean-pooled unit vectors of its width. */
class DecoderEmbeddingsServerTest {

    @Test
    void stories260KEmbedsIntoUnitVectorsOfItsHiddenSize() {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> r = server.post("/v1/embeddings", "{\"input\":[\"Once upon a time\",\"Lily\"]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode data = TestServer.json(r.body()).get("data");
            assertThat(data).hasSize(2);
            for (JsonNode item : data) {
                assertThat(item.get("embedding")).hasSize(server.model().config().dim());
                double s = 0;
                for (JsonNode x : item.get("embedding")) {
                    s += x.asDouble() * x.asDouble();
                }
                assertThat(Math.sqrt(s)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            }
            assertThat(TestServer.json(r.body()).get("model").asText()).isEqualTo("stories260K");
        }
    }
}
