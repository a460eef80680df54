package dev.gantry.server.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineConfig;
import dev.gantry.engine.LocalModel;
import dev.gantry.engine.kvcache.KvCacheConfig;
import dev.gantry.engine.scheduler.SchedulerConfig;
import dev.gantry.knowledge.HashingEmbedder;
import dev.gantry.knowledge.KnowledgeConfig;
import dev.gantry.knowledge.KnowledgeHub;
import dev.gantry.knowledge.embed.EmbedderCatalog;
import dev.gantry.server.GantryServer;
import dev.gantry.server.ServedModel;
import dev.gantry.server.ServerConfig;
import dev.gantry.server.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real server over stories260K with a Knowledge Hub in a temporary directory (a {@link HashingEmbedder} over words of 3 letters or more), and an
 * HTTP client for it. Tenants come from the API key: {@code alice-key} is tenant {@code alice}, {@code bob-key}
 * {@code bob}; no key is {@link TenantResolver#DEFAULT_TENANT}.
 */
final class KnowledgeServer implements AutoCloseable {

    static final String ALICE = "alice-key";
    static final String BOB = "bob-key";

    private final LocalModel model;
    private final KnowledgeHub hub;
    private final GantryServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String key;

    private KnowledgeServer(LocalModel model, KnowledgeHub hub, GantryServer server, String key) {
        this.model = model;
        this.hub = hub;
        this.server = server;
        this.key = key;
    }

    static KnowledgeServer start(Path dir, ServerConfig config, long maxUploadBytes) {
        LocalModel model = LocalModel.open(TestServer.stories(), 1);
        KnowledgeHub hub = KnowledgeHub.open(KnowledgeConfig.of(dir, EmbedderCatalog.of(new HashingEmbedder("word-hash", 64, 3))));
        try {
            Engine engine = new Engine(model, new EngineConfig(SchedulerConfig.defaults(), KvCacheConfig.of(16L << 20)));
            ServedKnowledge knowledge = new ServedKnowledge(hub, TenantResolver.byApiKey(
                    Map.of(ALICE, "alice", BOB, "bob"), TenantResolver.DEFAULT_TENANT), maxUploadBytes);
            GantryServer server = GantryServer.start(ServedModel.of(TestServer.stories(), model, engine, null), config, knowledge);
            return new KnowledgeServer(model, hub, server, config.apiKey());
        } catch (RuntimeException e) {
            hub.close();
            model.close();
            throw e;
        }
    }

    static KnowledgeServer start(Path dir) {
        return start(dir, ServerConfig.of("127.0.0.1", 0), ServedKnowledge.DEFAULT_MAX_UPLOAD_BYTES);
    }

    KnowledgeHub hub() {
        return hub;
    }

    /** Sends the following requests with this bearer token (null for none). */
    KnowledgeServer as(String apiKey) {
        this.key = apiKey;
        return this;
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    HttpResponse<String> delete(String path) {
        return send(request(path).DELETE());
    }

    HttpResponse<String> post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> post(String path, String contentType, byte[] body) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    HttpResponse<String> method(String method, String path) {
        return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** A file of a multipart upload. */
    record FilePart(String fileName, String contentType, byte[] content) {
    }

    static final String BOUNDARY = "gantry-test-boundary-7MA4YWxkTrZu0gW";

    /** A multipart/form-data body (RFC 7578) with the files as parts named {@code file}, and plain fields. */
    static byte[] multipart(List<FilePart> files, Map<String, String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            out.write("preamble, ignored\r\n".getBytes(StandardCharsets.US_ASCII));
            for (var f : fields.entrySet()) {
                out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                        + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            for (FilePart p : files) {
                out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                        + p.fileName() + "\"\r\n" + (p.contentType() == null ? "" : "Content-Type: " + p.contentType() + "\r\n")
                        + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.write(p.content());
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    HttpResponse<String> upload(String collection, List<FilePart> files) {
        return post("/v1/knowledge/collections/" + collection + "/documents",
                "multipart/form-data; boundary=" + BOUNDARY, multipart(files, Map.of()));
    }

    /** Polls a job until its status is final; fails after 60 s. */
    JsonNode awaitJob(String collection, String jobId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get("/v1/knowledge/collections/" + collection + "/jobs/" + jobId);
            if (r.statusCode() != 200) {
                throw new AssertionError("polling job " + jobId + ": " + r.statusCode() + " " + r.body());
            }
            JsonNode job = TestServer.json(r.body());
            String status = job.get("status").asText();
            if (!status.equals("queued") && !status.equals("running")) {
                return job;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("job " + jobId + " did not finish in 60 s");
    }

    /** Creates a collection, uploads the documents as JSON text and waits for the job; returns the job. */
    JsonNode collectionWith(String name, Map<String, String> documents) {
        HttpResponse<String> created = post("/v1/knowledge/collections", "{\"name\":\"" + name + "\"}");
        if (created.statusCode() != 201) {
            throw new AssertionError("creating " + name + ": " + created.body());
        }
        List<Map<String, String>> docs = new ArrayList<>();
        documents.forEach((n, text) -> docs.add(Map.of("name", n, "text", text)));
        try {
            HttpResponse<String> r = post("/v1/knowledge/collections/" + name + "/documents",
                    TestServer.JSON.writeValueAsString(Map.of("documents", docs)));
            if (r.statusCode() != 202) {
                throw new AssertionError("uploading to " + name + ": " + r.body());
            }
            return awaitJob(name, TestServer.json(r.body()).get("id").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        hub.close();
        model.close();
    }
}
