package dev.gantry.app.pull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for Hugging Face on 127.0.0.1: {@code /org/repo/resolve/main/NAME} redirects (302, with
 * {@code X-Linked-Etag} and {@code X-Linked-Size} as the Hub sends for LFS files) to {@code /cdn/NAME} on
 * {@code localhost}, a different origin, which serves the bytes with Range support. It can cut the first transfer
 * short, announce a wrong hash, or ignore ranges; it records what each request sent.
 */
public final class HubServer implements AutoCloseable {

    /** One request as the server saw it. */
    public record Seen(String path, String range, String authorization) {
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer http;
    private final byte[] content;
    private final String name;
    public final List<Seen> seen = new CopyOnWriteArrayList<>();
    volatile long cutFirstAfter = -1;
    volatile String announcedSha256;
    volatile boolean honourRanges = true;

    public HubServer(String name, byte[] content) throws IOException {
        this.name = name;
        this.content = content;
        this.announcedSha256 = sha256(content);
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", this::handle);
        http.start();
    }

    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/org/repo/resolve/main/" + name;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        seen.add(new Seen(path, ex.getRequestHeaders().getFirst("Range"), ex.getRequestHeaders().getFirst("Authorization")));
        try (ex) {
            if (path.equals("/org/repo/resolve/main/" + name)) {
                ex.getResponseHeaders().add("Location", "http://localhost:" + http.getAddress().getPort() + "/cdn/" + name);
                ex.getResponseHeaders().add("X-Linked-Etag", "\"" + announcedSha256 + "\"");
                ex.getResponseHeaders().add("X-Linked-Size", Long.toString(content.length));
                ex.sendResponseHeaders(302, -1);
            } else if (path.equals("/cdn/" + name)) {
                serve(ex);
            } else {
                byte[] body = "{\"error\":\"Entry not found\"}".getBytes();
                ex.sendResponseHeaders(404, body.length);
                ex.getResponseBody().write(body);
            }
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : RANGE.matcher(range);
        long from = m != null && m.matches() && honourRanges ? Long.parseLong(m.group(1)) : 0;
        if (from >= content.length && from > 0) {
            ex.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
            ex.sendResponseHeaders(416, -1);
            return;
        }
        if (from > 0) {
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        long length = content.length - from;
        ex.sendResponseHeaders(from > 0 ? 206 : 200, length);
        OutputStream out = ex.getResponseBody();
        long cut = cutFirstAfter;
        if (cut >= 0) {
            cutFirstAfter = -1;
            out.write(content, (int) from, (int) cut);
            out.flush();
            // Ends the exchange short of its Content-Length: the client sees the connection drop mid-body.
            throw new IOException("cut short on purpose");
        }
        out.write(content, (int) from, (int) length);
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
