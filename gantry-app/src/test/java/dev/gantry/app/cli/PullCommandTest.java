package dev.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.app.pull.HubServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gantry pull} then {@code gantry list}, end to end against a local Hub stand-in serving stories260K. */
class PullCommandTest {

    @TempDir
    Path dir;

    private static byte[] stories() throws Exception {
        return Files.readAllBytes(Path.of(Cli.stories()));
    }

    @Test
    void aPulledModelIsInTheModelsDirectoryAndListedWithItsHeader() throws Exception {
        try (HubServer hub = new HubServer("stories260K.gguf", stories())) {
            Cli pull = Cli.run("pull", hub.url(), "--models-dir", dir.toString());
            assertThat(pull.exitCode()).as(pull.err()).isZero();
            assertThat(pull.out().strip()).isEqualTo(dir.resolve("stories260K.gguf").toString());
            assertThat(pull.err()).contains("sha256 verified");
            assertThat(dir.resolve("stories260K.gguf")).hasSameBinaryContentAs(Path.of(Cli.stories()));

            Cli list = Cli.run("list", "--models-dir", dir.toString());
            assertThat(list.exitCode()).as(list.err()).isZero();
            assertThat(list.out().lines().toList().getFirst()).startsWith("NAME").contains("SIZE", "ARCH", "TYPE",
                    "PARAMS", "MODIFIED");
            assertThat(list.out()).containsPattern("stories260K\\s+\\d+\\.\\d [KM]iB\\s+llama\\s+\\S+.*\\s+\\d+K\\s+\\d{4}-");

            Cli again = Cli.run("pull", hub.url(), "--models-dir", dir.toString());
            assertThat(again.exitCode()).isZero();
            assertThat(again.err()).contains("already in");
        }
    }

    @Test
    void listJsonGivesEveryFieldAndABrokenFileItsError() throws Exception {
        Files.copy(Path.of(Cli.stories()), dir.resolve("a.gguf"));
        Files.writeString(dir.resolve("broken.gguf"), "nope");
        Cli list = Cli.run("list", "--models-dir", dir.toString(), "--json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        JsonNode models = new ObjectMapper().readTree(list.out());
        assertThat(models).hasSize(2);
        JsonNode a = models.get(0);
        assertThat(a.get("name").asText()).isEqualTo("a");
        assertThat(a.get("architecture").asText()).isEqualTo("llama");
        assertThat(a.get("size_bytes").asLong()).isEqualTo(Files.size(dir.resolve("a.gguf")));
        assertThat(a.get("parameters").asLong()).isPositive();
        assertThat(a.get("file_type").asText()).isNotBlank();
        assertThat(a.get("modified").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(a.get("error").isNull()).isTrue();
        assertThat(models.get(1).get("name").asText()).isEqualTo("broken");
        assertThat(models.get(1).get("error").asText()).isNotBlank();
    }

    @Test
    void anEmptyModelsDirectoryListsNothingAndSaysHowToAddOne() {
        Cli list = Cli.run("list", "--data-dir", dir.toString());
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).isEmpty();
        assertThat(list.err()).contains("no models in " + dir.resolve("models")).contains("gantry pull");
        assertThat(Cli.run("list", "--data-dir", dir.toString(), "--json").out().strip()).isEqualTo("[]");
    }

    @Test
    void aMissingFileIsAOneLineErrorAndANonZeroExit() throws Exception {
        try (HubServer hub = new HubServer("stories260K.gguf", stories())) {
            Cli pull = Cli.run("pull", hub.url().replace("stories260K", "missing"), "--models-dir", dir.toString());
            assertThat(pull.exitCode()).isEqualTo(1);
            assertThat(pull.err()).contains("gantry: not found:").contains("HTTP 404");
            assertThat(pull.err().lines().filter(l -> l.startsWith("gantry: not found")).count()).isEqualTo(1);
            assertThat(dir.resolve("missing.gguf")).doesNotExist();
        }
    }

    @Test
    void theShorthandUsesHfEndpointAndSendsHfToken() throws Exception {
        try (HubServer hub = new HubServer("stories260K.gguf", stories())) {
            CommandLine cl = new CommandLine(new PullCommand(Map.of("HF_ENDPOINT", hub.endpoint(), "HF_TOKEN", "hf_abc")));
            cl.setOut(new PrintWriter(new StringWriter()));
            cl.setErr(new PrintWriter(new StringWriter()));
            int code = cl.execute("org/repo:stories260K.gguf", "--models-dir", dir.toString());
            assertThat(code).isZero();
            assertThat(hub.seen.getFirst().authorization()).isEqualTo("Bearer hf_abc");
            assertThat(dir.resolve("stories260K.gguf")).exists();
        }
    }
}
