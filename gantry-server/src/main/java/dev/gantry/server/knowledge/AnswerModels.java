package dev.gantry.server.knowledge;

import dev.gantry.knowledge.answer.AnswerModel;
import dev.gantry.knowledge.answer.EngineAnswerModel;
import dev.gantry.server.ServedModel;
import dev.gantry.server.openai.ApiException;
import java.util.Optional;

/**
 * The language models answers may be written with: the served models, each through the engine that already batches
 * its chat traffic. A request names one with {@code model}, or leaves it out for the served model.
 */
final class AnswerModels {

    private final ServedModel served;
    private final EngineAnswerModel model;

    private AnswerModels(ServedModel served) {
        this.served = served;
        this.model = EngineAnswerModel.on(served.model(), served.engine(), served.chat());
    }

    static AnswerModels of(ServedModel served) {
        return new AnswerModels(served);
    }

    /** The model a request names (404 {@code model_not_found} for one not served), or the served one. */
    AnswerModel find(Optional<String> id) {
        if (id.isPresent() && !id.get().equals(served.id())) {
            throw ApiException.notFound("The model '" + id.get() + "' does not exist; this server serves '"
                    + served.id() + "' (GET /v1/models lists it)", "model", "model_not_found");
        }
        return model;
    }

    String id(Optional<String> requested) {
        return requested.orElse(served.id());
    }
}
