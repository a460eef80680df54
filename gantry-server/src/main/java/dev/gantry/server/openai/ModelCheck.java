package dev.gantry.server.openai;

import dev.gantry.server.ServedModel;
import dev.gantry.server.models.ModelLease;
import dev.gantry.server.models.ModelRegistry;
import dev.gantry.server.models.ModelUnavailableException;
import dev.gantry.server.models.UnknownModelException;

/**
 * The {@code model} field of a request names the model that answers it: one of the registry's (404
 * {@code model_not_found} otherwise, as OpenAI answers for an unknown model). It may be left out, as llama-server
 * allows, when the server has a default model (the first {@code --model}, or the only one).
 *
 * <p>A model that cannot be loaded now answers 503 ({@code model_too_large}: it alone exceeds the models memory
 * budget, so no Retry-After; {@code model_memory_busy}: the models answering other requests leave no room, so
 * Retry-After) or 500 ({@code model_load_failed}: its file is broken).
 */
public final class ModelCheck {

    private ModelCheck() {
    }

    /** The id the request asks for, or the default one. */
    public static String requestedId(JsonRequest request, ModelRegistry models) {
        return request.string("model").or(models::defaultModel).orElseThrow(() -> ApiException.invalid(
                "model is required: this server has several models (GET /v1/models lists them)", "model"));
    }

    /** Holds the requested model, loading it if needed, until the lease is closed. */
    public static ModelLease acquire(String id, ModelRegistry models) {
        try {
            return models.acquire(id);
        } catch (UnknownModelException e) {
            throw ApiException.notFound(e.getMessage(), "model", "model_not_found");
        } catch (ModelUnavailableException e) {
            throw switch (e.reason()) {
                case TOO_LARGE -> new ApiException(503, "server_error", e.getMessage(), "model", "model_too_large", null);
                case BUSY -> new ApiException(503, "server_error", e.getMessage(), "model", "model_memory_busy", 1);
                case LOAD_FAILED -> new ApiException(500, "server_error", e.getMessage(), "model", "model_load_failed", null);
                case CLOSED -> ApiException.unavailable(e.getMessage());
            };
        }
    }

    /** A handler's own check that the request names the model it was given (or none). */
    static void requireServed(JsonRequest request, ServedModel model) {
        request.string("model").ifPresent(name -> {
            if (!name.equals(model.id())) {
                throw ApiException.notFound("The model '" + name + "' does not exist; this handler serves '"
                        + model.id() + "' (GET /v1/models lists the models)", "model", "model_not_found");
            }
        });
    }
}
