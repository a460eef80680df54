package dev.gantry.app.knowledge;

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
import dev.gantry.knowledge.answer.AnswerModel;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Knowledge Hub's answer step on Gantry's engine: the prompt goes in as one user turn through the model's chat
 * template (as plain text when the model has none), and the answer streams back greedily, so the same question
 * over the same sources gives the same answer.
 */
final class EngineAnswerModel implements AnswerModel, AutoCloseable {

    private final LocalModel model;
    private final Engine engine;
    private final ChatFormatter chat;

    private EngineAnswerModel(LocalModel model) {
        this.model = model;
        this.engine = new Engine(model, EngineConfig.of(64L << 20));
        Tokenizer t = model.tokenizer();
        this.chat = model.file().metadata().optionalString("tokenizer.chat_template")
                .map(source -> ChatFormatter.create(source, piece(t, t.bosId()), piece(t, t.eosId())))
                .orElse(null);
    }

    static EngineAnswerModel open(Path path) {
        return new EngineAnswerModel(LocalModel.open(path, Runtime.getRuntime().availableProcessors()));
    }

    private static String piece(Tokenizer t, int id) {
        return id >= 0 ? t.piece(id) : "";
    }

    private int[] encode(String prompt) {
        if (chat == null) {
            return model.tokenizer().encode(prompt, true, false);
        }
        String rendered = chat.format(ChatRequest.of(List.of(Map.of("role", "user", "content", prompt)), null, LocalDateTime.now())).prompt();
        return model.tokenizer().encode(rendered, true, true);
    }

    @Override
    public void generate(String prompt, int maxTokens, Consumer<String> onText) {
        int[] ids = encode(prompt);
        int budget = Math.max(1, Math.min(maxTokens, model.config().contextLength() - ids.length));
        Generation g = engine.submit(GenerationRequest.of(ids, SamplingParams.greedy(), budget));
        TokenTextStream text = new TokenTextStream(model.tokenizer());
        try {
            while (true) {
                Generation.Event e = g.next();
                if (e.token() >= 0 && !model.tokenizer().isEndOfGeneration(e.token())) {
                    String piece = text.accept(e.token());
                    if (!piece.isEmpty()) {
                        onText.accept(piece);
                    }
                }
                if (e.isLast()) {
                    if (e.error() != null) {
                        throw new IllegalStateException(e.error());
                    }
                    String rest = text.flush();
                    if (!rest.isEmpty()) {
                        onText.accept(rest);
                    }
                    return;
                }
            }
        } catch (InterruptedException e) {
            engine.cancel(g.id());
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating the answer", e);
        }
    }

    @Override
    public int countTokens(String text) {
        return encode(text).length;
    }

    @Override
    public int contextLength() {
        return model.config().contextLength();
    }

    @Override
    public void close() {
        engine.close();
        model.close();
    }
}
