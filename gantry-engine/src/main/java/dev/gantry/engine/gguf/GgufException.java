package dev.gantry.engine.gguf;

import java.nio.file.Path;

/** A GGUF file that cannot be read as a model: the message names the file and what is wrong with it. */
public final class GgufException extends RuntimeException {

    public GgufException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public GgufException(String message) {
        super(message);
    }
}
