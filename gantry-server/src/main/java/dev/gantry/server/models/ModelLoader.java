package dev.gantry.server.models;

import dev.gantry.server.ServedModel;
import java.nio.file.Path;

/** How a model file becomes a {@link ServedModel} the registry can later {@link ServedModel#close() close}. */
public interface ModelLoader {

    /** Opens {@code file} as the model {@code id}; any failure is thrown (the registry reports it). */
    ServedModel load(String id, Path file);

    /** What loading {@code file} will take from the memory budget, known before it is loaded. */
    long memoryBytes(Path file);
}
