package dev.gantry.engine.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code ../shared} (read-only test data beside the repository), as surefire passes it in. */
public final class SharedData {

    private SharedData() {
    }

    public static Path root() {
        String p = System.getProperty("gantry.shared");
        Path root = p != null ? Path.of(p) : Path.of("..", "shared");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("shared test data not found at " + root.toAbsolutePath());
        }
        return root;
    }

    public static Path resolve(String relative) {
        return root().resolve(relative);
    }

    /** A model named in the references: {@code stories260K.gguf} or {@code tiny-*.gguf}. */
    public static Path model(String name) {
        return name.startsWith("tiny-") ? resolve("models/tiny/" + name) : resolve("models/" + name);
    }
}
