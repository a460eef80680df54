package dev.gantry.server.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every route of the server answers the same way: JSON bodies, OpenAI error bodies (with {@code Retry-After}
 * on a 429), the bearer-key check and the 405 of a wrong method. Shared by the OpenAI and knowledge routes.
 */
public final class ApiResponses {

    private static final Logger LOG = Logger.getLogger(ApiResponses.class.getName());

    private ApiResponses() {
    }

    public static void sendJson(ServerResponse res, ObjectMapper mapper, int status, Object body) throws IOException {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(mapper.writeValueAsBytes(body));
    }

    /** Writes an error body unless the response is already going out (streams report errors as events). */
    public static void sendError(ServerResponse res, ObjectMapper mapper, ApiException e) {
        if (res.isSent()) {
            return;
        }
        try {
            if (e.retryAfterSeconds() != null) {
                res.header(HeaderNames.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
            }
            sendJson(res, mapper, e.status(), e.body());
        } catch (IOException | RuntimeException io) {
            LOG.log(Level.FINE, "could not send an error response", io);
        }
    }

    /**
     * The bearer token the request presented, checked against {@code apiKey} when the server has one (null: any or
     * none is accepted).
     *
     * @throws ApiException 401 when a key is required and missing or wrong
     */
    public static Optional<String> authorize(ServerRequest req, String apiKey) {
        Optional<String> given = req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim());
        if (apiKey == null) {
            return given;
        }
        if (given.isEmpty()) {
            throw ApiException.unauthorized("missing API key: send the header 'Authorization: Bearer <key>'");
        }
        // Constant-time, so the key cannot be guessed byte by byte from response times.
        if (!MessageDigest.isEqual(given.get().getBytes(StandardCharsets.UTF_8), apiKey.getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.unauthorized("incorrect API key provided");
        }
        return given;
    }

    /** A 405 naming the methods {@code allowed} on the path, in its {@code Allow} header too. */
    public static Handler methodNotAllowed(String allowed, ObjectMapper mapper) {
        return (req, res) -> {
            res.header(HeaderNames.ALLOW, allowed);
            sendError(res, mapper, new ApiException(405, "invalid_request_error", req.prologue().method().text()
                    + " is not allowed on " + req.path().path() + "; use " + allowed, null, "method_not_allowed", null));
        };
    }
}
