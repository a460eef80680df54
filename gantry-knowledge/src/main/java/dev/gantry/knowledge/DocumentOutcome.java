package dev.gantry.knowledge;

import dev.gantry.knowledge.ingest.DocumentRejectedException.Problem;

/**
 * What ingestion did with one document.
 *
 * @param documentId the document's id (for {@code DUPLICATE}: the id of the document it duplicates); null when
 *                   it failed before an id was known
 * @param problem    why it failed, or null; {@code null} with status {@code FAILED} means an internal error
 * @param error      one-line message when it failed, else null
 */
public record DocumentOutcome(String name, Status status, String documentId, int chunks, Problem problem,
                              String error) {

    /** The result of ingesting one document. */
    public enum Status {
        /** New document, indexed. */
        ADDED,
        /** A document of this name existed with other content; its old chunks were replaced. */
        REPLACED,
        /** Same name, same content hash: nothing to do. */
        UNCHANGED,
        /** Same content as another document under another name: not indexed twice. */
        DUPLICATE,
        /** Not indexed; see {@code error}. Nothing of it is visible. */
        FAILED
    }

    public boolean failed() {
        return status == Status.FAILED;
    }
}
