package dev.gantry.server.knowledge;

import dev.gantry.knowledge.CollectionInfo;
import dev.gantry.knowledge.CollectionSettings;
import dev.gantry.knowledge.KnowledgeHub;
import dev.gantry.server.openai.ApiException;
import dev.gantry.server.openai.JsonRequest;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;

/**
 * Collections: {@code POST /v1/knowledge/collections} creates one from {@code {"name", "description",
 * "embedding_model", "chunk_size", "chunk_overlap"}} (201; 409 when the name is taken), {@code GET} lists the
 * tenant's, {@code GET .../{name}} and {@code DELETE .../{name}} get and delete one (404 when the tenant has none by
 * that name).
 */
final class CollectionsHandler {

    private final KnowledgeHub hub;
    private final KnowledgeRoutes routes;

    CollectionsHandler(KnowledgeHub hub, KnowledgeRoutes routes) {
        this.hub = hub;
        this.routes = routes;
    }

    void create(KnowledgeCall call, ServerResponse res) throws IOException {
        JsonRequest body = call.json();
        String name = body.string("name").orElseThrow(() -> ApiException.invalid("name is required", "name"));
        CollectionSettings defaults = CollectionSettings.defaults();
        int chunkSize = body.integer("chunk_size", 1, Integer.MAX_VALUE).orElse(defaults.chunkTokens());
        int overlap = body.integer("chunk_overlap", 0, Integer.MAX_VALUE).orElse(defaults.chunkOverlap());
        CollectionSettings settings = new CollectionSettings(body.string("embedding_model").orElse(null), chunkSize,
                overlap, body.string("description").orElse(null));
        CollectionInfo created = hub.createCollection(call.tenant(), name, settings);
        res.header(HeaderNames.LOCATION, "/v1/knowledge/collections/" + created.name());
        routes.sendJson(res, 201, CollectionObject.of(created));
    }

    void list(KnowledgeCall call, ServerResponse res) throws IOException {
        routes.sendJson(res, 200, ListObject.of(hub.listCollections(call.tenant()).stream()
                .map(CollectionObject::of).toList()));
    }

    void get(KnowledgeCall call, ServerResponse res) throws IOException {
        routes.sendJson(res, 200, CollectionObject.of(hub.collection(call.tenant(), call.collection())));
    }

    void delete(KnowledgeCall call, ServerResponse res) throws IOException {
        hub.deleteCollection(call.tenant(), call.collection());
        routes.sendJson(res, 200, DeletedObject.of(call.collection(), CollectionObject.OBJECT + ".deleted"));
    }
}
