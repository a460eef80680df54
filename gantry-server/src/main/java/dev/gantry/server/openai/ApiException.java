package dev.gantry.server.openai;

/**
 * A request refused with an HTTP status and an OpenAI error body. Thrown anywhere while a request is validated;
 * the routes turn it into the response, so nothing is queued for a request that fails.
 *
 * @see ErrorBody
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String type, String message, String param, String code, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400: the request is malformed or a value is out of range; {@code param} names the field, or null. */
    public static ApiException invalid(String message, String param) {
        return new ApiException(400, "invalid_request_error", message, param, null, null);
    }

    public static ApiException invalid(String message, String param, String code) {
        return new ApiException(400, "invalid_request_error", message, param, code, null);
    }

    public static ApiException notFound(String message, String param, String code) {
        return new ApiException(404, "invalid_request_error", message, param, code, null);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "authentication_error", message, null, "invalid_api_key", null);
    }

    public static ApiException overloaded(String message) {
        return new ApiException(429, "rate_limit_error", message, null, "rate_limit_exceeded", 1);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "server_error", message, null, "unavailable", 1);
    }

    public static ApiException internal(String message) {
        return new ApiException(500, "server_error", message, null, null, null);
    }

    public int status() {
        return status;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ErrorBody body() {
        return new ErrorBody(new ErrorBody.Error(getMessage(), type, param, code));
    }
}
