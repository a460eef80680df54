package dev.gantry.app.pull;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to download and the name it gets in the models directory (the URL's last path segment). Read from any of:
 * <ul>
 *   <li>{@code https://huggingface.co/{org}/{repo}/resolve/{rev}/{path}.gguf} (a {@code /blob/} page link is
 *       turned into its {@code /resolve/} download link), or any other http(s) URL of a {@code .gguf} file;</li>
 *   <li>{@code hf://{org}/{repo}/{path}.gguf}, revision {@code main}, or {@code hf://{org}/{repo}@{rev}/{path}};</li>
 *   <li>{@code {org}/{repo}:{path}.gguf}, as llama.cpp's {@code -hf} and Ollama's {@code hf.co/} names read.</li>
 * </ul>
 * The short forms resolve against a Hugging Face endpoint ({@code https://huggingface.co}, or a mirror).
 */
public record PullSource(URI uri, String fileName) {

    public static final URI HUGGING_FACE = URI.create("https://huggingface.co");

    private static final Pattern HF_SCHEME = Pattern.compile("hf://([^/@\\s]+)/([^/@\\s]+)(?:@([^/\\s]+))?/(.+)");
    private static final Pattern SHORT = Pattern.compile("([\\w.-]+)/([\\w.-]+)(?:@([^:\\s]+))?:(.+)");
    private static final Pattern BLOB = Pattern.compile("^(/[^/]+/[^/]+)/blob/(.+)$");

    public PullSource {
        if (uri == null || fileName == null || fileName.isBlank()) {
            throw new IllegalArgumentException("a pull needs a URL and a file name");
        }
    }

    /** Reads {@code spec}; the short forms resolve against {@code endpoint}. */
    public static PullSource parse(String spec, URI endpoint) {
        String s = spec.strip();
        Matcher hf = HF_SCHEME.matcher(s);
        if (hf.matches()) {
            return onHub(endpoint, hf.group(1), hf.group(2), hf.group(3), hf.group(4), spec);
        }
        Matcher shorthand = SHORT.matcher(s);
        if (!s.contains("://") && shorthand.matches()) {
            return onHub(endpoint, shorthand.group(1), shorthand.group(2), shorthand.group(3), shorthand.group(4), spec);
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + spec + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + spec + "' is not a model to pull: give"
                    + " https://huggingface.co/ORG/REPO/resolve/REV/FILE.gguf, hf://ORG/REPO/FILE.gguf or ORG/REPO:FILE.gguf");
        }
        Matcher blob = BLOB.matcher(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (blob.matches()) {
            uri = uri.resolve(blob.group(1) + "/resolve/" + blob.group(2));
        }
        return new PullSource(uri, fileName(uri.getRawPath(), spec));
    }

    private static PullSource onHub(URI endpoint, String org, String repo, String rev, String path, String spec) {
        String base = endpoint.toString().replaceAll("/+$", "");
        URI uri = URI.create(base + "/" + org + "/" + repo + "/resolve/" + (rev == null ? "main" : rev) + "/"
                + path.replace(" ", "%20"));
        return new PullSource(uri, fileName(uri.getRawPath(), spec));
    }

    private static String fileName(String rawPath, String spec) {
        String last = rawPath == null ? "" : rawPath.substring(rawPath.lastIndexOf('/') + 1);
        String name = URLDecoder.decode(last, StandardCharsets.UTF_8);
        if (!name.toLowerCase(Locale.ROOT).endsWith(".gguf") || name.length() <= ".gguf".length()) {
            throw new IllegalArgumentException("'" + spec + "' does not name a .gguf file; gantry pull downloads GGUF models");
        }
        if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("'" + spec + "' names the file '" + name + "', which is not a plain file name");
        }
        return name;
    }
}
