package dev.gantry.knowledge.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Collection manifests and directories under one root, per tenant. Every path is built from validated names
 * ({@link Names}), so a tenant's lookups can only ever reach its own directory.
 */
public final class CollectionStore {
    private static final String MANIFEST = "collection.json";
    private static final String INDEX = "index";

    private final Path root;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public CollectionStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path indexPath(String tenant, String name) {
        return collectionDir(tenant, name).resolve(INDEX);
    }

    /**
     * Claims the collection's directory; fails when the collection exists. A directory left without a manifest by
     * an interrupted creation is cleared and reused.
     */
    public Path claim(String tenant, String name) throws IOException {
        Path dir = collectionDir(tenant, name);
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (Files.exists(dir.resolve(MANIFEST))) {
                throw e;
            }
            deleteTree(dir);
            Files.createDirectory(dir);
        }
        return dir;
    }

    /** Writes the manifest atomically (temp file, then rename): from this moment the collection exists. */
    public void writeManifest(CollectionManifest manifest) throws IOException {
        Path dir = collectionDir(manifest.tenant(), manifest.name());
        Path tmp = dir.resolve(MANIFEST + ".tmp");
        json.writeValue(tmp.toFile(), manifest);
        Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public Optional<CollectionManifest> read(String tenant, String name) throws IOException {
        Path file = collectionDir(tenant, name).resolve(MANIFEST);
        try {
            return Optional.of(json.readValue(Files.readAllBytes(file), CollectionManifest.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The tenant's collections, by name. */
    public List<CollectionManifest> list(String tenant) throws IOException {
        Path dir = tenantDir(tenant);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<CollectionManifest> out = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (!name.startsWith(".")) {
                    read(tenant, name).ifPresent(out::add);
                }
            }
        }
        out.sort(Comparator.comparing(CollectionManifest::name));
        return out;
    }

    /**
     * Deletes a collection: first renames its directory out of the way (so it disappears at once and a crash
     * midway leaves no half-collection), then deletes the files. Returns false when it did not exist.
     */
    public boolean delete(String tenant, String name) throws IOException {
        Path dir = collectionDir(tenant, name);
        if (!Files.exists(dir.resolve(MANIFEST))) {
            return false;
        }
        Path trash = tenantDir(tenant).resolve(".deleted-" + name + "-" + System.nanoTime());
        Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(trash);
        return true;
    }

    private Path tenantDir(String tenant) {
        return root.resolve("tenants").resolve(Names.tenant(tenant));
    }

    private Path collectionDir(String tenant, String name) {
        return tenantDir(tenant).resolve(Names.collection(name));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
