package dev.gantry.app.pull;

import java.io.IOException;

/** A pull that failed, with a one-line message saying what went wrong and what to do. */
public final class PullException extends IOException {

    public PullException(String message) {
        super(message);
    }

    public PullException(String message, Throwable cause) {
        super(message, cause);
    }
}
