package dev.gantry.server.models;

/** A known model that cannot be served right now, and why; the message says what to do about it. */
public final class ModelUnavailableException extends RuntimeException {

    /** Why a model cannot be served. */
    public enum Reason {
        /** It alone needs more than the whole memory budget: no retry helps. */
        TOO_LARGE,
        /** It would fit once models now answering requests go idle: retry later. */
        BUSY,
        /** Its file could not be opened as a model. */
        LOAD_FAILED,
        /** The server is shutting down. */
        CLOSED
    }

    private final Reason reason;

    public ModelUnavailableException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public ModelUnavailableException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
