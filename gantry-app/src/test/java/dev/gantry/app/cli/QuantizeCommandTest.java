package dev.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry quantize} writes a model the other commands open, reports fallbacks, and fails in one line. */
class QuantizeCommandTest {

    @TempDir
    Path dir;

    @Test
    void quantizesAModelThatTheOtherCommandsOpen() {
        Path out = dir.resolve("stories-q8_0.gguf");
        Cli r = Cli.run("quantize", "-m", Cli.stories(), "-o", out.toString(), "--type", "q8_0", "-t", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith(out + ": q8_0, ").contains("37 tensors encoded, 11 copied, 5 fell back");
        assertThat(r.err().lines().toList()).hasSize(5)
                .allSatisfy(l -> assertThat(l).startsWith("gantry: note: tensor 'blk.").contains("ffn_down.weight' has rows of 172 elements")
                        .endsWith("not a multiple of the Q8_0 block size 32: written as F16"));
        Cli show = Cli.run("show", "-m", out.toString());
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("Q8_0=32").contains("F16=5");
        Cli tokenize = Cli.run("tokenize", "-m", out.toString(), "--text", "Once upon a time", "--ids");
        assertThat(tokenize.out().trim()).isEqualTo("[1, 403, 407, 261, 378]");
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        Path out = dir.resolve("x.gguf");
        Cli unknown = Cli.run("quantize", "-m", Cli.stories(), "-o", out.toString(), "--type", "q3_xl");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err().lines().toList()).hasSize(1);
        assertThat(unknown.err()).startsWith("gantry: unknown quantization type 'q3_xl' (supported: ").contains("q4_0").contains("q8_0");
        Cli missing = Cli.run("quantize", "-m", dir.resolve("absent.gguf").toString(), "-o", out.toString(), "--type", "q4_0");
        assertThat(missing.err().lines().toList()).hasSize(1);
        assertThat(missing.err()).contains("absent.gguf: no such file");
        Cli same = Cli.run("quantize", "-m", Cli.stories(), "-o", Cli.stories(), "--type", "q4_0");
        assertThat(same.err()).startsWith("gantry: ").contains("must not be the input");
        assertThat(out).doesNotExist();
    }
}
