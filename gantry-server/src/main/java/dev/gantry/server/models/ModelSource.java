package dev.gantry.server.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a server's models come from: files named one by one ({@code --model}, repeatable) and a directory whose
 * every {@code *.gguf} is a model ({@code --models-dir}). A model's id is its file name without {@code .gguf},
 * as llama-server and Ollama name them; two named files with one id are refused, and a named file wins over a
 * directory file with its id.
 *
 * @param files     the named files, in the order given (the first is the default model)
 * @param directory the models directory, if any; {@link #scan()} lists it afresh every time
 */
public record ModelSource(List<Path> files, Optional<Path> directory) {

    public static final String EXTENSION = ".gguf";

    public ModelSource {
        files = List.copyOf(files);
        if (directory == null) {
            throw new IllegalArgumentException("directory must be present or empty, not null");
        }
        Map<String, Path> seen = new LinkedHashMap<>();
        for (Path f : files) {
            Path before = seen.putIfAbsent(idOf(f), f);
            if (before != null) {
                throw new IllegalArgumentException("two models have the id '" + idOf(f) + "': " + before + " and " + f
                        + " (a model's id is its file name without .gguf)");
            }
        }
    }

    public static ModelSource of(List<Path> files, Path directory) {
        return new ModelSource(files, Optional.ofNullable(directory));
    }

    /** The public id of a model file: its name without {@code .gguf}. */
    public static String idOf(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(EXTENSION) ? name.substring(0, name.length() - EXTENSION.length()) : name;
    }

    /** The id a request that names no model gets: the first named file's. */
    public Optional<String> defaultId() {
        return files.isEmpty() ? Optional.empty() : Optional.of(idOf(files.getFirst()));
    }

    /**
     * Fails with a message naming the path when a named file is not a readable file or the directory is not a
     * directory; done once at start, so a typo never becomes a silently empty server.
     */
    public void validate() {
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException(f + ": no such model file");
            }
        }
        directory.ifPresent(d -> {
            if (!Files.isDirectory(d)) {
                throw new IllegalArgumentException(d + ": the models directory does not exist");
            }
        });
    }

    /**
     * Every model now available, id to file: the named files first, then the directory's {@code *.gguf} by name.
     * Hidden files and partial downloads ({@code .part}) are not models.
     */
    public Map<String, Path> scan() {
        Map<String, Path> out = new LinkedHashMap<>();
        for (Path f : files) {
            out.put(idOf(f), f);
        }
        if (directory.isPresent() && Files.isDirectory(directory.get())) {
            List<Path> found = new ArrayList<>();
            try (Stream<Path> list = Files.list(directory.get())) {
                list.filter(ModelSource::isModelFile).forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the models directory " + directory.get(), e);
            }
            found.sort(null);
            for (Path f : found) {
                out.putIfAbsent(idOf(f), f);
            }
        }
        return out;
    }

    private static boolean isModelFile(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(EXTENSION) && !name.startsWith(".") && name.length() > EXTENSION.length()
                && Files.isRegularFile(p);
    }
}
