package dev.gantry.knowledge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectionStoreTest {
    @TempDir
    Path root;

    private static CollectionManifest manifest(String tenant, String name) {
        return new CollectionManifest(tenant, name, null, "m", 4, 256, 32, "2026-01-01T00:00:00Z");
    }

    @Test
    void manifestRoundTripsAndListsPerTenant() throws Exception {
        CollectionStore store = new CollectionStore(root);
        store.claim("acme", "hr");
        store.writeManifest(manifest("acme", "hr"));
        store.claim("acme", "eng");
        store.writeManifest(manifest("acme", "eng"));
        assertThat(store.read("acme", "hr")).contains(manifest("acme", "hr"));
        assertThat(store.list("acme")).extracting(CollectionManifest::name).containsExactly("eng", "hr");
        assertThat(store.list("globex")).isEmpty();
        assertThat(Files.exists(root.resolve("tenants/acme/hr/collection.json"))).isTrue();
    }

    @Test
    void claimFailsForAnExistingCollectionButReusesAnUnfinishedOne() throws Exception {
        CollectionStore store = new CollectionStore(root);
        store.claim("acme", "hr");
        store.claim("acme", "hr"); // no manifest yet: an interrupted creation, reused
        store.writeManifest(manifest("acme", "hr"));
        assertThatThrownBy(() -> store.claim("acme", "hr")).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(store.list("acme")).hasSize(1);
    }

    @Test
    void deleteRemovesTheWholeDirectory() throws Exception {
        CollectionStore store = new CollectionStore(root);
        store.claim("acme", "hr");
        store.writeManifest(manifest("acme", "hr"));
        Files.writeString(store.indexPath("acme", "hr").getParent().resolve("extra"), "x");
        assertThat(store.delete("acme", "hr")).isTrue();
        assertThat(store.delete("acme", "hr")).isFalse();
        try (var left = Files.list(root.resolve("tenants/acme"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void namesThatCouldEscapeTheTenantDirectoryOrCollideByCaseAreRejected() {
        CollectionStore store = new CollectionStore(root);
        for (String bad : new String[] {"..", "../globex", "a/b", "HR", "", ".hidden", "x".repeat(65)}) {
            assertThatThrownBy(() -> store.read("acme", bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid collection name");
            assertThatThrownBy(() -> store.list(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid tenant id");
        }
    }
}
