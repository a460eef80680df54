package dev.gantry.app.cli;

import dev.gantry.app.knowledge.KnowledgeCommands;
import dev.gantry.app.knowledge.IngestCommand;
import dev.gantry.app.knowledge.SearchCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gantry}: the root of the command line; each verb is a subcommand. */
@Command(name = "gantry", mixinStandardHelpOptions = true, version = "gantry 0.1.0",
        description = "Serve and run LLMs on the JVM.",
        subcommands = {ServeCommand.class, PullCommand.class, ListCommand.class, RunCommand.class, TokenizeCommand.class,
                ScoreCommand.class, ShowCommand.class, QuantizeCommand.class, BenchCommand.class, TemplateCommand.class, ChatCommand.class,
                IngestCommand.class, SearchCommand.class,
                CommandLine.HelpCommand.class})
public final class GantryCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configured command line: errors are one line on stderr and a non-zero exit, never a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new GantryCommand());
        cl.addSubcommand(KnowledgeCommands.ask());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("gantry: " + CliErrors.message(e));
            err.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("gantry: " + e.getMessage() + " (see 'gantry " + e.getCommandLine().getCommandName() + " --help')");
            err.flush();
            return 2;
        });
        return cl;
    }
}
