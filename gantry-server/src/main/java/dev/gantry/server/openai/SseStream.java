package dev.gantry.server.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events in OpenAI's framing: {@code data: <json>\n\n} per event, flushed at once, {@code data: [DONE]}
 * last (WHATWG HTML, "Server-sent events"). Written straight to the response stream so the bytes are exactly
 * OpenAI's. The response is committed only at the first event, so a request that fails before anything was sent
 * still gets its status and error body. A client that went away shows up as an {@link IOException} on the next
 * event, which is how a disconnect is noticed and the generation cancelled.
 */
public final class SseStream implements AutoCloseable {

    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerResponse response;
    private final ObjectMapper mapper;
    private OutputStream out;

    public SseStream(ServerResponse response, ObjectMapper mapper) {
        this.response = response;
        this.mapper = mapper;
    }

    public boolean started() {
        return out != null;
    }

    /** Sends one event; a client that went away shows up as an {@link IOException}. */
    public void send(Object event) throws IOException {
        String json;
        try {
            json = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an event: " + e.getOriginalMessage(), e);
        }
        write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    public void done() throws IOException {
        write(DONE);
    }

    private void write(byte[] bytes) throws IOException {
        try {
            if (out == null) {
                response.status(200);
                response.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
                response.header(HeaderNames.CACHE_CONTROL, "no-cache");
                out = response.outputStream();
            }
            out.write(bytes);
            out.flush();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            // Helidon reports a closed connection with its own unchecked exceptions.
            throw new IOException("the client went away: " + e, e);
        }
    }

    @Override
    public void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException | RuntimeException e) {
            // The client is gone; there is nobody to tell.
        }
    }
}
