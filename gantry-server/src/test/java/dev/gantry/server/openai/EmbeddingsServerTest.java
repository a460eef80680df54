package dev.gantry.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.engine.LocalModel;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServedModel;
import dev.gantry.server.ServerConfig;
import dev.gantry.server.support.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/embeddings} on a real server over all-MiniLM-L6-v2 (F16): every input form gives llama.cpp's
 * reference vectors (cosine >= 0.9999, the README's F16 bar) in OpenAI's response shape, and every malformed
 * request gets an OpenAI 400/404/405 error body.
 */
class EmbeddingsServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "all-MiniLM-L6-v2-f16";

    private record Reference(String input, int[] ids, float[] embedding) {
    }

    private static LocalModel miniLm;
    private static GantryServer server;
    private static List<Reference> references;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws IOException {
        Path shared = Path.of(System.getProperty("gantry.shared", "../../shared"));
        references = new ArrayList<>();
        for (String line : Files.readAllLines(shared.resolve("reference/embeddings-llamacpp.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.get("model").asText().equals(MODEL + ".gguf")) {
                references.add(new Reference(n.get("input").asText(), JSON.treeToValue(n.get("token_ids"), int[].class),
                        JSON.treeToValue(n.get("embedding"), float[].class)));
            }
        }
        assertThat(references).hasSize(12);
        miniLm = LocalModel.open(shared.resolve("models/embed/" + MODEL + ".gguf"), 2);
        // an encoder-only model is served without an engine
        server = GantryServer.start(new ServedModel(MODEL, miniLm, null, Optional.empty()), ServerConfig.of("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() {
        server.close();
        miniLm.close();
    }

    private static HttpResponse<String> post(String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/embeddings"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anEmbeddingModelRefusesToGenerateWith400NamingTheModel() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\",\"max_tokens\":2}"))
                .header("Content-Type", "application/json").build();
        HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = TestServer.json(r.body()).get("error");
        assertThat(error.get("param").asText()).isEqualTo("model");
        assertThat(error.get("message").asText()).contains("embedding model");
    }

    private static JsonNode ok(String body) {
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return TestServer.json(r.body());
    }

    private static JsonNode error(String body, int status) {
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = TestServer.json(r.body()).get("error");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.has("type") && error.has("param") && error.has("code")).isTrue();
        return error;
    }

    private static String request(Object input) {
        ObjectNode body = JSON.createObjectNode().put("model", MODEL);
        body.set("input", JSON.valueToTree(input));
        return body.toString();
    }

    private static float[] vector(JsonNode item) {
        float[] v = new float[item.get("embedding").size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) item.get("embedding").get(i).asDouble();
        }
        return v;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void aStringGivesLlamaCppsVectorInOpenAisShape() {
        Reference r = references.getFirst();
        JsonNode body = ok(request(r.input()));
        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(body.get("model").asText()).isEqualTo(MODEL);
        assertThat(body.get("data")).hasSize(1);
        JsonNode item = body.get("data").get(0);
        assertThat(item.get("object").asText()).isEqualTo("embedding");
        assertThat(item.get("index").asInt()).isZero();
        assertThat(item.get("embedding")).hasSize(384);
        assertThat(cosine(vector(item), r.embedding())).isGreaterThanOrEqualTo(0.9999);
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(r.ids().length);
        assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(r.ids().length);
        assertThat(body.get("usage").size()).isEqualTo(2);
    }

    @Test
    void anArrayOfStringsGivesEveryReferenceVectorInOrder() {
        JsonNode body = ok(request(references.stream().map(Reference::input).toList()));
        assertThat(body.get("data")).hasSize(references.size());
        int tokens = 0;
        for (int i = 0; i < references.size(); i++) {
            JsonNode item = body.get("data").get(i);
            assertThat(item.get("index").asInt()).isEqualTo(i);
            assertThat(cosine(vector(item), references.get(i).embedding())).as(references.get(i).input())
                    .isGreaterThanOrEqualTo(0.9999);
            tokens += references.get(i).ids().length;
        }
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(tokens);
    }

    @Test
    void tokenIdsAndArraysOfTokenIdsAreEmbeddedAsGiven() {
        Reference r = references.get(2);
        JsonNode one = ok(request(r.ids()));
        assertThat(one.get("data")).hasSize(1);
        assertThat(cosine(vector(one.get("data").get(0)), r.embedding())).isGreaterThanOrEqualTo(0.9999);
        assertThat(one.get("usage").get("prompt_tokens").asInt()).isEqualTo(r.ids().length);
        JsonNode many = ok(request(List.of(references.get(0).ids(), references.get(1).ids())));
        assertThat(many.get("data")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(cosine(vector(many.get("data").get(i)), references.get(i).embedding())).isGreaterThanOrEqualTo(0.9999);
        }
    }

    @Test
    void base64IsLittleEndianFloat32OfTheSameVector() {
        Reference r = references.get(6);
        ObjectNode body = (ObjectNode) TestServer.json(request(r.input()));
        body.put("encoding_format", "base64");
        JsonNode item = ok(body.toString()).get("data").get(0);
        assertThat(item.get("embedding").isTextual()).isTrue();
        byte[] bytes = Base64.getDecoder().decode(item.get("embedding").asText());
        assertThat(bytes).hasSize(384 * 4);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[384];
        for (int i = 0; i < v.length; i++) {
            v[i] = buffer.getFloat();
        }
        assertThat(cosine(v, r.embedding())).isGreaterThanOrEqualTo(0.9999);
    }

    @Test
    void dimensionsEqualToTheModelsAndAUserAreAcceptedOtherDimensionsAreNot() {
        ObjectNode body = (ObjectNode) TestServer.json(request("hello"));
        body.put("dimensions", 384).put("user", "user-1234").put("encoding_format", "float");
        assertThat(ok(body.toString()).get("data").get(0).get("embedding")).hasSize(384);
        body.put("dimensions", 256);
        JsonNode e = error(body.toString(), 400);
        assertThat(e.get("param").asText()).isEqualTo("dimensions");
        assertThat(e.get("message").asText()).contains("384");
        body.put("dimensions", 384).put("user", 5);
        assertThat(error(body.toString(), 400).get("param").asText()).isEqualTo("user");
    }

    @Test
    void emptyInputsAreRefused() {
        assertThat(error(request(""), 400).get("param").asText()).isEqualTo("input");
        assertThat(error(request(List.of()), 400).get("message").asText()).contains("empty array");
        assertThat(error(request(List.of("hello", "")), 400).get("message").asText()).contains("input[1]");
        assertThat(error(request(List.of(new int[0])), 400).get("message").asText()).contains("empty");
        assertThat(error("{\"model\":\"" + MODEL + "\"}", 400).get("message").asText()).contains("input is required");
        assertThat(error("{\"model\":\"" + MODEL + "\",\"input\":null}", 400).get("message").asText()).contains("required");
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreRefused() {
        assertThat(error(request(new int[] {101, 30522, 102}), 400).get("message").asText())
                .contains("input[1]").contains("30522").contains("vocabulary");
        assertThat(error(request(new int[] {-1}), 400).get("message").asText()).contains("-1");
        assertThat(error(request(List.of(new int[] {101}, new int[] {99999})), 400)
                .get("message").asText()).contains("input[1][0]");
    }

    @Test
    void anInputLongerThanTheContextIsRefusedNotTruncated() {
        int[] ids = new int[513];
        java.util.Arrays.fill(ids, 1996);
        JsonNode e = error(request(ids), 400);
        assertThat(e.get("code").asText()).isEqualTo("context_length_exceeded");
        assertThat(e.get("message").asText()).contains("513").contains("512");
        String words = "word ".repeat(600);
        assertThat(error(request(words), 400).get("code").asText()).isEqualTo("context_length_exceeded");
        assertThat(ok(request(java.util.Arrays.copyOf(ids, 512))).get("data").get(0).get("embedding")).hasSize(384);
    }

    @Test
    void wrongTypesAreRefused() {
        for (String input : List.of("5", "{\"a\":1}", "true", "[1,\"a\"]", "[\"a\",1]", "[1.5]", "[[1],\"a\"]", "[[1.5]]", "[null]")) {
            error("{\"model\":\"" + MODEL + "\",\"input\":" + input + "}", 400);
        }
        ObjectNode body = (ObjectNode) TestServer.json(request("hello"));
        body.put("encoding_format", "hex");
        assertThat(error(body.toString(), 400).get("param").asText()).isEqualTo("encoding_format");
        assertThat(error("[\"hello\"]", 400).get("message").asText()).contains("JSON object");
    }

    @Test
    void anUnknownModelIs404AndOtherMethods405() {
        assertThat(error("{\"model\":\"gpt-4\",\"input\":\"hello\"}", 404).get("code").asText()).isEqualTo("model_not_found");
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/embeddings")).GET().build();
        try {
            assertThat(CLIENT.send(get, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void moreInputsThanOpenAiAllowsAreRefused() {
        ArrayNode many = JSON.createArrayNode();
        for (int i = 0; i <= EmbeddingsHandler.MAX_INPUTS; i++) {
            many.add("a");
        }
        ObjectNode body = JSON.createObjectNode().put("model", MODEL);
        body.set("input", many);
        assertThat(error(body.toString(), 400).get("message").asText()).contains("2048");
    }
}
