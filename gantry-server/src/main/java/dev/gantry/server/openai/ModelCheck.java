package dev.gantry.server.openai;

import dev.gantry.server.ServedModel;

/**
 * The {@code model} field of a request must name a served model (404 otherwise, as OpenAI answers for an
 * unknown model). It may be left out, as llama-server allows, for the one model served.
 */
final class ModelCheck {

    private ModelCheck() {
    }

    static void requireServed(JsonRequest request, ServedModel model) {
        request.string("model").ifPresent(name -> {
            if (!name.equals(model.id())) {
                throw ApiException.notFound("The model '" + name + "' does not exist; this server serves '"
                        + model.id() + "' (GET /v1/models lists it)", "model", "model_not_found");
            }
        });
    }
}
