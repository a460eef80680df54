package dev.gantry.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where Gantry keeps what it writes (a picocli mixin): {@code --data-dir} (default {@code ~/.gantry}) holds
 * {@code models/}, and {@code --models-dir} points the models somewhere else.
 */
final class DataDirOptions {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.gantry",
            description = "Gantry's data directory: models in DIR/models, the Knowledge Hub in DIR/knowledge (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--models-dir", paramLabel = "DIR", description = "The models directory (default: DATA_DIR/models).")
    Path modelsDir;

    /** The models directory: {@code --models-dir}, else {@code DATA_DIR/models}. */
    Path models() {
        return modelsDir != null ? modelsDir : dataDir.resolve("models");
    }
}
