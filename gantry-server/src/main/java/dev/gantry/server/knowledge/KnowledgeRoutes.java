package dev.gantry.server.knowledge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.gantry.engine.scheduler.OverloadedException;
import dev.gantry.knowledge.KnowledgeException;
import dev.gantry.server.ServerConfig;
import dev.gantry.server.models.ModelRegistry;
import dev.gantry.server.openai.ApiException;
import dev.gantry.server.openai.ApiResponses;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code /v1/knowledge} routes, and what every request goes through before a handler sees it, as
 * {@code server.openai}'s routes do it: the API key (401), the drain state (503), the body limit (413), then the
 * tenant; every failure becomes an OpenAI error body. A {@link KnowledgeException} maps by its reason (400, 404,
 * 409, 500), an engine queue that is full to 429. Known paths with the wrong method are 405.
 *
 * <pre>
 * POST   /v1/knowledge/collections                          create          GET list
 * GET    /v1/knowledge/collections/{name}                   get             DELETE delete
 * POST   /v1/knowledge/collections/{name}/documents         upload (202, an ingest job)   GET list
 * GET    /v1/knowledge/collections/{name}/documents/{id}    get             DELETE delete
 * GET    /v1/knowledge/collections/{name}/jobs[/{id}]       ingest jobs
 * POST   /v1/knowledge/collections/{name}/search            hits
 * POST   /v1/knowledge/collections/{name}/answer            answer with citations; "stream": true for SSE
 * </pre>
 */
public final class KnowledgeRoutes {

    private static final Logger LOG = Logger.getLogger(KnowledgeRoutes.class.getName());
    private static final String COLLECTIONS = "/v1/knowledge/collections";
    private static final String COLLECTION = COLLECTIONS + "/{name}";
    /** Requests are shallow objects; deeper JSON is hostile (as in {@code server.openai}). */
    private static final int MAX_NESTING = 64;

    private final ServedKnowledge knowledge;
    private final ServerConfig config;
    private final BooleanSupplier draining;
    private final ObjectMapper mapper;
    private final CollectionsHandler collections;
    private final DocumentsHandler documents;
    private final SearchHandler search;
    private final AnswerHandler answer;

    /** A step that answers an authorised call. */
    interface Endpoint {
        void handle(KnowledgeCall call, ServerResponse response) throws Exception;
    }

    public KnowledgeRoutes(ServedKnowledge knowledge, ModelRegistry models, ServerConfig config,
                           BooleanSupplier draining) {
        this.knowledge = knowledge;
        this.config = config;
        this.draining = draining;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING)
                        .maxStringLength((int) knowledge.maxUploadBytes()).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        this.mapper.getFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
        this.collections = new CollectionsHandler(knowledge.hub(), this);
        this.documents = new DocumentsHandler(knowledge, this);
        this.search = new SearchHandler(knowledge.hub(), this);
        this.answer = new AnswerHandler(knowledge.hub(), new AnswerModels(models), this);
    }

    public void register(HttpRouting.Builder routing) {
        routing.post(COLLECTIONS, guarded(collections::create));
        routing.get(COLLECTIONS, guarded(collections::list));
        routing.any(COLLECTIONS, methodNotAllowed("GET, POST"));
        routing.get(COLLECTION, guarded(collections::get));
        routing.delete(COLLECTION, guarded(collections::delete));
        routing.any(COLLECTION, methodNotAllowed("GET, DELETE"));
        routing.post(COLLECTION + "/documents", guarded(documents::upload));
        routing.get(COLLECTION + "/documents", guarded(documents::list));
        routing.any(COLLECTION + "/documents", methodNotAllowed("GET, POST"));
        routing.get(COLLECTION + "/documents/{id}", guarded(documents::get));
        routing.delete(COLLECTION + "/documents/{id}", guarded(documents::delete));
        routing.any(COLLECTION + "/documents/{id}", methodNotAllowed("GET, DELETE"));
        routing.get(COLLECTION + "/jobs", guarded(documents::jobs));
        routing.any(COLLECTION + "/jobs", methodNotAllowed("GET"));
        routing.get(COLLECTION + "/jobs/{id}", guarded(documents::job));
        routing.any(COLLECTION + "/jobs/{id}", methodNotAllowed("GET"));
        routing.post(COLLECTION + "/search", guarded(search::handle));
        routing.any(COLLECTION + "/search", methodNotAllowed("POST"));
        routing.post(COLLECTION + "/answer", guarded(answer::handle));
        routing.any(COLLECTION + "/answer", methodNotAllowed("POST"));
    }

    ObjectMapper mapper() {
        return mapper;
    }

    private Handler guarded(Endpoint endpoint) {
        return (req, res) -> {
            try {
                Optional<String> key = ApiResponses.authorize(req, config.apiKey());
                if (draining.getAsBoolean()) {
                    throw ApiException.unavailable("the server is shutting down");
                }
                String tenant = knowledge.tenants().tenant(key);
                endpoint.handle(new KnowledgeCall(tenant, req, mapper, config.maxBodyBytes()), res);
            } catch (ApiException e) {
                sendError(res, e);
            } catch (KnowledgeException e) {
                if (e.reason() == KnowledgeException.Reason.INTERNAL) {
                    LOG.log(Level.WARNING, "knowledge request failed", e);
                }
                sendError(res, toApi(e));
            } catch (OverloadedException e) {
                sendError(res, ApiException.overloaded(e.getMessage()));
            } catch (IllegalArgumentException e) {
                sendError(res, ApiException.invalid(e.getMessage(), null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sendError(res, ApiException.unavailable("the request was interrupted"));
            } catch (IOException e) {
                LOG.log(Level.FINE, "client connection failed", e);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "knowledge request failed", e);
                sendError(res, ApiException.internal("internal error: " + e));
            }
        };
    }

    /** The hub's reasons onto OpenAI errors; another tenant's collection is simply not found. */
    static ApiException toApi(KnowledgeException e) {
        String message = e.getMessage();
        return switch (e.reason()) {
            case INVALID_ARGUMENT -> ApiException.invalid(message, null, "invalid_value");
            case NOT_FOUND -> ApiException.notFound(message, null, "not_found");
            case ALREADY_EXISTS -> new ApiException(409, "invalid_request_error", message, "name", "collection_exists", null);
            case CONFLICT -> new ApiException(409, "invalid_request_error", message, null, "conflict", null);
            case INTERNAL -> ApiException.internal(message);
        };
    }

    private Handler methodNotAllowed(String allowed) {
        return ApiResponses.methodNotAllowed(allowed, mapper);
    }

    void sendJson(ServerResponse res, int status, Object body) throws IOException {
        ApiResponses.sendJson(res, mapper, status, body);
    }

    /** Writes an error body unless the response is already going out (streams report errors as events). */
    void sendError(ServerResponse res, ApiException e) {
        ApiResponses.sendError(res, mapper, e);
    }
}
