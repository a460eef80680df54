package dev.gantry.knowledge;

/**
 * A Knowledge Hub call that failed, with a {@link Reason} the HTTP layer maps to a status and the CLI prints as one
 * line. Per-document ingestion failures are not thrown: they are {@link DocumentOutcome}s of the job.
 */
public final class KnowledgeException extends RuntimeException {

    /** Why a call failed, with the HTTP status it maps to. */
    public enum Reason {
        /** Bad argument: a malformed name, an unknown embedding model, an invalid setting. HTTP 400. */
        INVALID_ARGUMENT(400),
        /** No such collection, document or job for this tenant. HTTP 404. */
        NOT_FOUND(404),
        /** The collection already exists. HTTP 409. */
        ALREADY_EXISTS(409),
        /** The collection's index is held by another process, or its settings do not match this hub. HTTP 409. */
        CONFLICT(409),
        /** Storage or another internal failure. HTTP 500. */
        INTERNAL(500);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;

    public KnowledgeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public KnowledgeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
