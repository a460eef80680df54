package dev.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.server.GantryServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gantry serve}'s options become the server they describe; bad combinations are one-line errors. */
class ServeCommandTest {

    @TempDir
    Path dir;

    private static ServeCommand parse(String... args) {
        CommandLine.ParseResult parsed = GantryCommand.commandLine().parseArgs(args);
        return (ServeCommand) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void servesTheNamedModelAndTheModelsDirectoryWithTheFirstModelLoadedAtStart() throws Exception {
        Path models = Files.createDirectory(dir.resolve("models"));
        Files.copy(Path.of(Cli.stories()), models.resolve("other.gguf"));
        ServeCommand serve = parse("serve", "-m", Cli.stories(), "--models-dir", models.toString(), "--port", "0",
                "-t", "1", "--kv-cache-memory", "1MiB", "--keep-alive", "forever", "--models-memory", "1GiB");
        GantryServer server = serve.start(null);
        try {
            assertThat(server.models().isLoaded("stories260K")).as("preloaded").isTrue();
            assertThat(server.models().isLoaded("other")).as("loads on first use").isFalse();
            assertThat(server.models().config().memoryBudget()).isEqualTo(1L << 30);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = new ObjectMapper().readTree(r.body());
            assertThat(body.get("data").findValuesAsText("id")).containsExactly("stories260K", "other");
        } finally {
            server.close();
        }
    }

    @Test
    void aChatTemplateWithSeveralModelsIsAOneLineUsageError() throws Exception {
        Path template = Files.writeString(dir.resolve("t.jinja"), "{{ messages }}");
        Cli r = Cli.run("serve", "-m", Cli.stories(), "--models-dir", dir.toString(), "--chat-template-file",
                template.toString(), "--port", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("--chat-template-file applies to one model");
    }

    @Test
    void noModelsAnywhereIsAOneLineErrorSayingWhereTheyWereLookedFor() {
        Cli r = Cli.run("serve", "--data-dir", dir.toString(), "--port", "0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n").contains("no models to serve")
                .contains(dir.resolve("models").toString()).contains("gantry pull");
    }

    @Test
    void aMissingModelFileOrDirectoryIsAOneLineError() {
        Cli missingFile = Cli.run("serve", "-m", dir.resolve("nope.gguf").toString(), "--port", "0");
        assertThat(missingFile.exitCode()).isEqualTo(1);
        assertThat(missingFile.err()).contains("nope.gguf: no such model file");
        Cli missingDir = Cli.run("serve", "--models-dir", dir.resolve("none").toString(), "--port", "0");
        assertThat(missingDir.exitCode()).isEqualTo(1);
        assertThat(missingDir.err()).contains("the models directory does not exist");
    }

    @Test
    void aWarmupThatIsNotAFiniteDurationIsAUsageError() {
        Cli forever = Cli.run("serve", "-m", Cli.stories(), "--warmup", "forever");
        assertThat(forever.exitCode()).isEqualTo(2);
        assertThat(forever.err()).contains("the warm-up must be finite");
        Cli soon = Cli.run("serve", "-m", Cli.stories(), "--warmup", "soon");
        assertThat(soon.exitCode()).isEqualTo(2);
        assertThat(soon.err()).contains("--warmup").contains("'soon' is not a duration");
    }

    @Test
    void aKeepAliveThatIsNotADurationIsAUsageError() {
        Cli r = Cli.run("serve", "-m", Cli.stories(), "--keep-alive", "soon");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'soon' is not a keep-alive");
    }
}
