package dev.gantry.app;

import dev.gantry.app.cli.GantryCommand;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Entry point of the {@code gantry} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Lucene, Helidon and others log through java.util.logging; send it to SLF4J like everything else.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(GantryCommand.commandLine().execute(args));
    }
}
