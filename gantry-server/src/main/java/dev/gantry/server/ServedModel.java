package dev.gantry.server;

import dev.gantry.engine.Engine;
import dev.gantry.engine.LocalModel;
import dev.gantry.engine.chat.ChatFormatter;
import dev.gantry.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model the server answers for: its public id (the file name without {@code .gguf}, as llama-server and
 * Ollama name models), the engine that batches its requests, and its chat formatter when it has a template. An
 * encoder-only model (an embedding model such as BERT) has no engine: it answers {@code /v1/embeddings} only.
 *
 * @param engine null exactly when the model cannot generate ({@link LocalModel#canGenerate()})
 */
public record ServedModel(String id, LocalModel model, Engine engine, Optional<ChatFormatter> chat)
        implements AutoCloseable {

    public ServedModel {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a served model needs an id");
        }
        if (model == null || chat == null) {
            throw new IllegalArgumentException("model and chat (possibly empty) are required");
        }
        if ((engine == null) == model.canGenerate()) {
            throw new IllegalArgumentException(model.canGenerate() ? "a model that generates needs an engine"
                    : "an encoder-only model has no engine");
        }
    }

    /**
     * Serves {@code model} from {@code file}; the chat template is {@code templateOverride} when given, else the
     * GGUF's {@code tokenizer.chat_template}, else none (chat completions then answer 400).
     *
     * @throws dev.gantry.engine.chat.jinja.TemplateException if the template does not compile
     */
    public static ServedModel of(Path file, LocalModel model, Engine engine, String templateOverride) {
        String name = file.getFileName().toString();
        return of(name.endsWith(".gguf") ? name.substring(0, name.length() - ".gguf".length()) : name, model, engine,
                templateOverride);
    }

    /** As {@link #of(Path, LocalModel, Engine, String)}, with the id given. */
    public static ServedModel of(String id, LocalModel model, Engine engine, String templateOverride) {
        Optional<String> source = templateOverride != null ? Optional.of(templateOverride)
                : model.file().metadata().optionalString("tokenizer.chat_template");
        Tokenizer tokenizer = model.tokenizer();
        Optional<ChatFormatter> chat = source.map(s -> ChatFormatter.create(s, piece(tokenizer, tokenizer.bosId()),
                piece(tokenizer, tokenizer.eosId())));
        return new ServedModel(id, model, engine, chat);
    }

    private static String piece(Tokenizer tokenizer, int id) {
        return id < 0 ? "" : tokenizer.piece(id);
    }

    public boolean canGenerate() {
        return engine != null;
    }

    public int contextLength() {
        return model.config().contextLength();
    }

    /** Stops the engine (cancelling what still runs), then closes the model (its threads stop, its file is unmapped). */
    @Override
    public void close() {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            model.close();
        }
    }
}
