package dev.gantry.knowledge.ingest;

/** What a block of extracted text is; the chunker starts a new chunk at every heading. */
public enum BlockKind {
    HEADING,
    PARAGRAPH,
    LIST_ITEM,
    CODE,
    QUOTE,
    TABLE_ROW
}
