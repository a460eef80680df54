package dev.gantry.app.cli;

import dev.gantry.engine.chat.ChatFormatter;
import dev.gantry.engine.chat.ChatRequest;
import dev.gantry.engine.chat.Json;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gantry template}: the exact prompt a conversation renders to through a chat template, with llama.cpp's
 * adjustments (bos/eos trimming, polyfills for templates that lack system or tool support), to debug templates.
 */
@Command(name = "template", mixinStandardHelpOptions = true,
        description = "Render a conversation through a chat template and print the prompt.")
final class TemplateCommand implements Callable<Integer> {

    @Option(names = "--file", required = true, paramLabel = "T.jinja", description = "The Jinja chat template.")
    Path template;

    @Option(names = "--messages", required = true, paramLabel = "M.json", description = "A JSON array of OpenAI chat messages.")
    Path messages;

    @Option(names = "--tools", paramLabel = "T.json", description = "A JSON array of OpenAI tools.")
    Path tools;

    @Option(names = "--bos", defaultValue = "<s>", description = "The BOS token text (default: ${DEFAULT-VALUE}).")
    String bos;

    @Option(names = "--eos", defaultValue = "</s>", description = "The EOS token text (default: ${DEFAULT-VALUE}).")
    String eos;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "The date templates may print (default: today).")
    LocalDate date;

    @Option(names = "--no-generation-prompt", description = "Do not open an assistant turn at the end.")
    boolean noGenerationPrompt;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ChatFormatter formatter = ChatFormatter.create(Files.readString(template, StandardCharsets.UTF_8), bos, eos);
        List<Map<String, Object>> conversation = jsonList(messages, "--messages");
        List<Map<String, Object>> toolList = tools == null ? null : jsonList(tools, "--tools");
        LocalDateTime now = date != null ? date.atStartOfDay() : LocalDateTime.now();
        String prompt = formatter.format(new ChatRequest(conversation, toolList, !noGenerationPrompt, now, true, Map.of())).prompt();
        PrintWriter out = spec.commandLine().getOut();
        out.print(prompt);
        out.flush();
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> jsonList(Path file, String option) throws java.io.IOException {
        Object value;
        try {
            value = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(m -> m instanceof Map)) {
            throw new IllegalArgumentException(option + " " + file + ": expected a JSON array of objects");
        }
        return (List<Map<String, Object>>) value;
    }
}
