package dev.gantry.app.cli;

import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gantry tokenize}: token ids of a text, as llama-tokenize prints them. */
@Command(name = "tokenize", mixinStandardHelpOptions = true, description = "Print the token ids of a text.")
final class TokenizeCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "GGUF model file.")
    Path model;

    static final class Input {
        @Option(names = "--text", paramLabel = "TEXT", description = "The text to tokenize.")
        String text;

        @Option(names = "--file", paramLabel = "FILE", description = "Read the text from a file (UTF-8).")
        Path file;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--ids", description = "Print only the ids, as a list.")
    boolean idsOnly;

    @Option(names = "--no-bos", description = "Do not add the BOS/EOS tokens the vocabulary asks for.")
    boolean noSpecial;

    @Option(names = "--no-parse-special", description = "Treat special tokens written in the text as plain text.")
    boolean noParseSpecial;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String text = input.text != null ? input.text : Files.readString(input.file, StandardCharsets.UTF_8);
        try (GgufFile file = GgufFile.open(model)) {
            Tokenizer tokenizer = Tokenizer.from(file.metadata());
            int[] ids = tokenizer.encode(text, !noSpecial, !noParseSpecial);
            PrintWriter out = spec.commandLine().getOut();
            if (idsOnly) {
                out.println(Arrays.toString(ids));
            } else {
                for (int id : ids) {
                    out.printf("%6d -> '%s'%n", id, new String(tokenizer.tokenBytes(id, true), StandardCharsets.UTF_8));
                }
            }
            out.flush();
        }
        return 0;
    }
}
