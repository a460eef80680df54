package dev.gantry.server;

/**
 * How the server listens, validated once at the edge.
 *
 * @param host         address to bind (127.0.0.1 keeps it local)
 * @param port         TCP port; 0 picks a free one ({@link GantryServer#port()} tells which)
 * @param apiKey       when non-null, every {@code /v1} request must send {@code Authorization: Bearer <apiKey>}
 * @param maxBodyBytes request bodies above this are refused with 413 before they are parsed
 */
public record ServerConfig(String host, int port, String apiKey, long maxBodyBytes) {

    /** 8 MiB: far above any prompt the context can hold, small enough that a hostile body costs little. */
    public static final long DEFAULT_MAX_BODY_BYTES = 8L << 20;

    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key must not be blank");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("the body limit must be at least 1 byte, got " + maxBodyBytes);
        }
    }

    public static ServerConfig of(String host, int port) {
        return new ServerConfig(host, port, null, DEFAULT_MAX_BODY_BYTES);
    }

    public ServerConfig withApiKey(String key) {
        return new ServerConfig(host, port, key, maxBodyBytes);
    }

    public ServerConfig withMaxBodyBytes(long bytes) {
        return new ServerConfig(host, port, apiKey, bytes);
    }
}
