package dev.gantry.app.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/** One readable line for an exception that reaches the command line. */
final class CliErrors {

    private CliErrors() {
    }

    static String message(Throwable e) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof NoSuchFileException nsf) {
            return nsf.getFile() + ": no such file";
        }
        if (t instanceof IOException io) {
            return io.getMessage() != null ? io.getMessage() : io.toString();
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory (raise -Xmx through GANTRY_JAVA_OPTS or use a smaller model)";
        }
        String m = t.getMessage();
        return m != null && !m.isBlank() ? m : t.getClass().getSimpleName();
    }
}
