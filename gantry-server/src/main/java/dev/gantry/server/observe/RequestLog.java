package dev.gantry.server.observe;

import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One log line per request when it ends, at INFO:
 * {@code POST /v1/chat/completions status=200 model=qwen3 prompt_tokens=12 completion_tokens=40 stream=yes ms=153}
 * (a field not known for that request is {@code -}). Never the prompt or the answer. Health probes are logged at
 * FINE only, since a Kubernetes probe every few seconds would bury the requests worth reading.
 *
 * <p>What the handlers learn (the model, the token counts, whether it streams) they report through the static
 * methods here, which write to the entry of the request running on the current thread: a {@link ScopedValue}
 * bound around the whole request, so nothing leaks from one request to the next and code running outside a
 * request reports into nothing.
 */
public final class RequestLog {

    private static final Logger LOG = Logger.getLogger(RequestLog.class.getName());
    private static final ScopedValue<Entry> CURRENT = ScopedValue.newInstance();

    /** What is known about the request in flight; written by its own thread only. */
    private static final class Entry {
        String model;
        int promptTokens = -1;
        int completionTokens = -1;
        Boolean stream;
    }

    /** Adds the logging filter; register it before the routes so it wraps them all. */
    public void register(HttpRouting.Builder routing) {
        routing.addFilter(this::filter);
    }

    private void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        Entry entry = new Entry();
        try {
            ScopedValue.where(CURRENT, entry).run(chain::proceed);
        } finally {
            String path = req.path().path();
            Level level = path.startsWith("/health/") ? Level.FINE : Level.INFO;
            if (LOG.isLoggable(level)) {
                LOG.log(level, line(req.prologue().method().text(), path, res.status().code(), entry,
                        (System.nanoTime() - start) / 1_000_000));
            }
        }
    }

    private static String line(String method, String path, int status, Entry e, long millis) {
        return method + " " + path + " status=" + status + " model=" + (e.model != null ? e.model : "-")
                + " prompt_tokens=" + count(e.promptTokens) + " completion_tokens=" + count(e.completionTokens)
                + " stream=" + (e.stream == null ? "-" : e.stream ? "yes" : "no") + " ms=" + millis;
    }

    private static String count(int n) {
        return n < 0 ? "-" : Integer.toString(n);
    }

    /** The model the current request was answered by. */
    public static void model(String id) {
        if (CURRENT.isBound()) {
            CURRENT.get().model = id;
        }
    }

    /** Whether the current request streams its answer. */
    public static void stream(boolean stream) {
        if (CURRENT.isBound()) {
            CURRENT.get().stream = stream;
        }
    }

    /** The current request's prompt tokens and the tokens generated for it (all choices together). */
    public static void tokens(int prompt, int completion) {
        if (CURRENT.isBound()) {
            Entry e = CURRENT.get();
            e.promptTokens = prompt;
            e.completionTokens = completion;
        }
    }
}
