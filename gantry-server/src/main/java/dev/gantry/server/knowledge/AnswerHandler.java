package dev.gantry.server.knowledge;

import dev.gantry.knowledge.Answer;
import dev.gantry.knowledge.AnswerRequest;
import dev.gantry.knowledge.KnowledgeException;
import dev.gantry.knowledge.KnowledgeHub;
import dev.gantry.knowledge.answer.AnswerModel;
import dev.gantry.server.openai.ApiException;
import dev.gantry.server.openai.JsonRequest;
import dev.gantry.server.openai.SseStream;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST .../answer}: {@code {"question", "k", "mode", "filters", "max_tokens", "min_similarity", "model",
 * "stream"}}. The answer is written by the served model through its engine (greedy, so it is reproducible).
 * With {@code "stream": true} it comes as server-sent events: {@code knowledge.answer.chunk} events with
 * {@code delta} text as the model writes it, then one {@code knowledge.answer.done} event with the whole answer and
 * its citations, then {@code [DONE]}. A failure after the stream began is an {@code error} event, as OpenAI streams
 * report it; a client that goes away cancels the generation.
 */
final class AnswerHandler {

    private static final Logger LOG = Logger.getLogger(AnswerHandler.class.getName());
    static final int DEFAULT_K = 5;
    /** Default answer budget: 512 tokens, or a quarter of a small model's context so the sources keep room. */
    static final int DEFAULT_MAX_TOKENS = 512;

    private final KnowledgeHub hub;
    private final AnswerModels models;
    private final KnowledgeRoutes routes;

    AnswerHandler(KnowledgeHub hub, AnswerModels models, KnowledgeRoutes routes) {
        this.hub = hub;
        this.models = models;
        this.routes = routes;
    }

    void handle(KnowledgeCall call, ServerResponse res) throws IOException {
        JsonRequest body = call.json();
        String question = body.string("question").orElseThrow(() -> ApiException.invalid("question is required", "question"));
        try (AnswerModels.Leased leased = models.acquire(body)) {
            answer(call, body, question, leased, res);
        }
    }

    private void answer(KnowledgeCall call, JsonRequest body, String question, AnswerModels.Leased leased,
                        ServerResponse res) throws IOException {
        AnswerModel model = leased.model();
        int context = model.contextLength();
        int maxTokens = body.integer("max_tokens", 1, context - 1).orElse(Math.min(DEFAULT_MAX_TOKENS, context / 4));
        OptionalDouble floor = body.number("min_similarity");
        if (floor.isPresent() && (floor.getAsDouble() < -1 || floor.getAsDouble() > 1)) {
            throw ApiException.invalid("min_similarity is a cosine similarity in [-1, 1]", "min_similarity");
        }
        AnswerRequest request = new AnswerRequest(question, SearchHandler.mode(body),
                body.integer("k", 1, AnswerRequest.MAX_SOURCES).orElse(DEFAULT_K), SearchHandler.filters(body),
                maxTokens, floor.isPresent() ? floor.getAsDouble() : null);
        boolean stream = body.bool("stream").orElse(false);
        String id = "kans-" + UUID.randomUUID();
        long created = System.currentTimeMillis() / 1000;
        String served = leased.id();
        if (!stream) {
            Answer answer = hub.answer(call.tenant(), call.collection(), request, model, text -> { });
            routes.sendJson(res, 200, AnswerResponse.of(id, created, served, call.collection(), answer));
            return;
        }
        try (SseStream events = new SseStream(res, routes.mapper())) {
            Answer answer;
            try {
                answer = hub.answer(call.tenant(), call.collection(), request, model, text -> {
                    try {
                        events.send(AnswerResponse.Delta.of(id, text));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                LOG.log(Level.FINE, "the client of a streamed answer went away", e);
                return;
            } catch (RuntimeException e) {
                if (!events.started()) {
                    throw e;  // nothing sent yet: the routes answer with the right status
                }
                events.send(streamError(e).body());
                events.done();
                return;
            }
            events.send(AnswerResponse.done(id, created, served, call.collection(), answer));
            events.done();
        }
    }

    private static ApiException streamError(RuntimeException e) {
        if (e instanceof KnowledgeException k) {
            return KnowledgeRoutes.toApi(k);
        }
        LOG.log(Level.WARNING, "a streamed answer failed", e);
        return ApiException.internal("the answer failed: " + e.getMessage());
    }
}
