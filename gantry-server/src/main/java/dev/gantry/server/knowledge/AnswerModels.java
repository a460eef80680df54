package dev.gantry.server.knowledge;

import dev.gantry.knowledge.answer.AnswerModel;
import dev.gantry.knowledge.answer.EngineAnswerModel;
import dev.gantry.server.ServedModel;
import dev.gantry.server.models.ModelLease;
import dev.gantry.server.models.ModelRegistry;
import dev.gantry.server.openai.ApiException;
import dev.gantry.server.openai.JsonRequest;
import dev.gantry.server.openai.ModelCheck;

/**
 * The language models answers may be written with: the registry's, each through the engine that already batches
 * its chat traffic. A request names one with {@code model}, or leaves it out for the default model; the model is
 * held (never unloaded) until the answer is done.
 */
final class AnswerModels {

    /** An answer model held for one request: closing it releases the model to its keep-alive. */
    record Leased(String id, AnswerModel model, ModelLease lease) implements AutoCloseable {
        @Override
        public void close() {
            lease.close();
        }
    }

    private final ModelRegistry registry;

    AnswerModels(ModelRegistry registry) {
        this.registry = registry;
    }

    /** The model the request names (404 {@code model_not_found} for one not served), or the default one. */
    Leased acquire(JsonRequest request) {
        String id = ModelCheck.requestedId(request, registry);
        ModelLease lease = ModelCheck.acquire(id, registry);
        ServedModel served = lease.model();
        if (!served.canGenerate()) {
            lease.close();
            throw ApiException.invalid("the model '" + id + "' is an embedding model and cannot write answers", "model");
        }
        return new Leased(id, EngineAnswerModel.on(served.model(), served.engine(), served.chat()), lease);
    }
}
