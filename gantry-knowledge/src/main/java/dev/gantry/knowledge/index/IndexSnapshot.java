package dev.gantry.knowledge.index;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.VectorUtil;

/**
 * A consistent read view of one collection index (one Lucene commit). Lucene doc ids in {@link RankedChunk}s are
 * valid only inside the snapshot that returned them.
 */
public final class IndexSnapshot implements AutoCloseable {
    private final SearcherManager manager;
    private final IndexSearcher searcher;
    private final SearchAnalyzer analyzer;

    IndexSnapshot(SearcherManager manager, SearchAnalyzer analyzer) throws IOException {
        this.manager = manager;
        this.searcher = manager.acquire();
        this.analyzer = analyzer;
    }

    /** The analyzed terms of a keyword query (stop words removed, stemmed). */
    public Set<String> queryTerms(String query) {
        return analyzer.terms(IndexFields.BODY, query);
    }

    /** BM25 ranking of chunks matching any of the terms and all of the filters. */
    public List<RankedChunk> keyword(Set<String> terms, int n, Map<String, String> filters) throws IOException {
        if (terms.isEmpty()) {
            return List.of();
        }
        BooleanQuery.Builder text = new BooleanQuery.Builder();
        terms.forEach(t -> text.add(new TermQuery(new Term(IndexFields.BODY, t)), BooleanClause.Occur.SHOULD));
        BooleanQuery.Builder query = new BooleanQuery.Builder().add(text.build(), BooleanClause.Occur.MUST);
        query.add(chunkFilter(filters), BooleanClause.Occur.FILTER);
        return ranked(searcher.search(query.build(), n));
    }

    /** Approximate nearest chunks (HNSW, cosine) among those matching the filters. */
    public List<RankedChunk> vector(float[] query, int n, Map<String, String> filters) throws IOException {
        Query filter = filters.isEmpty() ? null : chunkFilter(filters);
        return ranked(searcher.search(new KnnFloatVectorQuery(IndexFields.VECTOR, query, n, filter), n));
    }

    private static Query chunkFilter(Map<String, String> filters) {
        BooleanQuery.Builder b = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexFields.TYPE, IndexFields.TYPE_CHUNK)), BooleanClause.Occur.FILTER);
        filters.forEach((k, v) -> b.add(new TermQuery(new Term(IndexFields.FILTER_PREFIX + k, v)), BooleanClause.Occur.FILTER));
        return b.build();
    }

    private static List<RankedChunk> ranked(TopDocs top) {
        List<RankedChunk> out = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc sd : top.scoreDocs) {
            out.add(new RankedChunk(sd.doc, out.size() + 1, sd.score));
        }
        return out;
    }

    /** The stored fields of a chunk. */
    public StoredChunk chunk(int docId) throws IOException {
        Document d = searcher.storedFields().document(docId);
        String heading = d.get(IndexFields.HEADING);
        return new StoredChunk(d.get(IndexFields.DOC_ID), d.get(IndexFields.NAME), d.get(IndexFields.TITLE),
                intField(d, IndexFields.CHUNK), intField(d, IndexFields.START), intField(d, IndexFields.END),
                d.get(IndexFields.TEXT),
                heading == null || heading.isEmpty() ? List.of() : List.of(heading.split(IndexFields.HEADING_SEPARATOR)),
                intField(d, IndexFields.PAGE_START), intField(d, IndexFields.PAGE_END));
    }

    /** Character spans of {@code text} that match the query terms, for highlighting. */
    public List<Span> highlights(String text, Set<String> terms) {
        return analyzer.matches(IndexFields.BODY, text, terms);
    }

    /** Cosine similarity between a chunk's stored vector and {@code query}. */
    public double cosine(int docId, float[] query) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docId, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexFields.VECTOR);
        int target = docId - leaf.docBase;
        if (values != null) {
            KnnVectorValues.DocIndexIterator it = values.iterator();
            if (it.advance(target) == target) {
                return VectorUtil.cosine(values.vectorValue(it.index()), query);
            }
        }
        throw new IllegalStateException("Lucene doc " + docId + " has no vector");
    }

    public Optional<StoredDocument> document(String documentId) throws IOException {
        return first(new TermQuery(new Term(IndexFields.DOC_ID, documentId)));
    }

    public Optional<StoredDocument> documentByHash(String contentHash) throws IOException {
        return first(new TermQuery(new Term(IndexFields.HASH, contentHash)));
    }

    /** The document's extracted text, which chunk offsets point into. */
    public Optional<String> extractedText(String documentId) throws IOException {
        Optional<Integer> doc = firstDoc(documentQuery(new TermQuery(new Term(IndexFields.DOC_ID, documentId))));
        return doc.isEmpty() ? Optional.empty()
                : Optional.of(searcher.storedFields().document(doc.get(), Set.of(IndexFields.EXTRACTED)).get(IndexFields.EXTRACTED));
    }

    /** A document's chunks in order (empty when there is no such document). */
    public List<StoredChunk> chunks(String documentId) throws IOException {
        Query q = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexFields.DOC_ID, documentId)), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(IndexFields.TYPE, IndexFields.TYPE_CHUNK)), BooleanClause.Occur.FILTER)
                .build();
        int n = Math.max(1, searcher.count(q));
        List<StoredChunk> out = new ArrayList<>(n);
        for (ScoreDoc sd : searcher.search(q, n).scoreDocs) {
            out.add(chunk(sd.doc));
        }
        out.sort(Comparator.comparingInt(StoredChunk::chunkIndex));
        return out;
    }

    /** Every document, by name. */
    public List<StoredDocument> documents() throws IOException {
        Query q = new TermQuery(new Term(IndexFields.TYPE, IndexFields.TYPE_DOCUMENT));
        int n = Math.max(1, searcher.count(q));
        List<StoredDocument> out = new ArrayList<>();
        for (ScoreDoc sd : searcher.search(q, n).scoreDocs) {
            out.add(toDocument(sd.doc));
        }
        out.sort(Comparator.comparing(StoredDocument::name).thenComparing(StoredDocument::id));
        return out;
    }

    public int documentCount() throws IOException {
        return searcher.count(new TermQuery(new Term(IndexFields.TYPE, IndexFields.TYPE_DOCUMENT)));
    }

    public int chunkCount() throws IOException {
        return searcher.count(new TermQuery(new Term(IndexFields.TYPE, IndexFields.TYPE_CHUNK)));
    }

    private Optional<StoredDocument> first(Query byField) throws IOException {
        Optional<Integer> doc = firstDoc(documentQuery(byField));
        return doc.isEmpty() ? Optional.empty() : Optional.of(toDocument(doc.get()));
    }

    private static Query documentQuery(Query byField) {
        return new BooleanQuery.Builder()
                .add(byField, BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(IndexFields.TYPE, IndexFields.TYPE_DOCUMENT)), BooleanClause.Occur.FILTER)
                .build();
    }

    private Optional<Integer> firstDoc(Query q) throws IOException {
        ScoreDoc[] docs = searcher.search(q, 1).scoreDocs;
        return docs.length == 0 ? Optional.empty() : Optional.of(docs[0].doc);
    }

    /** Every stored field of a document record except its (possibly large) extracted text. */
    private static final Set<String> DOCUMENT_FIELDS = Set.of(IndexFields.DOC_ID, IndexFields.NAME,
            IndexFields.CONTENT_TYPE, IndexFields.HASH, IndexFields.TITLE, IndexFields.SIZE, IndexFields.CHUNKS,
            IndexFields.PAGES, IndexFields.TOKENS, IndexFields.INGESTED_AT, IndexFields.META_KEY, IndexFields.META_VALUE);

    private StoredDocument toDocument(int docId) throws IOException {
        Document d = searcher.storedFields().document(docId, DOCUMENT_FIELDS);
        String[] keys = d.getValues(IndexFields.META_KEY);
        String[] values = d.getValues(IndexFields.META_VALUE);
        Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            meta.put(keys[i], values[i]);
        }
        IndexableField ingested = d.getField(IndexFields.INGESTED_AT);
        return new StoredDocument(d.get(IndexFields.DOC_ID), d.get(IndexFields.NAME), d.get(IndexFields.CONTENT_TYPE),
                d.get(IndexFields.HASH), d.get(IndexFields.TITLE), d.getField(IndexFields.SIZE).numericValue().longValue(),
                intField(d, IndexFields.CHUNKS), intField(d, IndexFields.PAGES),
                d.getField(IndexFields.TOKENS).numericValue().longValue(),
                Instant.ofEpochMilli(ingested.numericValue().longValue()), meta);
    }

    private static int intField(Document d, String name) {
        return d.getField(name).numericValue().intValue();
    }

    @Override
    public void close() throws IOException {
        manager.release(searcher);
    }
}
