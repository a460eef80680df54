package dev.gantry.knowledge.ingest;

import java.util.EnumMap;
import java.util.Map;

/** One reader per {@link DocumentFormat}: detects the format, enforces the size limit, and reads. */
public final class DocumentReaders {
    private final Map<DocumentFormat, DocumentReader> readers = new EnumMap<>(DocumentFormat.class);
    private final long maxBytes;

    /** @param maxBytes documents larger than this are rejected as {@code TOO_LARGE} before parsing */
    public DocumentReaders(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        readers.put(DocumentFormat.TEXT, new PlainTextReader());
        readers.put(DocumentFormat.MARKDOWN, new MarkdownReader());
        readers.put(DocumentFormat.HTML, new HtmlReader());
        readers.put(DocumentFormat.PDF, new PdfReader());
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Rejects a document of {@code size} bytes when it is over the limit (called before its bytes are loaded). */
    public void checkSize(String name, long size) throws DocumentRejectedException {
        if (size > maxBytes) {
            throw new DocumentRejectedException(DocumentRejectedException.Problem.TOO_LARGE,
                    "'" + name + "' is " + size + " bytes, over the limit of " + maxBytes + " bytes");
        }
        if (size == 0) {
            throw new DocumentRejectedException(DocumentRejectedException.Problem.EMPTY, "'" + name + "' is empty (0 bytes)");
        }
    }

    /** The format of a document, from its declared type, name or content. */
    public DocumentFormat detect(String name, String contentType, byte[] content) throws DocumentRejectedException {
        return DocumentFormat.detect(contentType, name, content);
    }

    public ExtractedText read(DocumentFormat format, String name, byte[] content) throws DocumentRejectedException {
        checkSize(name, content.length);
        return readers.get(format).read(content, name);
    }
}
