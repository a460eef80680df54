package dev.gantry.server.knowledge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.server.openai.ApiException;
import dev.gantry.server.openai.JsonRequest;
import dev.gantry.server.openai.RequestBody;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.util.Optional;

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
        return RequestBody.read(request, limit);
    }
}
