package dev.gantry.knowledge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A document to ingest. Its bytes are read only when the job reaches it, so a batch of many files does not sit in
 * memory, and a file over the size limit is rejected before it is read.
 *
 * @param name        its identity within the collection (re-ingesting the same name replaces the document): a file
 *                    path, an upload's file name
 * @param contentType declared media type, or null to detect it from the name and content
 * @param metadata    filterable key/value pairs copied to every chunk; keys are lower-case identifiers and not
 *                    one of the built-in filter keys ({@code document_id}, {@code document}, {@code content_type})
 */
public record DocumentInput(String name, String contentType, Map<String, String> metadata, Content content) {
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Set<String> RESERVED = Set.of("document_id", "document", "content_type");

    /** Where the bytes come from. */
    public interface Content {
        /** Size in bytes, known without reading the content. */
        long size() throws IOException;

        byte[] read() throws IOException;
    }

    public DocumentInput {
        if (name == null || name.isBlank()) {
            throw new KnowledgeException(KnowledgeException.Reason.INVALID_ARGUMENT, "a document needs a name");
        }
        metadata = Map.copyOf(metadata);
        for (var e : metadata.entrySet()) {
            if (!KEY.matcher(e.getKey()).matches() || RESERVED.contains(e.getKey())) {
                throw new KnowledgeException(KnowledgeException.Reason.INVALID_ARGUMENT, "invalid metadata key '"
                        + e.getKey() + "' on '" + name + "': use a lower-case identifier other than " + RESERVED);
            }
        }
    }

    public static DocumentInput of(String name, String contentType, byte[] bytes) {
        return of(name, contentType, bytes, Map.of());
    }

    public static DocumentInput of(String name, String contentType, byte[] bytes, Map<String, String> metadata) {
        byte[] copy = bytes.clone();
        return new DocumentInput(name, contentType, metadata, new Content() {
            @Override
            public long size() {
                return copy.length;
            }

            @Override
            public byte[] read() {
                return copy;
            }
        });
    }

    /** A file, named by its absolute normalised path, its type detected from the extension and content. */
    public static DocumentInput ofFile(Path file) {
        Path path = file.toAbsolutePath().normalize();
        return new DocumentInput(path.toString(), null, Map.of(), new Content() {
            @Override
            public long size() throws IOException {
                return Files.size(path);
            }

            @Override
            public byte[] read() throws IOException {
                return Files.readAllBytes(path);
            }
        });
    }
}
