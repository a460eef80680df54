package dev.gantry.knowledge.answer;

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
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Knowledge Hub's answer step on Gantry's engine: the prompt goes in as one user turn through the model's chat
 * template (as plain text when the model has none), and the answer streams back greedily, so the same question
 * over the same sources gives the same answer.
 *
 * <p>Two lifetimes: {@link #open} loads a model with an engine of its own and closes both on {@link #close()} (the
 * CLI's {@code gantry ask}); {@link #on} borrows the engine a server already runs for its model, so answers are
 * batched with the chat traffic, and {@link #close()} leaves both alone.
 *
 * <p>NOTE: when {@code onText} throws (an SSE client went away), the generation is cancelled before the exception
 * propagates, so its KV blocks go back to the pool at the engine's next step.
 */
public final class EngineAnswerModel implements AnswerModel, AutoCloseable {

    /** KV cache for a model loaded just to answer: one sequence at a time, so a little goes a long way. */
    private static final long OWN_KV_CACHE_BYTES = 64L << 20;

    private final LocalModel model;
    private final Engine engine;
    private final Optional<ChatFormatter> chat;
    private final boolean owned;

    private EngineAnswerModel(LocalModel model, Engine engine, Optional<ChatFormatter> chat, boolean owned) {
        this.model = model;
        this.engine = engine;
        this.chat = chat;
        this.owned = owned;
    }

    /** Loads {@code path} with an engine of its own, using the GGUF's chat template when it has one. */
    public static EngineAnswerModel open(Path path) {
        LocalModel model = LocalModel.open(path, Runtime.getRuntime().availableProcessors());
        try {
            Tokenizer t = model.tokenizer();
            Optional<ChatFormatter> chat = model.file().metadata().optionalString("tokenizer.chat_template")
                    .map(source -> ChatFormatter.create(source, piece(t, t.bosId()), piece(t, t.eosId())));
            return new EngineAnswerModel(model, new Engine(model, EngineConfig.of(OWN_KV_CACHE_BYTES)), chat, true);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Answers on an engine someone else runs (and closes) for {@code model}.
     *
     * @param chat the chat formatter the model is served with, or empty to prompt with plain text
     */
    public static EngineAnswerModel on(LocalModel model, Engine engine, Optional<ChatFormatter> chat) {
        return new EngineAnswerModel(model, engine, chat, false);
    }

    private static String piece(Tokenizer t, int id) {
        return id >= 0 ? t.piece(id) : "";
    }

    private int[] encode(String prompt) {
        if (chat.isEmpty()) {
            return model.tokenizer().encode(prompt, true, false);
        }
        String rendered = chat.get().format(ChatRequest.of(List.of(Map.of("role", "user", "content", prompt)), null,
                LocalDateTime.now())).prompt();
        return model.tokenizer().encode(rendered, true, true);
    }

    /**
     * @throws dev.gantry.engine.scheduler.OverloadedException when the engine's queue is full (nothing was queued)
     */
    @Override
    public void generate(String prompt, int maxTokens, Consumer<String> onText) {
        int[] ids = encode(prompt);
        int budget = Math.max(1, Math.min(maxTokens, model.config().contextLength() - ids.length));
        Generation g = engine.submit(GenerationRequest.of(ids, SamplingParams.greedy(), budget));
        TokenTextStream text = new TokenTextStream(model.tokenizer());
        boolean finished = false;
        try {
            while (!finished) {
                Generation.Event e = g.next();
                if (e.token() >= 0 && !model.tokenizer().isEndOfGeneration(e.token())) {
                    String piece = text.accept(e.token());
                    if (!piece.isEmpty()) {
                        onText.accept(piece);
                    }
                }
                if (e.isLast()) {
                    finished = true;
                    if (e.error() != null) {
                        throw new IllegalStateException("generating the answer failed: " + e.error());
                    }
                    String rest = text.flush();
                    if (!rest.isEmpty()) {
                        onText.accept(rest);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating the answer", e);
        } finally {
            if (!finished) {
                engine.cancel(g.id());
            }
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

    /** Closes the engine and the model when {@link #open} loaded them; a borrowed engine stays running. */
    @Override
    public void close() {
        if (owned) {
            engine.close();
            model.close();
        }
    }
}
