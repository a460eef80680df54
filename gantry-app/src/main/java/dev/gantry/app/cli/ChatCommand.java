package dev.gantry.app.cli;

import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineConfig;
import dev.gantry.engine.Generation;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.LocalModel;
import dev.gantry.engine.TokenTextStream;
import dev.gantry.engine.chat.ChatFormatter;
import dev.gantry.engine.chat.ChatRequest;
import dev.gantry.engine.sampling.SamplingParams;
import dev.gantry.engine.tokenizer.Tokenizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gantry chat}: an interactive conversation on the terminal through the model's chat template. Each turn
 * re-renders the whole conversation, as a server would; the engine's prefix cache keeps the earlier turns' keys
 * and values, so only the new text is computed.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, description = "Chat with a model on the terminal (/exit or end of input to quit).")
final class ChatCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message to start with.")
    String system;

    @Option(names = "--chat-template-file", paramLabel = "FILE", description = "Use this Jinja template instead of the model's.")
    Path templateFile;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "512", description = "Longest reply in tokens (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0.8", description = "0 is greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--seed", description = "Random seed: the same seed gives the same replies.")
    Long seed;

    @Override
    public Integer call() throws Exception {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("--max-tokens must be at least 1, got " + maxTokens);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        boolean tty = System.console() != null;
        try (LocalModel model = modelOptions.open(); Engine engine = new Engine(model, EngineConfig.of(128L << 20))) {
            Tokenizer tokenizer = model.tokenizer();
            String source = templateFile != null ? Files.readString(templateFile, StandardCharsets.UTF_8)
                    : model.file().metadata().optionalString("tokenizer.chat_template").orElseThrow(() ->
                    new IllegalArgumentException(modelOptions.model + " has no chat template; pass --chat-template-file"));
            ChatFormatter chat = ChatFormatter.create(source, piece(tokenizer, tokenizer.bosId()), piece(tokenizer, tokenizer.eosId()));
            SamplingParams sampling = SamplingParams.defaults().withTemperature(temperature);
            if (seed != null) {
                sampling = sampling.withSeed(seed);
            }
            List<Map<String, Object>> messages = new ArrayList<>();
            if (system != null) {
                messages.add(Map.of("role", "system", "content", system));
            }
            while (true) {
                if (tty) {
                    out.print("> ");
                }
                String line = in.readLine();
                if (line == null || line.strip().equals("/exit")) {
                    return 0;
                }
                if (line.isBlank()) {
                    continue;
                }
                messages.add(Map.of("role", "user", "content", line));
                String prompt = chat.format(ChatRequest.of(messages, null, LocalDateTime.now())).prompt();
                int[] ids = tokenizer.encode(prompt, true, true);
                int budget = Math.min(maxTokens, model.config().contextLength() - ids.length);
                if (budget < 1) {
                    throw new IllegalArgumentException("the conversation has filled the model's context of " + model.config().contextLength() + " tokens");
                }
                String reply = reply(engine, tokenizer, ids, sampling, budget, out);
                messages.add(Map.of("role", "assistant", "content", reply));
            }
        }
    }

    private static String reply(Engine engine, Tokenizer tokenizer, int[] ids, SamplingParams sampling, int budget,
                                PrintStream out) throws InterruptedException {
        Generation g = engine.submit(new GenerationRequest(ids, sampling, budget, null, false, "cli"));
        TokenTextStream text = new TokenTextStream(tokenizer);
        StringBuilder reply = new StringBuilder();
        while (true) {
            Generation.Event e = g.next();
            if (e.token() >= 0 && !tokenizer.isEndOfGeneration(e.token())) {
                String piece = text.accept(e.token());
                reply.append(piece);
                out.print(piece);
            }
            if (e.isLast()) {
                if (e.error() != null) {
                    throw new IllegalStateException(e.error());
                }
                String rest = text.flush();
                reply.append(rest);
                out.println(rest);
                return reply.toString().strip();
            }
        }
    }

    private static String piece(Tokenizer t, int id) {
        return id >= 0 ? t.piece(id) : "";
    }
}
