package dev.gantry.app.bench.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The one client every target gets: {@code clients} virtual threads, each sending the next prompt as soon as its
 * previous stream ended (so at most {@code clients} requests are in flight, as {@code vllm bench serve
 * --max-concurrency} with an infinite request rate), each a streamed {@code POST /v1/completions} with the prompt
 * as token ids, {@code max_tokens}, {@code ignore_eos}, greedy sampling and {@code stream_options.include_usage}.
 * Server-sent events are read line by line and timed as each {@code data:} line arrives.
 */
public final class OpenAiLoadClient implements AutoCloseable {

    /** A whole request may take this long on a loaded machine before it counts as failed. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    /**
     * How often a request that got no response at all is sent again. llama-server (cpp-httplib) closes a
     * keep-alive connection after a fixed number of requests, and the JDK client may already have picked that
     * connection for the next POST, which then fails with no bytes received; POST is not retried by the JDK.
     */
    private static final int STALE_CONNECTION_RETRIES = 2;

    private final URI base;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;

    /** A client of the server at {@code base} (e.g. {@code http://127.0.0.1:8080}). */
    public OpenAiLoadClient(URI base) {
        this.base = base;
        // HTTP/1.1: llama-server speaks nothing else, and an h2c upgrade attempt would be a difference between targets.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Runs the warm-up (untimed, concurrently), then the timed load; {@code target} names the row. */
    public ServeResult run(String target, ServeLoad load, List<int[]> prompts) throws InterruptedException {
        String model = modelId();
        if (load.warmup() > 0) {
            List<int[]> warm = new ArrayList<>();
            for (int i = 0; i < load.warmup(); i++) {
                warm.add(prompts.get(i % prompts.size()));
            }
            drive(load, warm, model);
        }
        long start = System.nanoTime();
        List<RequestOutcome> outcomes = drive(load, prompts, model);
        return ServeResult.of(target, (System.nanoTime() - start) / 1e9, outcomes);
    }

    private List<RequestOutcome> drive(ServeLoad load, List<int[]> prompts, String model) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicReferenceArray<RequestOutcome> outcomes = new AtomicReferenceArray<>(prompts.size());
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < Math.min(load.clients(), prompts.size()); c++) {
            clients.add(Thread.ofVirtual().name("bench-client-" + c).start(() -> {
                for (int i = next.getAndIncrement(); i < prompts.size(); i = next.getAndIncrement()) {
                    outcomes.set(i, request(body(model, prompts.get(i), load.outputLength())));
                }
            }));
        }
        for (Thread t : clients) {
            t.join();
        }
        List<RequestOutcome> all = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            all.add(outcomes.get(i));
        }
        return all;
    }

    private String body(String model, int[] prompt, int outputLength) {
        ObjectNode b = mapper.createObjectNode();
        if (model != null) {
            b.put("model", model);
        }
        var ids = b.putArray("prompt");
        for (int id : prompt) {
            ids.add(id);
        }
        b.put("max_tokens", outputLength);
        b.put("temperature", 0);
        b.put("ignore_eos", true);
        b.put("stream", true);
        b.putObject("stream_options").put("include_usage", true);
        return b.toString();
    }

    /** One streamed request, timed as vLLM's {@code async_request_openai_completions} times it. */
    private RequestOutcome request(String body) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/v1/completions"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            long sent = System.nanoTime();
            HttpResponse<InputStream> response = null;
            int attempts = 0;
            while (response == null) {
                attempts++;
                try {
                    response = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
                } catch (HttpTimeoutException e) {
                    throw e;
                } catch (IOException noResponse) {
                    if (attempts > STALE_CONNECTION_RETRIES) {
                        throw noResponse;
                    }
                    sent = System.nanoTime();  // resent on a new connection: timed from the resend
                }
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                if (response.statusCode() != 200) {
                    return RequestOutcome.failed("HTTP " + response.statusCode() + ": " + abbreviate(readAll(in)));
                }
                return readStream(in, sent).resent(attempts - 1);
            }
        } catch (IOException e) {
            return RequestOutcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RequestOutcome.failed("interrupted");
        }
    }

    private RequestOutcome readStream(BufferedReader in, long sent) throws IOException {
        List<Double> itl = new ArrayList<>();
        double ttft = Double.NaN;
        long last = 0;
        int chunks = 0;
        int usageTokens = -1;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            long now = System.nanoTime();
            if (!line.startsWith("data:")) {
                continue;  // SSE comments, event names and the blank lines between events
            }
            String data = line.substring("data:".length()).trim();
            if (data.equals("[DONE]")) {
                break;
            }
            JsonNode event = mapper.readTree(data);
            if (event.hasNonNull("error")) {
                return RequestOutcome.failed("error event: " + abbreviate(event.get("error").toString()));
            }
            JsonNode choices = event.path("choices");
            String text = choices.isArray() && !choices.isEmpty() ? choices.get(0).path("text").asText("") : "";
            if (!text.isEmpty()) {
                if (chunks == 0) {
                    ttft = (now - sent) / 1e6;
                } else {
                    itl.add((now - last) / 1e6);
                }
                last = now;
                chunks++;
            }
            JsonNode usage = event.path("usage");
            if (usage.hasNonNull("completion_tokens")) {
                usageTokens = usage.get("completion_tokens").asInt();
            }
        }
        if (chunks == 0) {
            return RequestOutcome.failed("the stream ended without any text");
        }
        return new RequestOutcome(ttft, itl.stream().mapToDouble(Double::doubleValue).toArray(),
                usageTokens >= 0 ? usageTokens : chunks, (System.nanoTime() - sent) / 1e6, 0, null);
    }

    /** The first model {@code GET /v1/models} lists, or null (the field is then left out) when it lists none. */
    private String modelId() throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/models")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode data = r.statusCode() == 200 ? mapper.readTree(r.body()).path("data") : null;
            return data != null && data.isArray() && !data.isEmpty() ? data.get(0).path("id").asText(null) : null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + base + " (GET /v1/models): " + e.getMessage(), e);
        }
    }

    private static String readAll(BufferedReader in) throws IOException {
        StringBuilder s = new StringBuilder();
        for (String line = in.readLine(); line != null && s.length() < 1000; line = in.readLine()) {
            s.append(line).append(' ');
        }
        return s.toString().trim();
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    @Override
    public void close() {
        http.close();
        threads.close();
    }
}
