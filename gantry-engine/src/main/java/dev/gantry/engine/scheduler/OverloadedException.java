package dev.gantry.engine.scheduler;

/** The waiting queue is full: the request is refused at once, nothing was queued (HTTP 429). */
public final class OverloadedException extends RuntimeException {

    public OverloadedException(String message) {
        super(message);
    }
}
