package dev.gantry.app.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** {@code gantry run} streams to the process's stdout and stderr, so tests swap those for the call. */
final class RunCapture {

    private RunCapture() {
    }

    static synchronized Cli run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            Cli r = Cli.run(args);
            return new Cli(r.exitCode(), out.toString(StandardCharsets.UTF_8) + r.out(), err.toString(StandardCharsets.UTF_8) + r.err());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
