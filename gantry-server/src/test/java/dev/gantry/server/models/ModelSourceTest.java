package dev.gantry.server.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSourceTest {

    @TempDir
    Path dir;

    @Test
    void theIdIsTheFileNameWithoutGguf() {
        assertThat(ModelSource.idOf(Path.of("/m/qwen3-0.6b-q8_0.gguf"))).isEqualTo("qwen3-0.6b-q8_0");
        assertThat(ModelSource.idOf(Path.of("model.bin"))).isEqualTo("model.bin");
    }

    @Test
    void scanListsNamedFilesFirstThenTheDirectoryByNameSkippingPartialAndHiddenFiles() throws IOException {
        Files.writeString(dir.resolve("b.gguf"), "x");
        Files.writeString(dir.resolve("a.gguf"), "x");
        Files.writeString(dir.resolve("c.gguf.part"), "x");
        Files.writeString(dir.resolve(".hidden.gguf"), "x");
        Files.writeString(dir.resolve("notes.txt"), "x");
        Path named = Files.writeString(Files.createDirectory(dir.resolve("elsewhere")).resolve("z.gguf"), "x");
        ModelSource source = ModelSource.of(List.of(named), dir);
        assertThat(source.scan().keySet()).containsExactly("z", "a", "b");
        assertThat(source.defaultId()).contains("z");
    }

    @Test
    void aNamedFileWinsOverADirectoryFileWithItsId() throws IOException {
        Files.writeString(dir.resolve("m.gguf"), "x");
        Path named = Files.writeString(Files.createDirectory(dir.resolve("other")).resolve("m.gguf"), "y");
        assertThat(ModelSource.of(List.of(named), dir).scan()).containsEntry("m", named).hasSize(1);
    }

    @Test
    void filesAddedLaterShowUpOnTheNextScan() throws IOException {
        ModelSource source = ModelSource.of(List.of(), dir);
        assertThat(source.scan()).isEmpty();
        Files.writeString(dir.resolve("new.gguf"), "x");
        assertThat(source.scan()).containsOnlyKeys("new");
    }

    @Test
    void twoNamedFilesWithOneIdAreRefused() {
        assertThatThrownBy(() -> ModelSource.of(List.of(Path.of("a/m.gguf"), Path.of("b/m.gguf")), null))
                .hasMessageContaining("two models have the id 'm'");
    }

    @Test
    void validateNamesAMissingFileOrDirectory() {
        assertThatThrownBy(() -> ModelSource.of(List.of(dir.resolve("nope.gguf")), null).validate())
                .hasMessageContaining("nope.gguf: no such model file");
        assertThatThrownBy(() -> new ModelSource(List.of(), Optional.of(dir.resolve("none"))).validate())
                .hasMessageContaining("the models directory does not exist");
    }
}
