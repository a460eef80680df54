package dev.gantry.server.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.server.ServedModel;
import dev.gantry.server.ServerConfig;
import dev.gantry.server.models.ModelLease;
import dev.gantry.server.models.ModelRegistry;
import dev.gantry.server.observe.RequestLog;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code /v1} routes and what every request goes through before a handler sees it: the API key, the drain
 * state, the body limit, JSON parsing; and the mapping of every failure to an OpenAI error body, so no request
 * ever gets Helidon's plain-text error pages. Unknown paths are 404 and known paths with the wrong method 405.
 * Every endpoint that generates resolves its {@code model} field through the {@link ModelRegistry} and holds the
 * model for the whole request (streaming included), so it is never unloaded under a request.
 */
public final class OpenAiRoutes {

    private static final Logger LOG = Logger.getLogger(OpenAiRoutes.class.getName());
    /** Requests are flat objects; deeper JSON is hostile, and refusing it early keeps parsing cheap. */
    private static final int MAX_NESTING = 64;

    private final ModelRegistry models;
    private final ServerConfig config;
    private final BooleanSupplier draining;
    private final ObjectMapper mapper;

    /** A step that reads the parsed body and answers. */
    private interface Endpoint {
        void handle(JsonRequest request, ServerResponse response) throws Exception;
    }

    /** A step that answers with the model the request named, held for it. */
    private interface ModelEndpoint {
        void handle(ServedModel model, JsonRequest request, ServerResponse response) throws Exception;
    }

    public OpenAiRoutes(ModelRegistry models, ServerConfig config, BooleanSupplier draining) {
        this.models = models;
        this.config = config;
        this.draining = draining;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.mapper.getFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public void register(HttpRouting.Builder routing) {
        routing.get("/v1/models", guarded((req, res) -> sendJson(res, 200,
                ModelList.of(models.available().stream().map(ModelList.Model::of).toList()))));
        routing.any("/v1/models", methodNotAllowed("GET"));
        routing.get("/v1/models/{id}", guarded((req, res) -> {
            String id = req.path().pathParameters().get("id");
            sendJson(res, 200, ModelList.Model.of(models.find(id).orElseThrow(() -> ApiException.notFound(
                    "The model '" + id + "' does not exist (GET /v1/models lists the models)", "model",
                    "model_not_found"))));
        }));
        routing.any("/v1/models/{id}", methodNotAllowed("GET"));
        routing.post("/v1/completions", guarded(withBody(withGenerativeModel(
                (model, req, res) -> new CompletionsHandler(model, mapper).handle(req, res)))));
        routing.any("/v1/completions", methodNotAllowed("POST"));
        routing.post("/v1/chat/completions", guarded(withBody(withGenerativeModel(
                (model, req, res) -> new ChatCompletionsHandler(model, mapper).handle(req, res)))));
        routing.any("/v1/chat/completions", methodNotAllowed("POST"));
        routing.post("/v1/embeddings", guarded(withBody(withModel(
                (model, req, res) -> new EmbeddingsHandler(model, mapper).handle(req, res)))));
        routing.any("/v1/embeddings", methodNotAllowed("POST"));
        routing.post("/apply-template", guarded(withBody(withGenerativeModel(
                (model, req, res) -> new ChatCompletionsHandler(model, mapper).applyTemplate(req, res)))));
        routing.any("/apply-template", methodNotAllowed("POST"));
    }

    /** The last route: whatever nothing else matched. */
    public void registerFallback(HttpRouting.Builder routing) {
        routing.any((req, res) -> sendError(res, ApiException.notFound("no route for " + req.prologue().method().text()
                + " " + req.path().path(), null, "unknown_url")));
    }

    private Handler methodNotAllowed(String allowed) {
        return ApiResponses.methodNotAllowed(allowed, mapper);
    }

    private interface RawEndpoint {
        void handle(ServerRequest req, ServerResponse res) throws Exception;
    }

    private RawEndpoint withBody(Endpoint endpoint) {
        return (req, res) -> endpoint.handle(JsonRequest.parse(readBody(req), mapper), res);
    }

    /** Resolves the request's model, notes it (and whether the request streams) for the request log, holds it. */
    /** As {@link #withModel}, for endpoints that generate: an embedding model there is a 400 naming the field. */
    private Endpoint withGenerativeModel(ModelEndpoint endpoint) {
        return withModel((model, request, response) -> {
            if (!model.canGenerate()) {
                throw ApiException.invalid("the model '" + model.id() + "' is an embedding model: it answers"
                        + " /v1/embeddings only", "model");
            }
            endpoint.handle(model, request, response);
        });
    }

    private Endpoint withModel(ModelEndpoint endpoint) {
        return (request, response) -> {
            JsonNode stream = request.root().get("stream");
            RequestLog.stream(stream != null && stream.isBoolean() && stream.booleanValue());
            String id = ModelCheck.requestedId(request, models);
            RequestLog.model(id);
            try (ModelLease lease = ModelCheck.acquire(id, models)) {
                endpoint.handle(lease.model(), request, response);
            }
        };
    }

    private Handler guarded(RawEndpoint endpoint) {
        return (req, res) -> {
            try {
                ApiResponses.authorize(req, config.apiKey());
                if (draining.getAsBoolean()) {
                    throw ApiException.unavailable("the server is shutting down");
                }
                endpoint.handle(req, res);
            } catch (ApiException e) {
                sendError(res, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sendError(res, ApiException.unavailable("the request was interrupted"));
            } catch (IOException e) {
                LOG.log(Level.FINE, "client connection failed", e);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "request failed", e);
                sendError(res, ApiException.internal("internal error: " + e));
            }
        };
    }

    private byte[] readBody(ServerRequest req) throws IOException {
        return RequestBody.read(req, config.maxBodyBytes());
    }

    void sendJson(ServerResponse res, int status, Object body) throws IOException {
        ApiResponses.sendJson(res, mapper, status, body);
    }

    /** Writes an error body unless the response is already going out (streams report errors as events). */
    public void sendError(ServerResponse res, ApiException e) {
        ApiResponses.sendError(res, mapper, e);
    }
}
