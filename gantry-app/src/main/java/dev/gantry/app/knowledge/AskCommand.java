package dev.gantry.app.knowledge;

import dev.gantry.knowledge.Answer;
import dev.gantry.knowledge.AnswerRequest;
import dev.gantry.knowledge.Citation;
import dev.gantry.knowledge.KnowledgeHub;
import dev.gantry.knowledge.SearchMode;
import dev.gantry.knowledge.answer.AnswerModel;
import dev.gantry.knowledge.embed.EmbedderCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gantry ask --collection C -m MODEL "question"}: answers from the collection's documents, streaming the
 * answer, then lists the sources it cites with their places (chunk, character range, page). The language model is
 * loaded by the {@link ModelLoader} the app registers this command with.
 */
@Command(name = "ask", mixinStandardHelpOptions = true,
        description = "Answer a question from a knowledge collection, citing its sources.")
public final class AskCommand implements Callable<Integer> {

    /** Loads the model that writes answers (the app wires Gantry's engine in here). */
    @FunctionalInterface
    public interface ModelLoader {
        AnswerModel load(Path model) throws Exception;
    }

    @Mixin
    KnowledgeOptions options;

    @Parameters(arity = "1..*", paramLabel = "QUESTION", description = "The question (words are joined with spaces).")
    List<String> question;

    @Option(names = {"-m", "--model"}, paramLabel = "GGUF", required = true, description = "The language model file.")
    Path model;

    @Option(names = "-k", defaultValue = "5", description = "Sources to retrieve (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--mode", defaultValue = "hybrid", description = "Retrieval: keyword, vector or hybrid (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--max-tokens", defaultValue = "512", description = "Longest answer in tokens (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--filter", paramLabel = "KEY=VALUE", description = "Only sources whose document has this metadata.")
    List<String> filters = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private final EmbedderCatalog embedders;
    private final ModelLoader loader;

    /** Without a loader: generation is not wired into this build yet, and ask says so. */
    public AskCommand() {
        this(EmbedderCatalog.inProcess(), path -> {
            throw new UnsupportedOperationException("answer generation is not available in this build yet");
        });
    }

    public AskCommand(EmbedderCatalog embedders, ModelLoader loader) {
        this.embedders = embedders;
        this.loader = loader;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return CommandErrors.run("ask", spec.commandLine().getErr(), () -> {
            AnswerRequest request = new AnswerRequest(String.join(" ", question), SearchMode.parse(mode), k,
                    KnowledgeOptions.pairs("--filter", filters), maxTokens, null);
            AnswerModel answerModel = loader.load(model);
            Answer answer;
            try (KnowledgeHub hub = options.openHub(embedders)) {
                answer = hub.answer(options.tenant, options.collection, request, answerModel, text -> {
                    out.print(text);
                    out.flush();
                });
            } finally {
                if (answerModel instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            }
            out.println();
            if (!answer.citations().isEmpty()) {
                out.println();
                out.println("Sources:");
                for (Citation c : answer.citations()) {
                    out.printf("[%d] %s (chunk %d, characters %d-%d%s)%n", c.number(), c.documentName(), c.chunk(),
                            c.start(), c.end(), c.pageStart() > 0 ? ", page " + c.pageStart() : "");
                }
            }
            out.flush();
            return 0;
        });
    }
}
