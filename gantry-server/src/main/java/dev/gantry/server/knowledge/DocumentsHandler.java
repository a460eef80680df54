package dev.gantry.server.knowledge;

import dev.gantry.knowledge.DocumentInput;
import dev.gantry.knowledge.IngestJob;
import dev.gantry.knowledge.KnowledgeHub;
import dev.gantry.server.openai.ApiException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.List;

/**
 * Documents and their ingest jobs. An upload ({@link Uploads}) answers 202 with the job at once; the job runs in
 * the hub's background and is polled at {@code .../jobs/{id}} (its {@code Location}). Documents are listed, read
 * and deleted by id. A job is found only under its own tenant and collection.
 */
final class DocumentsHandler {

    private final KnowledgeHub hub;
    private final long maxUploadBytes;
    private final KnowledgeRoutes routes;

    DocumentsHandler(ServedKnowledge knowledge, KnowledgeRoutes routes) {
        this.hub = knowledge.hub();
        this.maxUploadBytes = knowledge.maxUploadBytes();
        this.routes = routes;
    }

    void upload(KnowledgeCall call, ServerResponse res) throws IOException {
        hub.collection(call.tenant(), call.collection());  // 404 before reading a large body for nothing
        List<DocumentInput> documents = Uploads.read(call, maxUploadBytes);
        IngestJob job = hub.ingest(call.tenant(), call.collection(), documents);
        res.header(HeaderNames.LOCATION, "/v1/knowledge/collections/" + call.collection() + "/jobs/" + job.id());
        routes.sendJson(res, 202, JobObject.of(job));
    }

    void list(KnowledgeCall call, ServerResponse res) throws IOException {
        routes.sendJson(res, 200, ListObject.of(hub.listDocuments(call.tenant(), call.collection()).stream()
                .map(d -> DocumentObject.of(call.collection(), d)).toList()));
    }

    void get(KnowledgeCall call, ServerResponse res) throws IOException {
        routes.sendJson(res, 200, DocumentObject.of(call.collection(),
                hub.document(call.tenant(), call.collection(), call.param("id"))));
    }

    void delete(KnowledgeCall call, ServerResponse res) throws IOException {
        hub.deleteDocument(call.tenant(), call.collection(), call.param("id"));
        routes.sendJson(res, 200, DeletedObject.of(call.param("id"), DocumentObject.OBJECT + ".deleted"));
    }

    void jobs(KnowledgeCall call, ServerResponse res) throws IOException {
        hub.collection(call.tenant(), call.collection());
        routes.sendJson(res, 200, ListObject.of(hub.jobs(call.tenant()).stream()
                .filter(j -> j.collection().equals(call.collection())).map(JobObject::of).toList()));
    }

    void job(KnowledgeCall call, ServerResponse res) throws IOException {
        String id = call.param("id");
        IngestJob job = hub.job(call.tenant(), id).filter(j -> j.collection().equals(call.collection()))
                .orElseThrow(() -> ApiException.notFound("no ingest job '" + id + "' in collection '"
                        + call.collection() + "'", null, "not_found"));
        routes.sendJson(res, 200, JobObject.of(job));
    }
}
