package dev.gantry.server.knowledge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.server.openai.ApiException;
import dev.gantry.server.openai.JsonRequest;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One authorised request to a knowledge route: the tenant it acts for, its path parameters and its body, read
 * under a limit (413 past it, whether a {@code Content-Length} announced it or not).
 *
 * @param jsonLimit the body limit of JSON requests (the server's)
 */
record KnowledgeCall(String tenant, ServerRequest request, ObjectMapper mapper, long jsonLimit) {

    /** The collection named in the path. */
    String collection() {
        return request.path().pathParameters().get("name");
    }

    String param(String name) {
        return request.path().pathParameters().get(name);
    }

    Optional<String> contentType() {
        return request.headers().first(HeaderNames.CONTENT_TYPE);
    }

    /** The body as a JSON object (400 when it is not one). */
    JsonRequest json() throws IOException {
        return JsonRequest.parse(body(jsonLimit), mapper);
    }

    byte[] body(long limit) throws IOException {
        OptionalLong declared = request.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > limit) {
            throw tooLarge(limit);
        }
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = request.content().inputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                throw tooLarge(limit);
            }
            return body;
        }
    }

    private static ApiException tooLarge(long limit) {
        return new ApiException(413, "invalid_request_error", "the request body is larger than " + limit + " bytes",
                null, "request_too_large", null);
    }
}
