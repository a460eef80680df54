package dev.gantry.knowledge;

import dev.gantry.knowledge.DocumentOutcome.Status;
import dev.gantry.knowledge.index.DocumentWrite;
import dev.gantry.knowledge.index.IndexSnapshot;
import dev.gantry.knowledge.index.IndexedChunk;
import dev.gantry.knowledge.index.StoredDocument;
import dev.gantry.knowledge.ingest.Chunk;
import dev.gantry.knowledge.ingest.DocumentFormat;
import dev.gantry.knowledge.ingest.DocumentReaders;
import dev.gantry.knowledge.ingest.DocumentRejectedException;
import dev.gantry.knowledge.ingest.ExtractedText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The ingestion pipeline of one job. Per document: size check, read, hash (skip when unchanged or a duplicate),
 * detect the format, extract, chunk. Prepared documents gather in a group; a group's chunks are embedded in batches
 * that span documents (small documents would otherwise be embedded one chunk per call), then each document is
 * written as its own atomic block and the group is committed once (a commit costs an fsync).
 *
 * <p>NOTE: outcomes are published only after the commit that made them durable. Any failure is confined: a
 * document that fails to read, chunk or embed is {@code FAILED} and never written; a failed commit rolls the whole
 * group back and fails each of its documents, so nothing half-written is ever visible.
 */
final class Ingestion {
    /** A group is written once it holds this many chunks or {@link #GROUP_DOCUMENTS} documents. */
    static final int GROUP_CHUNKS = 512;
    static final int GROUP_DOCUMENTS = 64;

    private final DocumentReaders readers;
    private final int batchSize;
    private final Clock clock;

    Ingestion(DocumentReaders readers, int batchSize, Clock clock) {
        this.readers = readers;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    /** A document read and chunked, waiting for its vectors. */
    private record Prepared(int slot, DocumentInput input, String id, String hash, DocumentFormat format,
                            ExtractedText text, List<Chunk> chunks, long size, boolean replacing) {
    }

    /**
     * Runs a job until its documents are done or it is cancelled; {@code collection} is asked again per document so
     * a deleted collection stops the job.
     */
    void run(IngestJob job, List<DocumentInput> inputs, Supplier<OpenCollection> collection) {
        List<Prepared> group = new ArrayList<>();
        Map<String, String> groupHashes = new HashMap<>();
        int groupChunks = 0;
        OpenCollection c = null;
        for (int slot = 0; slot < inputs.size() && !job.cancelRequested(); slot++) {
            c = collection.get();
            DocumentInput input = inputs.get(slot);
            String id = documentId(input.name());
            if (group.stream().anyMatch(p -> p.id().equals(id))) {
                flush(c, group, job);  // the same name twice in one batch: the later version must win
                groupHashes.clear();
                groupChunks = 0;
            }
            try {
                Optional<Prepared> prepared = prepare(c, slot, input, id, groupHashes, job);
                if (prepared.isPresent()) {
                    group.add(prepared.get());
                    groupHashes.put(prepared.get().hash(), id);
                    groupChunks += prepared.get().chunks().size();
                    job.chunksFound(prepared.get().chunks().size());
                }
            } catch (DocumentRejectedException e) {
                job.documentDone(slot, new DocumentOutcome(input.name(), Status.FAILED, id, 0, e.problem(), e.getMessage()));
            } catch (IOException e) {
                job.documentDone(slot, new DocumentOutcome(input.name(), Status.FAILED, id, 0,
                        DocumentRejectedException.Problem.UNREADABLE, "cannot read '" + input.name() + "': " + e));
            } catch (RuntimeException e) {
                job.documentDone(slot, failed(input.name(), id, e));
            }
            if (groupChunks >= GROUP_CHUNKS || group.size() >= GROUP_DOCUMENTS) {
                flush(c, group, job);
                groupHashes.clear();
                groupChunks = 0;
            }
        }
        if (c != null) {
            flush(c, group, job);
        }
    }

    private Optional<Prepared> prepare(OpenCollection c, int slot, DocumentInput input, String id,
                                       Map<String, String> groupHashes, IngestJob job)
            throws DocumentRejectedException, IOException {
        readers.checkSize(input.name(), input.content().size());
        byte[] bytes = input.content().read();
        String hash = sha256(bytes);
        boolean replacing;
        try (IndexSnapshot snapshot = c.index().snapshot()) {
            Optional<StoredDocument> same = snapshot.document(id);
            if (same.isPresent() && same.get().contentHash().equals(hash)) {
                job.documentDone(slot, new DocumentOutcome(input.name(), Status.UNCHANGED, id, same.get().chunks(), null, null));
                return Optional.empty();
            }
            Optional<String> twin = Optional.ofNullable(groupHashes.get(hash))
                    .or(() -> byHash(snapshot, hash).filter(other -> !other.equals(id)));
            if (twin.isPresent()) {
                job.documentDone(slot, new DocumentOutcome(input.name(), Status.DUPLICATE, twin.get(), 0, null, null));
                return Optional.empty();
            }
            replacing = same.isPresent();
        }
        DocumentFormat format = readers.detect(input.name(), input.contentType(), bytes);
        ExtractedText text = readers.read(format, input.name(), bytes);
        List<Chunk> chunks = c.chunker().chunk(text);
        return Optional.of(new Prepared(slot, input, id, hash, format, text, chunks, bytes.length, replacing));
    }

    private static Optional<String> byHash(IndexSnapshot snapshot, String hash) {
        try {
            return snapshot.documentByHash(hash).map(StoredDocument::id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Embeds, writes and commits the group, then publishes its outcomes; empties the group. */
    private void flush(OpenCollection c, List<Prepared> group, IngestJob job) {
        if (group.isEmpty()) {
            return;
        }
        Map<Integer, List<float[]>> vectors = new HashMap<>();
        Map<Integer, DocumentOutcome> failures = new HashMap<>();
        embed(c, group, vectors, failures, job);
        List<Prepared> toWrite = group.stream().filter(p -> !failures.containsKey(p.slot())).toList();
        List<DocumentWrite> writes = toWrite.stream().map(p -> write(p, vectors.get(p.slot()))).toList();
        try {
            List<Exception> refused = c.index().write(writes);
            for (int i = 0; i < toWrite.size(); i++) {
                Prepared p = toWrite.get(i);
                failures.put(p.slot(), refused.get(i) == null
                        ? new DocumentOutcome(p.input().name(), p.replacing() ? Status.REPLACED : Status.ADDED, p.id(),
                                p.chunks().size(), null, null)
                        : failed(p.input().name(), p.id(), refused.get(i)));
            }
        } catch (IOException | RuntimeException e) {
            for (Prepared p : toWrite) {
                failures.put(p.slot(), new DocumentOutcome(p.input().name(), Status.FAILED, p.id(), 0, null,
                        "writing '" + p.input().name() + "' to the index failed, nothing of it was kept: " + e.getMessage()));
            }
        }
        group.forEach(p -> job.documentDone(p.slot(), failures.get(p.slot())));
        group.clear();
    }

    /**
     * Embeds the group's chunks in batches spanning documents. When a batch fails, each of its documents is retried
     * alone so that only the document that cannot be embedded fails.
     */
    private void embed(OpenCollection c, List<Prepared> group, Map<Integer, List<float[]>> vectors,
                       Map<Integer, DocumentOutcome> failures, IngestJob job) {
        List<Prepared> batchDocs = new ArrayList<>();
        List<String> batchTexts = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            Prepared p = group.get(i);
            batchDocs.add(p);
            p.chunks().forEach(ch -> batchTexts.add(indexedText(p.text().title(), ch)));
            if (batchTexts.size() >= batchSize || i == group.size() - 1) {
                try {
                    distribute(batchDocs, embedChecked(c, batchTexts, job), vectors);
                } catch (RuntimeException batchFailure) {
                    for (Prepared single : batchDocs) {
                        try {
                            List<String> texts = single.chunks().stream().map(ch -> indexedText(single.text().title(), ch)).toList();
                            distribute(List.of(single), embedChecked(c, texts, null), vectors);
                        } catch (RuntimeException e) {
                            failures.put(single.slot(), failed(single.input().name(), single.id(), e));
                        }
                    }
                }
                batchDocs.clear();
                batchTexts.clear();
            }
        }
    }

    /** Embeds in parts of the batch size, reporting each part to {@code progress} unless it is null (a retry). */
    private List<float[]> embedChecked(OpenCollection c, List<String> texts, IngestJob progress) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<String> part = texts.subList(from, Math.min(texts.size(), from + batchSize));
            List<float[]> vectors = c.embedder().embedDocuments(part);
            if (vectors.size() != part.size()) {
                throw new IllegalStateException("embedder returned " + vectors.size() + " vectors for " + part.size() + " texts");
            }
            out.addAll(vectors);
            if (progress != null) {
                progress.chunksEmbedded(part.size());
            }
        }
        return out;
    }

    private static void distribute(List<Prepared> docs, List<float[]> flat, Map<Integer, List<float[]>> vectors) {
        int at = 0;
        for (Prepared p : docs) {
            vectors.put(p.slot(), flat.subList(at, at + p.chunks().size()));
            at += p.chunks().size();
        }
    }

    private DocumentWrite write(Prepared p, List<float[]> vectors) {
        List<IndexedChunk> chunks = new ArrayList<>(p.chunks().size());
        for (int i = 0; i < p.chunks().size(); i++) {
            chunks.add(new IndexedChunk(p.chunks().get(i), indexedText(p.text().title(), p.chunks().get(i)), vectors.get(i)));
        }
        long tokens = p.chunks().stream().mapToLong(Chunk::tokens).sum();
        StoredDocument doc = new StoredDocument(p.id(), p.input().name(), p.format().mediaType(), p.hash(), p.text().title(),
                p.size(), p.chunks().size(), p.text().pages(), tokens, clock.instant(), p.input().metadata());
        return new DocumentWrite(doc, p.text().text(), chunks);
    }

    private static DocumentOutcome failed(String name, String id, Exception e) {
        return new DocumentOutcome(name, Status.FAILED, id, 0, null, "ingesting '" + name + "' failed: " + e.getMessage());
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
