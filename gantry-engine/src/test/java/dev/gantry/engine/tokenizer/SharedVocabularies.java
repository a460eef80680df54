package dev.gantry.engine.tokenizer;

import dev.gantry.engine.gguf.GgufFile;
import java.nio.file.Path;

/** Opens the shared test models ({@code gantry.shared}) as tokenizers. */
final class SharedVocabularies {

    private SharedVocabularies() {
    }

    static Path shared() {
        return Path.of(System.getProperty("gantry.shared", "../../shared"));
    }

    static Path vocab(String name) {
        return shared().resolve("models/vocab/ggml-vocab-" + name + ".gguf");
    }

    static Tokenizer open(Path gguf) {
        try (GgufFile file = GgufFile.open(gguf)) {
            return Tokenizer.from(file.metadata());
        }
    }
}
