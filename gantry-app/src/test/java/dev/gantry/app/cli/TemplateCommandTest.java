package dev.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry template} prints exactly llama.cpp's rendering of a reference conversation. */
class TemplateCommandTest {

    @TempDir
    Path dir;

    @Test
    void rendersReferenceConversationsExactly() throws Exception {
        ObjectMapper json = new ObjectMapper();
        int checked = 0;
        for (String line : Files.readAllLines(Cli.shared("reference/chat-templates/renderings.jsonl"))) {
            JsonNode c = json.readTree(line);
            if (!c.has("prompt") || (c.has("tools") && !c.get("tools").isNull()) || checked >= 5) {
                continue;
            }
            String template = c.has("template") ? c.get("template").asText() : c.get("name").asText();
            Path messages = Files.writeString(dir.resolve("m" + checked + ".json"), json.writeValueAsString(c.get("messages")));
            Cli r = Cli.run("template", "--file", Cli.shared("reference/chat-templates/" + template).toString(),
                    "--messages", messages.toString(), "--date", "2026-11-22");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).as(template + " " + c.get("case")).isEqualTo(c.get("prompt").asText());
            checked++;
        }
        assertThat(checked).isEqualTo(5);
    }

    @Test
    void malformedMessagesAreOneLineErrors() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"role\": ");
        Path template = Files.writeString(dir.resolve("t.jinja"), "{{ messages }}");
        Cli r = Cli.run("template", "--file", template.toString(), "--messages", bad.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("gantry: " + bad);
    }
}
