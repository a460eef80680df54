package dev.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.gguf.GgufTensorInfo;
import dev.gantry.engine.gguf.GgufWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad model file gives one line naming the file and the problem, and a non-zero exit. */
class BadInputTest {

    @TempDir
    Path dir;

    private static void assertOneLineError(Cli r, Path file, String problem) {
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("gantry: ").contains(file.toString()).contains(problem).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aFileThatIsNotGguf() throws IOException {
        Path f = Files.writeString(dir.resolve("notes.gguf"), "just some text, not a model");
        for (String command : new String[] {"run", "show", "tokenize", "score"}) {
            String[] args = switch (command) {
                case "run" -> new String[] {"run", "-m", f.toString(), "-p", "hi"};
                case "tokenize" -> new String[] {"tokenize", "-m", f.toString(), "--text", "hi"};
                case "score" -> new String[] {"score", "-m", f.toString(), "--tokens", "1,2"};
                default -> new String[] {"show", "-m", f.toString()};
            };
            assertOneLineError(RunCapture.run(args), f, "not a GGUF file");
        }
    }

    @Test
    void aMissingFile() {
        Path f = dir.resolve("absent.gguf");
        assertOneLineError(Cli.run("show", "-m", f.toString()), f, "no such file");
    }

    @Test
    void aTruncatedFile() throws IOException {
        byte[] all = Files.readAllBytes(Path.of(Cli.stories()));
        for (int length : new int[] {3, 20, 4000, all.length / 2, all.length - 1}) {
            Path f = dir.resolve("cut-" + length + ".gguf");
            Files.write(f, java.util.Arrays.copyOf(all, length));
            Cli r = Cli.run("show", "-m", f.toString());
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.err()).as("cut at " + length).startsWith("gantry: " + f).containsAnyOf("truncated", "not a GGUF file").doesNotContain("\tat ");
        }
    }

    @Test
    void anUnknownArchitecture() throws IOException {
        Path f = rewrite("mamba.gguf", w -> w.putString("general.architecture", "mamba9"));
        assertOneLineError(Cli.run("show", "-m", f.toString()), f, "unknown architecture 'mamba9'");
    }

    @Test
    void aMissingMetadataKey() throws IOException {
        Path f = rewrite("nodim.gguf", w -> w.remove("llama.embedding_length"));
        assertOneLineError(RunCapture.run("run", "-m", f.toString(), "-p", "hi"), f, "missing metadata key 'llama.embedding_length'");
    }

    @Test
    void anUnknownWeightType() throws IOException {
        byte[] all = Files.readAllBytes(Path.of(Cli.stories()));
        Path f = dir.resolve("badtype.gguf");
        // The first tensor info follows the metadata: find its name, then patch the uint32 type after its dims.
        byte[] name = "token_embd.weight".getBytes();
        int at = indexOf(all, name);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int nDims = b.getInt(at + name.length);
        b.putInt(at + name.length + 4 + 8 * nDims, 99);
        Files.write(f, all);
        assertOneLineError(Cli.run("show", "-m", f.toString()), f, "unknown weight type id 99");
    }

    /** stories260K with its metadata edited, tensors copied. */
    private Path rewrite(String name, Consumer<GgufWriter> edit) throws IOException {
        Path out = dir.resolve(name);
        try (GgufFile src = GgufFile.open(Path.of(Cli.stories())); GgufWriter w = GgufWriter.create(out)) {
            w.putAll(src.metadata());
            edit.accept(w);
            for (GgufTensorInfo t : src.tensorInfos().values()) {
                w.addTensor(t.name(), t.type(), t.shape());
            }
            w.writeHeader();
            for (GgufTensorInfo t : src.tensorInfos().values()) {
                w.writeTensor(t.name(), src.tensor(t.name()).data());
            }
        }
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }
}
