package dev.gantry.app.knowledge;

import dev.gantry.knowledge.KnowledgeException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/** Runs a command body and turns any failure into one line on stderr and exit code 1, never a stack trace. */
final class CommandErrors {
    static final int FAILED = 1;

    private CommandErrors() {
    }

    static int run(String command, PrintWriter err, Callable<Integer> body) {
        try {
            return body.call();
        } catch (KnowledgeException | IllegalArgumentException | UncheckedIOException e) {
            return fail(command, err, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(command, err, "interrupted");
        } catch (Exception e) {
            return fail(command, err, e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    static int fail(String command, PrintWriter err, String message) {
        err.println("gantry " + command + ": " + message.replace('\n', ' '));
        err.flush();
        return FAILED;
    }
}
