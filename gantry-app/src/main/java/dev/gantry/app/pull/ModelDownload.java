package dev.gantry.app.pull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one model file into a directory, the way {@code huggingface_hub} does for LFS files: into
 * {@code NAME.part}; an existing part is resumed with {@code Range: bytes=N-} (RFC 9110 §14.2; a server that
 * answers 200 instead of 206 is restarted from zero); then the whole file is checked against its SHA-256 and the
 * GGUF magic, and renamed into place atomically. A failed check deletes the part, since resuming it would only
 * repeat the failure; an interrupted transfer keeps it for the next attempt.
 *
 * <p>The SHA-256 is the one given, else the one Hugging Face sends for LFS files: {@code X-Linked-Etag} on its
 * redirect to the CDN, or the final {@code ETag}, when it is 64 hex digits (a git blob id, 40 digits, is not a
 * file hash). Redirects are followed here rather than by the client so the bearer token goes only to the host
 * that was asked, never to the CDN the signed redirect points at.
 */
public final class ModelDownload {

    /** Receives progress; calls come from the downloading thread. */
    public interface Progress {
        /** {@code done} of {@code total} bytes ({@code total} < 0 when unknown), {@code resumedFrom} already there. */
        void update(String name, long done, long total, long resumedFrom);

        /** Something the user should know that is not an error (no checksum known, a restart). */
        void note(String message);
    }

    private static final int MAX_REDIRECTS = 10;
    private static final int BUFFER = 1 << 20;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED = Pattern.compile("bytes \\*/(\\d+)");
    private static final byte[] GGUF_MAGIC = "GGUF".getBytes(StandardCharsets.US_ASCII);

    private final HttpClient client;
    private final String token;
    private final Progress progress;

    /** @param token a bearer token for the source host ({@code HF_TOKEN}), or null */
    public ModelDownload(HttpClient client, String token, Progress progress) {
        this.client = client;
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.progress = progress;
    }

    /** A client as this class wants it: redirects are followed by hand, connecting gives up after 30 s. */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** What one pull did. */
    public record Result(Path file, long bytes, Optional<String> sha256, boolean verified) {
    }

    /**
     * Downloads {@code source} into {@code dir} (created if needed) as {@link PullSource#fileName()}.
     *
     * @param expectedSha256 64 hex digits to check against, or null to use the server's
     * @throws PullException with a one-line message for every failure
     */
    public Result pull(PullSource source, Path dir, String expectedSha256) throws IOException, InterruptedException {
        String expected = expectedSha256 == null ? null : expectedSha256.strip().toLowerCase(Locale.ROOT);
        if (expected != null && !SHA256.matcher(expected).matches()) {
            throw new PullException("--sha256 must be 64 hex digits, got '" + expectedSha256 + "'");
        }
        Files.createDirectories(dir);
        Path part = dir.resolve(source.fileName() + ".part");
        Path target = dir.resolve(source.fileName());
        MessageDigest sha = sha256();
        long have = Files.isRegularFile(part) ? hashInto(sha, part) : 0;
        Opened opened = open(source.uri(), have);
        HttpResponse<InputStream> r = opened.response();
        long total;
        try (InputStream body = r.body()) {
            switch (r.statusCode()) {
                case 206 -> total = resumedTotal(r, have, source);
                case 200 -> {
                    if (have > 0) {
                        progress.note("the server does not resume downloads; starting " + source.fileName() + " again");
                        have = 0;
                        sha.reset();
                    }
                    total = r.headers().firstValueAsLong("content-length").orElse(opened.linkedSize().orElse(-1));
                }
                case 416 -> {
                    total = unsatisfiedTotal(r);
                    if (total != have) {
                        // The part is longer than the file (it changed upstream): it is of no use.
                        Files.deleteIfExists(part);
                        progress.note("the partial download of " + source.fileName() + " does not match the file; starting again");
                        return pull(source, dir, expectedSha256);
                    }
                }
                default -> throw failure(r.statusCode(), source);
            }
            if (r.statusCode() != 416) {
                checkSpace(dir, total, have);
                copy(body, part, have, total, sha, source);
            }
        }
        String known = expected != null ? expected : opened.sha256().orElse(null);
        return finish(source, part, target, sha, known);
    }

    private Result finish(PullSource source, Path part, Path target, MessageDigest sha, String expected) throws IOException {
        byte[] head = new byte[GGUF_MAGIC.length];
        int n;
        try (InputStream in = Files.newInputStream(part)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n < head.length || !java.util.Arrays.equals(head, GGUF_MAGIC)) {
            Files.deleteIfExists(part);
            throw new PullException(source.fileName() + " is not a GGUF file (it starts with '"
                    + new String(head, 0, n, StandardCharsets.ISO_8859_1).replaceAll("\\p{Cntrl}", "?") + "'); the download"
                    + " was deleted (a /blob/ or web page URL? use the file's /resolve/ download link)");
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (expected != null && !expected.equals(actual)) {
            Files.deleteIfExists(part);
            throw new PullException("checksum mismatch for " + source.fileName() + ": expected sha256 " + expected
                    + ", got " + actual + "; the download was deleted, run the command again");
        }
        if (expected == null) {
            progress.note("no SHA-256 known for " + source.fileName() + " (pass --sha256 to check it); sha256 is " + actual);
        }
        long size = Files.size(part);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Result(target, size, Optional.of(actual), expected != null);
    }

    /** The response to a GET of {@code uri} after redirects, with the LFS headers seen on the way. */
    private record Opened(HttpResponse<InputStream> response, Optional<String> sha256, OptionalLong linkedSize) {
    }

    private Opened open(URI uri, long from) throws IOException, InterruptedException {
        URI current = uri;
        String linked = null;
        OptionalLong linkedSize = OptionalLong.empty();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(current).GET().header("User-Agent", "gantry/0.1");
            if (from > 0) {
                b.header("Range", "bytes=" + from + "-");
            }
            if (token != null && sameOrigin(current, uri)) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<InputStream> r = send(b.build(), current);
            if (linked == null) {
                linked = sha256Of(r.headers().firstValue("x-linked-etag")).orElse(null);
            }
            if (linkedSize.isEmpty()) {
                linkedSize = r.headers().firstValueAsLong("x-linked-size");
            }
            int status = r.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String location = r.headers().firstValue("location")
                        .orElseThrow(() -> new PullException("HTTP " + status + " from " + uri + " without a Location"));
                r.body().close();
                current = current.resolve(location);
                continue;
            }
            Optional<String> sha = linked != null ? Optional.of(linked) : sha256Of(r.headers().firstValue("etag"));
            return new Opened(r, sha, linkedSize);
        }
        throw new PullException("more than " + MAX_REDIRECTS + " redirects from " + uri);
    }

    private HttpResponse<InputStream> send(HttpRequest request, URI uri) throws IOException, InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new PullException("cannot connect to " + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + " (" + (e.getMessage() != null ? e.getMessage() : "connection refused") + ")", e);
        } catch (HttpTimeoutException e) {
            throw new PullException("no answer from " + uri.getHost() + " in time: " + e.getMessage(), e);
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort()
                && a.getScheme().equalsIgnoreCase(b.getScheme());
    }

    /** An ETag's value when it is a SHA-256 ({@code "…"} and a weak {@code W/} prefix removed). */
    private static Optional<String> sha256Of(Optional<String> etag) {
        return etag.map(e -> e.strip().replaceFirst("^W/", "").replace("\"", "").toLowerCase(Locale.ROOT))
                .filter(e -> SHA256.matcher(e).matches());
    }

    private static long resumedTotal(HttpResponse<?> r, long have, PullSource source) throws PullException {
        String range = r.headers().firstValue("content-range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(range);
        if (!m.matches() || Long.parseLong(m.group(1)) != have) {
            throw new PullException("the server resumed " + source.fileName() + " at the wrong place ('" + range
                    + "' for bytes " + have + "-); delete " + source.fileName() + ".part and pull again");
        }
        return m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
    }

    private static long unsatisfiedTotal(HttpResponse<?> r) {
        Matcher m = UNSATISFIED.matcher(r.headers().firstValue("content-range").orElse(""));
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static PullException failure(int status, PullSource source) {
        return switch (status) {
            case 404 -> new PullException("not found: " + source.uri() + " (HTTP 404; check the repository, revision"
                    + " and file name)");
            case 401, 403 -> new PullException("access denied to " + source.uri() + " (HTTP " + status + "): the"
                    + " repository may be gated or private; set HF_TOKEN to a token that can read it");
            default -> new PullException("HTTP " + status + " from " + source.uri());
        };
    }

    private static void checkSpace(Path dir, long total, long have) throws IOException {
        if (total < 0) {
            return;
        }
        long free = Files.getFileStore(dir).getUsableSpace();
        if (total - have > free) {
            throw new PullException("not enough disk space in " + dir + ": the download needs " + mib(total - have)
                    + " more, " + mib(free) + " is free");
        }
    }

    private void copy(InputStream body, Path part, long have, long total, MessageDigest sha, PullSource source)
            throws IOException {
        StandardOpenOption mode = have > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        long done = have;
        byte[] buffer = new byte[BUFFER];
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            progress.update(source.fileName(), done, total, have);
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    throw interrupted(source, done, total, e);
                }
                if (n < 0) {
                    break;
                }
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new PullException("cannot write " + part + ": " + e.getMessage() + " (is the disk full?); "
                            + "free some space and run the command again to resume", e);
                }
                sha.update(buffer, 0, n);
                done += n;
                progress.update(source.fileName(), done, total, have);
            }
        }
        if (total >= 0 && done != total) {
            throw interrupted(source, done, total, null);
        }
    }

    private static PullException interrupted(PullSource source, long done, long total, IOException cause) {
        return new PullException("the download of " + source.fileName() + " stopped after " + done
                + (total >= 0 ? " of " + total : "") + " bytes" + (cause != null && cause.getMessage() != null
                ? " (" + cause.getMessage() + ")" : "") + "; run the same command again to resume", cause);
    }

    /** Reads an existing part through the digest, so a resumed file is still hashed whole; returns its size. */
    private static long hashInto(MessageDigest sha, Path part) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long size = 0;
        try (InputStream in = Files.newInputStream(part)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                size += n;
            }
        }
        return size;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
