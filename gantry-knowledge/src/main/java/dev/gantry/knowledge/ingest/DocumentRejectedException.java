package dev.gantry.knowledge.ingest;

/** A document that cannot be ingested, with the reason in a form the caller can report per document. */
public final class DocumentRejectedException extends Exception {

    /** Why a document was rejected. */
    public enum Problem {
        /** The content type (or file extension) is not one the Knowledge Hub reads. */
        UNSUPPORTED_TYPE,
        /** The bytes could not be parsed as the declared format (corrupt PDF, binary in a text file, ...). */
        UNREADABLE,
        /** The document parsed but holds no text. */
        EMPTY,
        /** The document is larger than the configured limit. */
        TOO_LARGE
    }

    private final Problem problem;

    public DocumentRejectedException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public DocumentRejectedException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
