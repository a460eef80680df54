package dev.gantry.server.openai;

import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/** A request's body, refused with 413 past a limit, whether a Content-Length announced it or not. */
public final class RequestBody {

    private RequestBody() {
    }

    public static byte[] read(ServerRequest request, long limit) throws IOException {
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
