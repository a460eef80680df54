package dev.gantry.knowledge.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The persistent Lucene index of one collection.
 *
 * <p>NOTE: atomicity. A document and its chunks are one block written with {@code updateDocuments}, which Lucene
 * applies all or nothing (a refused block adds nothing and keeps the old version); each {@link #write} ends with a
 * commit, and if the commit fails the writer is rolled back to the last commit. Searches see only committed state ({@link SearcherManager} over the directory,
 * refreshed after each commit), so neither a failed ingestion nor a crash between write and commit ever leaves a
 * partial document visible, in this process or another.
 *
 * <p>The writer opens on the first write, so a process that only searches (the CLI while a server runs) does not
 * take Lucene's write lock. Writes are serialised; searches run concurrently on snapshots.
 */
public final class CollectionIndex implements Closeable {
    private final Path path;
    private final int dimension;
    private final SearchAnalyzer analyzer;
    private final Directory directory;
    private final SearcherManager searchers;
    private IndexWriter writer;

    private CollectionIndex(Path path, int dimension, SearchAnalyzer analyzer) throws IOException {
        this.path = path;
        this.dimension = dimension;
        this.analyzer = analyzer;
        this.directory = FSDirectory.open(path);
        this.searchers = new SearcherManager(directory, null);
    }

    /** Creates an empty index at {@code path} (its first commit), then opens it. */
    public static CollectionIndex create(Path path, int dimension, SearchAnalyzer analyzer) throws IOException {
        Files.createDirectories(path);
        try (Directory dir = FSDirectory.open(path);
             IndexWriter w = new IndexWriter(dir, config(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE))) {
            w.commit();
        }
        return open(path, dimension, analyzer);
    }

    /** Opens an existing index for vectors of {@code dimension}. */
    public static CollectionIndex open(Path path, int dimension, SearchAnalyzer analyzer) throws IOException {
        return new CollectionIndex(path, dimension, analyzer);
    }

    public Path path() {
        return path;
    }

    /** A view of the last commit; close it when the search is done. */
    public IndexSnapshot snapshot() throws IOException {
        return new IndexSnapshot(searchers, analyzer);
    }

    /** Replaces document {@code doc.id()} (if present) by this version and its chunks, atomically and durably. */
    public void put(StoredDocument doc, String extractedText, List<IndexedChunk> chunks) throws IOException {
        Exception failure = write(List.of(new DocumentWrite(doc, extractedText, chunks))).getFirst();
        if (failure instanceof RuntimeException e) {
            throw e;
        } else if (failure != null) {
            throw new IOException(failure);
        }
    }

    /**
     * Writes several documents, each as one atomic block replacing its earlier version, then commits once (a commit
     * costs an fsync, so ingestion groups documents). A document whose block Lucene refuses does not stop the others.
     *
     * @return per write, null when written, else why that document was refused
     * @throws IOException when the commit failed: the writer was rolled back and none of these writes is in the index
     */
    public synchronized List<Exception> write(List<DocumentWrite> writes) throws IOException {
        List<Exception> failures = new ArrayList<>(writes.size());
        IndexWriter w = writer();
        try {
            for (DocumentWrite write : writes) {
                failures.add(add(w, write));
            }
            w.commit();
        } catch (IOException | RuntimeException e) {
            writer = null;
            w.rollback();
            throw e instanceof IOException io ? io : new IOException("index write failed, rolled back: " + e, e);
        }
        searchers.maybeRefreshBlocking();
        return failures;
    }

    /** Adds one document's block; a refused block (not a broken writer) is returned, and Lucene added none of it. */
    private Exception add(IndexWriter w, DocumentWrite write) throws IOException {
        StoredDocument doc = write.document();
        List<Document> block = new ArrayList<>(write.chunks().size() + 1);
        block.add(documentRecord(doc, write.extractedText()));
        for (IndexedChunk chunk : write.chunks()) {
            if (chunk.vector().length != dimension) {
                return new IllegalArgumentException("chunk " + chunk.chunk().index() + " of '" + doc.name() + "' has a "
                        + chunk.vector().length + "-dimensional vector; this collection's index holds " + dimension);
            }
            block.add(chunkDocument(doc, chunk));
        }
        try {
            w.updateDocuments(new Term(IndexFields.DOC_ID, doc.id()), block);
            return null;
        } catch (IllegalArgumentException e) {
            if (!w.isOpen()) {
                throw new IOException("index writer failed on '" + doc.name() + "'", e);
            }
            return e;
        }
    }

    /** Removes a document and all its chunks; returns false when there was no such document. */
    public synchronized boolean delete(String documentId) throws IOException {
        try (IndexSnapshot snapshot = snapshot()) {
            if (snapshot.document(documentId).isEmpty()) {
                return false;
            }
        }
        IndexWriter w = writer();
        w.deleteDocuments(new Term(IndexFields.DOC_ID, documentId));
        commitOrRollBack(w);
        return true;
    }

    private void commitOrRollBack(IndexWriter w) throws IOException {
        try {
            w.commit();
        } catch (IOException | RuntimeException e) {
            writer = null;
            w.rollback();
            throw e;
        }
        searchers.maybeRefreshBlocking();
    }

    private IndexWriter writer() throws IOException {
        if (writer == null || !writer.isOpen()) {
            writer = new IndexWriter(directory, config(analyzer).setOpenMode(IndexWriterConfig.OpenMode.APPEND));
        }
        return writer;
    }

    private static IndexWriterConfig config(SearchAnalyzer analyzer) {
        return new IndexWriterConfig(analyzer.analyzer())
                .setCommitOnClose(false)
                .setRAMBufferSizeMB(64);
    }

    private static Document documentRecord(StoredDocument doc, String extractedText) {
        Document d = new Document();
        d.add(new StringField(IndexFields.TYPE, IndexFields.TYPE_DOCUMENT, Field.Store.NO));
        d.add(new StringField(IndexFields.DOC_ID, doc.id(), Field.Store.YES));
        d.add(new StoredField(IndexFields.NAME, doc.name()));
        d.add(new StoredField(IndexFields.CONTENT_TYPE, doc.contentType()));
        d.add(new StringField(IndexFields.HASH, doc.contentHash(), Field.Store.YES));
        if (doc.title() != null) {
            d.add(new StoredField(IndexFields.TITLE, doc.title()));
        }
        d.add(new StoredField(IndexFields.SIZE, doc.sizeBytes()));
        d.add(new StoredField(IndexFields.CHUNKS, doc.chunks()));
        d.add(new StoredField(IndexFields.PAGES, doc.pages()));
        d.add(new StoredField(IndexFields.TOKENS, doc.tokens()));
        d.add(new StoredField(IndexFields.INGESTED_AT, doc.ingestedAt().toEpochMilli()));
        doc.metadata().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            d.add(new StoredField(IndexFields.META_KEY, e.getKey()));
            d.add(new StoredField(IndexFields.META_VALUE, e.getValue()));
        });
        d.add(new StoredField(IndexFields.EXTRACTED, extractedText));
        return d;
    }

    private static Document chunkDocument(StoredDocument doc, IndexedChunk indexed) {
        var chunk = indexed.chunk();
        Document d = new Document();
        d.add(new StringField(IndexFields.TYPE, IndexFields.TYPE_CHUNK, Field.Store.NO));
        d.add(new StringField(IndexFields.DOC_ID, doc.id(), Field.Store.YES));
        d.add(new StoredField(IndexFields.NAME, doc.name()));
        if (doc.title() != null) {
            d.add(new StoredField(IndexFields.TITLE, doc.title()));
        }
        d.add(new StoredField(IndexFields.CHUNK, chunk.index()));
        d.add(new StoredField(IndexFields.START, chunk.start()));
        d.add(new StoredField(IndexFields.END, chunk.end()));
        d.add(new StoredField(IndexFields.PAGE_START, chunk.pageStart()));
        d.add(new StoredField(IndexFields.PAGE_END, chunk.pageEnd()));
        d.add(new StoredField(IndexFields.HEADING, String.join(IndexFields.HEADING_SEPARATOR, chunk.headingPath())));
        d.add(new StoredField(IndexFields.TEXT, chunk.text()));
        d.add(new TextField(IndexFields.BODY, indexed.indexedText(), Field.Store.NO));
        d.add(new KnnFloatVectorField(IndexFields.VECTOR, indexed.vector(), VectorSimilarityFunction.COSINE));
        d.add(new StringField(IndexFields.FILTER_PREFIX + "document_id", doc.id(), Field.Store.NO));
        d.add(new StringField(IndexFields.FILTER_PREFIX + "document", doc.name(), Field.Store.NO));
        d.add(new StringField(IndexFields.FILTER_PREFIX + "content_type", doc.contentType(), Field.Store.NO));
        doc.metadata().forEach((k, v) -> d.add(new StringField(IndexFields.FILTER_PREFIX + k, v, Field.Store.NO)));
        return d;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (writer != null && writer.isOpen()) {
                writer.rollback();
            }
        } finally {
            writer = null;
            searchers.close();
            directory.close();
        }
    }
}
