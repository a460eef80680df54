package dev.gantry.app.knowledge;

import dev.gantry.knowledge.answer.EngineAnswerModel;
import dev.gantry.knowledge.embed.EmbedderCatalog;

/** The knowledge commands, wired to Gantry's engine for the answer step. */
public final class KnowledgeCommands {

    private KnowledgeCommands() {
    }

    /** {@code gantry ask}, answering with a model loaded by the engine. */
    public static AskCommand ask() {
        return new AskCommand(EmbedderCatalog.inProcess(), EngineAnswerModel::open);
    }
}
