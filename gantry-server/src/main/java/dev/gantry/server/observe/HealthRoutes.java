package dev.gantry.server.observe;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health/live} (200 while the process answers) and {@code GET /health/ready} (200 when the model is
 * loaded and the server takes requests, 503 otherwise), with {@code GET /health} as readiness too: the path
 * llama-server and vLLM answer, which existing load balancers and clients probe. None touches the engine's queue, so
 * they answer even when it is full.
 */
public final class HealthRoutes {

    private final BooleanSupplier ready;

    public HealthRoutes(BooleanSupplier ready) {
        this.ready = ready;
    }

    public void register(HttpRouting.Builder routing) {
        routing.get("/health/live", (req, res) -> send(res, 200, "{\"status\":\"live\"}"));
        routing.get("/health/ready", (req, res) -> readiness(res));
        routing.get("/health", (req, res) -> readiness(res));
    }

    private void readiness(ServerResponse res) {
        boolean ok = ready.getAsBoolean();
        send(res, ok ? 200 : 503, ok ? "{\"status\":\"ready\"}" : "{\"status\":\"not ready\"}");
    }

    private static void send(ServerResponse res, int status, String json) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json.getBytes(StandardCharsets.UTF_8));
    }
}
