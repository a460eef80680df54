package dev.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry chat} answers each line of input through the chat template, and says so when it cannot. */
class ChatCommandTest {

    @TempDir
    Path dir;

    private static Cli withInput(String input, String... args) {
        InputStream old = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return RunCapture.run(args);
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void answersEveryTurnUntilExit() throws Exception {
        Path template = Files.writeString(dir.resolve("chatml.jinja"),
                "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
                        + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}");
        Cli r = withInput("Hello\nTell me a story\n/exit\n", "chat", "-m", Cli.stories(), "--chat-template-file", template.toString(),
                "-n", "8", "--temperature", "0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> !l.isBlank()).count()).as(r.out()).isEqualTo(2);
    }

    @Test
    void aModelWithoutTemplateNeedsOne() {
        Cli r = withInput("Hello\n", "chat", "-m", Cli.stories());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("has no chat template; pass --chat-template-file");
    }
}
