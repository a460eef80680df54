package dev.gantry.app;

import dev.gantry.app.cli.GantryCommand;
import picocli.CommandLine;

/** Entry point of the {@code gantry} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(GantryCommand.commandLine().execute(args));
    }
}
