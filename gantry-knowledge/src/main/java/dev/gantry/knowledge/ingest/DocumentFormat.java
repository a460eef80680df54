package dev.gantry.knowledge.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The formats the Knowledge Hub reads, with their media types and file extensions. Detection order: a declared
 * media type (parameters such as {@code charset} ignored; {@code application/octet-stream} counts as undeclared),
 * then the file name's extension, then the content's first bytes ({@code %PDF-}, an HTML doctype or tag).
 */
public enum DocumentFormat {
    TEXT("text/plain", List.of("text/plain"), List.of(".txt", ".text", ".log", ".csv", ".tsv")),
    MARKDOWN("text/markdown", List.of("text/markdown", "text/x-markdown"), List.of(".md", ".markdown", ".mdown")),
    HTML("text/html", List.of("text/html", "application/xhtml+xml"), List.of(".html", ".htm", ".xhtml")),
    PDF("application/pdf", List.of("application/pdf", "application/x-pdf"), List.of(".pdf"));

    private final String mediaType;
    private final List<String> mediaTypes;
    private final List<String> extensions;

    DocumentFormat(String mediaType, List<String> mediaTypes, List<String> extensions) {
        this.mediaType = mediaType;
        this.mediaTypes = mediaTypes;
        this.extensions = extensions;
    }

    /** The canonical media type, as stored with each document. */
    public String mediaType() {
        return mediaType;
    }

    public List<String> extensions() {
        return extensions;
    }

    /** Finds the format for a declared media type, a file name, or failing both the content's magic bytes. */
    public static DocumentFormat detect(String declaredType, String fileName, byte[] head)
            throws DocumentRejectedException {
        String type = declaredType == null ? "" : declaredType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!type.isEmpty() && !type.equals("application/octet-stream")) {
            return forMediaType(type).orElseThrow(() -> new DocumentRejectedException(
                    DocumentRejectedException.Problem.UNSUPPORTED_TYPE,
                    "'" + fileName + "' has unsupported content type '" + type + "' (supported: " + supported() + ")"));
        }
        Optional<DocumentFormat> byName = forFileName(fileName);
        if (byName.isPresent()) {
            return byName.get();
        }
        Optional<DocumentFormat> sniffed = sniff(head);
        if (sniffed.isPresent()) {
            return sniffed.get();
        }
        throw new DocumentRejectedException(DocumentRejectedException.Problem.UNSUPPORTED_TYPE,
                "'" + fileName + "' is of an unsupported file type (supported: " + supported() + ")");
    }

    public static Optional<DocumentFormat> forMediaType(String type) {
        return Arrays.stream(values()).filter(f -> f.mediaTypes.contains(type)).findFirst();
    }

    public static Optional<DocumentFormat> forFileName(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        String lower = fileName.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.extensions.stream().anyMatch(lower::endsWith)).findFirst();
    }

    private static Optional<DocumentFormat> sniff(byte[] head) {
        if (head == null) {
            return Optional.empty();
        }
        String start = new String(head, 0, Math.min(head.length, 256), StandardCharsets.ISO_8859_1)
                .stripLeading().toLowerCase(Locale.ROOT);
        if (start.startsWith("%pdf-")) {
            return Optional.of(PDF);
        }
        if (start.startsWith("<!doctype html") || start.startsWith("<html")) {
            return Optional.of(HTML);
        }
        return Optional.empty();
    }

    private static String supported() {
        return String.join(", ", Arrays.stream(values()).map(f -> f.mediaType).toList());
    }
}
