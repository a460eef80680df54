package dev.gantry.server.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.knowledge.DocumentInput;
import dev.gantry.knowledge.ingest.DocumentFormat;
import dev.gantry.server.openai.ApiException;
import dev.gantry.server.openai.JsonRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The documents of an upload body, in either form:
 * <ul>
 *   <li>{@code multipart/form-data}: every part with a {@code filename} is a document (its part
 *       {@code Content-Type} is the declared type; {@code application/octet-stream} or none means: detect from the
 *       name and content), and an optional {@code metadata} field holds a JSON object of strings for all of them.
 *       Other fields are ignored, as unknown JSON fields are.</li>
 *   <li>{@code application/json}: {@code {"documents": [{"name", "text" | "content_base64", "content_type",
 *       "metadata"}], "metadata"}}; a {@code text} document whose name has no known extension is plain text.</li>
 * </ul>
 * Whether a document's type is supported is decided per document by the ingest job (a 415 in its outcome), so one
 * unsupported file does not refuse the others.
 */
final class Uploads {

    private Uploads() {
    }

    static List<DocumentInput> read(KnowledgeCall call, long limit) throws IOException {
        String type = call.contentType().orElse("");
        String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        List<DocumentInput> documents = switch (media) {
            case "multipart/form-data" -> multipart(MultipartForm.parse(call.body(limit), MultipartForm.boundary(type)),
                    call.mapper());
            case "application/json" -> json(JsonRequest.parse(call.body(limit), call.mapper()));
            default -> throw new ApiException(415, "invalid_request_error", "upload documents as multipart/form-data"
                    + " or application/json, not '" + (media.isEmpty() ? "no Content-Type" : media) + "'", null,
                    "unsupported_media_type", null);
        };
        if (documents.isEmpty()) {
            throw ApiException.invalid("the upload holds no documents" + (media.startsWith("multipart")
                    ? " (a file is a part with a filename)" : ""), media.startsWith("multipart") ? "file" : "documents");
        }
        return documents;
    }

    private static List<DocumentInput> multipart(MultipartForm form, ObjectMapper mapper) {
        Map<String, String> metadata = Map.of();
        for (MultipartForm.Part p : form.parts()) {
            if (p.fileName() == null && p.name().equals("metadata")) {
                metadata = strings(JsonRequest.parse(p.body(), mapper).root(), "metadata");
            }
        }
        List<DocumentInput> out = new ArrayList<>();
        for (MultipartForm.Part p : form.parts()) {
            if (p.fileName() == null) {
                continue;
            }
            if (p.fileName().isBlank()) {
                throw ApiException.invalid("part '" + p.name() + "' has an empty filename", p.name());
            }
            out.add(document(p.fileName(), p.contentType(), metadata, p.body()));
        }
        return out;
    }

    private static List<DocumentInput> json(JsonRequest body) {
        Map<String, String> common = body.field("metadata").map(n -> strings(n, "metadata")).orElse(Map.of());
        JsonNode list = body.field("documents").orElseThrow(() -> ApiException.invalid("documents is required", "documents"));
        if (!list.isArray()) {
            throw ApiException.invalid("documents must be an array of {name, text | content_base64, content_type}",
                    "documents");
        }
        List<DocumentInput> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "documents[" + i + "]";
            JsonNode d = list.get(i);
            if (!d.isObject()) {
                throw ApiException.invalid(at + " must be an object", at);
            }
            String name = text(d, at, "name", true);
            String text = text(d, at, "text", false);
            String base64 = text(d, at, "content_base64", false);
            if ((text == null) == (base64 == null)) {
                throw ApiException.invalid(at + " needs exactly one of text and content_base64", at);
            }
            byte[] bytes;
            if (text != null) {
                bytes = text.getBytes(StandardCharsets.UTF_8);
            } else {
                try {
                    bytes = Base64.getDecoder().decode(base64.replaceAll("\\s+", ""));  // line breaks allowed, nothing else
                } catch (IllegalArgumentException e) {
                    throw ApiException.invalid(at + ".content_base64 is not base64: " + e.getMessage(), at + ".content_base64");
                }
            }
            String contentType = text(d, at, "content_type", false);
            if (contentType == null && text != null && DocumentFormat.forFileName(name).isEmpty()) {
                contentType = DocumentFormat.TEXT.mediaType();
            }
            Map<String, String> metadata = new LinkedHashMap<>(common);
            if (d.hasNonNull("metadata")) {
                metadata.putAll(strings(d.get("metadata"), at + ".metadata"));
            }
            out.add(document(name, contentType, metadata, bytes));
        }
        return out;
    }

    /** A document over bytes already in memory (not copied again, unlike {@link DocumentInput#of}). */
    private static DocumentInput document(String name, String contentType, Map<String, String> metadata, byte[] bytes) {
        return new DocumentInput(name, contentType, metadata, new DocumentInput.Content() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public byte[] read() {
                return bytes;
            }
        });
    }

    private static String text(JsonNode object, String at, String field, boolean required) {
        JsonNode n = object.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ApiException.invalid(at + "." + field + " is required", at + "." + field);
            }
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.invalid(at + "." + field + " must be a string", at + "." + field);
        }
        return n.textValue();
    }

    /** A JSON object of string values, as metadata and filters are. */
    static Map<String, String> strings(JsonNode node, String param) {
        if (!node.isObject()) {
            throw ApiException.invalid(param + " must be an object of strings", param);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw ApiException.invalid(param + "." + e.getKey() + " must be a string", param + "." + e.getKey());
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }
}
