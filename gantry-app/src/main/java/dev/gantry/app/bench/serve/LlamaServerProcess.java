package dev.gantry.app.bench.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * llama.cpp's llama-server as a child process for the length of one benchmark: started with one slot per client
 * and a context of {@code slots * tokensPerSlot} (llama-server divides its context among its slots), on a free
 * local port, waited for until {@code GET /health} answers 200, and stopped by {@link #close()}, which waits for
 * it to exit. A shutdown hook kills it if the JVM exits first, so it is never left running. Its output goes to a
 * log file whose tail is quoted when it fails to start.
 */
public final class LlamaServerProcess implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final Path log;
    private final URI base;
    private final Thread killer;

    private LlamaServerProcess(Process process, Path log, URI base) {
        this.process = process;
        this.log = log;
        this.base = base;
        this.killer = new Thread(process::destroyForcibly, "llama-server-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Starts {@code executable} on {@code model} and returns once it is healthy.
     *
     * @throws IllegalStateException when it exits early or is not healthy within {@code timeout} (it is stopped then)
     */
    public static LlamaServerProcess start(Path executable, Path model, int slots, int tokensPerSlot, int threads,
                                           Duration timeout) throws InterruptedException {
        if (!Files.isExecutable(executable)) {
            throw new IllegalArgumentException("--llama-server " + executable + " is not an executable file");
        }
        try {
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(executable.toString(), "-m", model.toString(),
                    "-np", Integer.toString(slots), "-c", Long.toString((long) slots * tokensPerSlot),
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "-t", Integer.toString(threads)));
            if (helpMentions(executable, "--no-webui")) {
                command.add("--no-webui");
            }
            Path log = Files.createTempFile("gantry-llama-server-", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            LlamaServerProcess server = new LlamaServerProcess(p, log, URI.create("http://127.0.0.1:" + port));
            try {
                server.awaitHealthy(timeout, String.join(" ", command));
            } catch (RuntimeException | InterruptedException e) {
                server.stop();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + executable + ": " + e.getMessage(), e);
        }
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return base;
    }

    private void awaitHealthy(Duration timeout, String command) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest health = HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(5)).build();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("llama-server exited with code " + process.exitValue()
                            + " before it was ready (" + command + "); its log " + log + " ends:\n" + tail());
                }
                try {
                    if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYetListening) {
                    // connection refused while it loads the model: poll again
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("llama-server was not healthy (GET " + base + "/health) within "
                            + timeout.toSeconds() + " s (" + command + "); its log " + log + " ends:\n" + tail());
                }
                Thread.sleep(200);
            }
        }
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    private static boolean helpMentions(Path executable, String flag) throws IOException, InterruptedException {
        Process help = new ProcessBuilder(executable.toString(), "--help").redirectErrorStream(true).start();
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!help.waitFor(30, TimeUnit.SECONDS)) {
            help.destroyForcibly().waitFor();
        }
        return text.contains(flag);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops the server and waits for it to exit (killing it after a grace period); the log is deleted. */
    @Override
    public void close() {
        try {
            stop();
            Files.deleteIfExists(log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete llama-server's log " + log, e);
        }
    }

    private void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs anyway and finds the process gone
        }
    }
}
