package dev.gantry.knowledge.index;

/**
 * Field names of the Lucene documents in a collection index. Two kinds of Lucene document share the index: one
 * {@code document} record per ingested document and one {@code chunk} per chunk, all carrying {@link #DOC_ID} so a
 * single {@code updateDocuments(term, block)} replaces a document and all its chunks atomically.
 */
final class IndexFields {
    static final String TYPE = "type";
    static final String TYPE_DOCUMENT = "document";
    static final String TYPE_CHUNK = "chunk";
    static final String DOC_ID = "doc_id";

    // document record
    static final String NAME = "name";
    static final String CONTENT_TYPE = "content_type";
    static final String HASH = "hash";
    static final String TITLE = "title";
    static final String SIZE = "size";
    static final String CHUNKS = "chunks";
    static final String PAGES = "pages";
    static final String TOKENS = "tokens";
    static final String INGESTED_AT = "ingested_at";
    static final String META_KEY = "meta_key";
    static final String META_VALUE = "meta_value";
    static final String EXTRACTED = "extracted";

    // chunk
    static final String CHUNK = "chunk";
    static final String START = "start";
    static final String END = "end";
    static final String TEXT = "text";
    static final String BODY = "body";
    static final String HEADING = "heading";
    static final String PAGE_START = "page_start";
    static final String PAGE_END = "page_end";
    static final String VECTOR = "vector";
    /** Filterable metadata on chunks: {@code m.<key>} holds the exact value. */
    static final String FILTER_PREFIX = "m.";

    /** Separates heading path elements in the stored {@link #HEADING} field. */
    static final String HEADING_SEPARATOR = "\u001f";

    private IndexFields() {
    }
}
