package dev.gantry.knowledge;

import dev.gantry.knowledge.DocumentOutcome.Status;
import dev.gantry.knowledge.index.IndexSnapshot;
import dev.gantry.knowledge.index.IndexedChunk;
import dev.gantry.knowledge.index.StoredDocument;
import dev.gantry.knowledge.ingest.Chunk;
import dev.gantry.knowledge.ingest.DocumentFormat;
import dev.gantry.knowledge.ingest.DocumentReaders;
import dev.gantry.knowledge.ingest.DocumentRejectedException;
import dev.gantry.knowledge.ingest.ExtractedText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The per-document ingestion pipeline: size check, read, hash (skip if unchanged or duplicate), detect format,
 * extract, chunk, embed in batches, write atomically. Every failure becomes that document's {@code FAILED}
 * outcome; nothing is written for it.
 */
final class Ingestion {
    private final DocumentReaders readers;
    private final int batchSize;
    private final Clock clock;

    Ingestion(DocumentReaders readers, int batchSize, Clock clock) {
        this.readers = readers;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    /** Ingests one document into {@code collection}, reporting chunk progress to {@code job}. */
    DocumentOutcome ingest(OpenCollection collection, DocumentInput input, IngestJob job) {
        String id = documentId(input.name());
        try {
            readers.checkSize(input.name(), input.content().size());
            byte[] bytes = input.content().read();
            String hash = sha256(bytes);
            Optional<DocumentOutcome> skip = skipIfKnown(collection, input.name(), id, hash);
            if (skip.isPresent()) {
                return skip.get();
            }
            DocumentFormat format = readers.detect(input.name(), input.contentType(), bytes);
            ExtractedText text = readers.read(format, input.name(), bytes);
            List<Chunk> chunks = collection.chunker().chunk(text);
            job.chunksFound(chunks.size());
            List<IndexedChunk> indexed = embed(collection, text, chunks, job);
            boolean replacing;
            try (IndexSnapshot snapshot = collection.index().snapshot()) {
                replacing = snapshot.document(id).isPresent();
            }
            long tokens = chunks.stream().mapToLong(Chunk::tokens).sum();
            StoredDocument doc = new StoredDocument(id, input.name(), format.mediaType(), hash, text.title(),
                    bytes.length, chunks.size(), text.pages(), tokens, clock.instant(), input.metadata());
            collection.index().put(doc, text.text(), indexed);
            return new DocumentOutcome(input.name(), replacing ? Status.REPLACED : Status.ADDED, id, chunks.size(), null, null);
        } catch (DocumentRejectedException e) {
            return new DocumentOutcome(input.name(), Status.FAILED, id, 0, e.problem(), e.getMessage());
        } catch (IOException e) {
            return new DocumentOutcome(input.name(), Status.FAILED, id, 0, DocumentRejectedException.Problem.UNREADABLE,
                    "cannot read '" + input.name() + "': " + e);
        } catch (RuntimeException e) {
            return new DocumentOutcome(input.name(), Status.FAILED, id, 0, null,
                    "ingesting '" + input.name() + "' failed: " + e);
        }
    }

    private static Optional<DocumentOutcome> skipIfKnown(OpenCollection collection, String name, String id, String hash)
            throws IOException {
        try (IndexSnapshot snapshot = collection.index().snapshot()) {
            Optional<StoredDocument> same = snapshot.document(id);
            if (same.isPresent() && same.get().contentHash().equals(hash)) {
                return Optional.of(new DocumentOutcome(name, Status.UNCHANGED, id, same.get().chunks(), null, null));
            }
            Optional<StoredDocument> twin = snapshot.documentByHash(hash);
            if (twin.isPresent() && !twin.get().id().equals(id)) {
                return Optional.of(new DocumentOutcome(name, Status.DUPLICATE, twin.get().id(), 0, null,
                        null));
            }
        }
        return Optional.empty();
    }

    private List<IndexedChunk> embed(OpenCollection collection, ExtractedText text, List<Chunk> chunks, IngestJob job) {
        List<IndexedChunk> out = new ArrayList<>(chunks.size());
        for (int from = 0; from < chunks.size(); from += batchSize) {
            List<Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + batchSize));
            List<String> inputs = batch.stream().map(c -> indexedText(text.title(), c)).toList();
            List<float[]> vectors = collection.embedder().embedDocuments(inputs);
            if (vectors.size() != batch.size()) {
                throw new IllegalStateException("embedder returned " + vectors.size() + " vectors for " + batch.size() + " texts");
            }
            for (int i = 0; i < batch.size(); i++) {
                out.add(new IndexedChunk(batch.get(i), inputs.get(i), vectors.get(i)));
            }
            job.chunksEmbedded(batch.size());
        }
        return out;
    }

    /**
     * What is embedded and BM25-indexed for a chunk: its title and heading path, then its text. A chunk deep in a
     * section rarely repeats the section's subject, and without it neither ranker can tell what "it" refers to.
     */
    static String indexedText(String title, Chunk chunk) {
        List<String> context = new ArrayList<>();
        if (title != null && (chunk.headingPath().isEmpty() || !chunk.headingPath().getFirst().equals(title))) {
            context.add(title);
        }
        context.addAll(chunk.headingPath());
        if (!context.isEmpty() && chunk.text().startsWith(context.getLast())) {
            context.removeLast();
        }
        return context.isEmpty() ? chunk.text() : String.join(" > ", context) + "\n" + chunk.text();
    }

    /** A stable, URL-safe id for a document name: the first 128 bits of its SHA-256, hex. */
    static String documentId(String name) {
        return sha256(name.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
