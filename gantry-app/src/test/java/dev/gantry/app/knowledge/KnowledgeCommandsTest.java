package dev.gantry.app.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.knowledge.HashingEmbedder;
import dev.gantry.knowledge.answer.AnswerModel;
import dev.gantry.knowledge.embed.EmbedderCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KnowledgeCommandsTest {
    @TempDir
    Path tmp;
    Path dataDir;
    Path docs;
    final EmbedderCatalog embedders = EmbedderCatalog.of(new HashingEmbedder("word-hash", 32));

    record Run(int exit, String out, String err) {
    }

    private static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void writeDocuments() throws Exception {
        dataDir = tmp.resolve("data");
        docs = tmp.resolve("handbook");
        Files.createDirectories(docs.resolve("policies"));
        Files.createDirectories(docs.resolve(".git"));
        Files.writeString(docs.resolve("leave.md"), "# Leave\n\nParents receive sixteen weeks of paid parental leave.");
        Files.writeString(docs.resolve("policies/expenses.txt"), "Expense claims are reimbursed within ten working days.");
        Files.writeString(docs.resolve("policies/security.html"), "<p>Laptops must use full disk encryption.</p>");
        Files.writeString(docs.resolve("policies/notes.docx"), "not read: unsupported type in a folder is skipped");
        Files.writeString(docs.resolve(".git/config.md"), "hidden: skipped");
    }

    private Run ingest(String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "--data-dir";
        args[1] = dataDir.toString();
        args[2] = "--collection";
        args[3] = "hr";
        System.arraycopy(extra, 0, args, 4, extra.length);
        return run(new IngestCommand(embedders), args);
    }

    @Test
    void ingestReadsFoldersRecursivelyCreatesTheCollectionAndIsANoOpTheSecondTime() {
        Run first = ingest(docs.toString());
        assertThat(first.exit()).isZero();
        assertThat(first.err()).isEmpty();
        assertThat(first.out()).contains("created collection 'hr' (word-hash, 256-token chunks)",
                "ingested 3 documents into 'hr': 3 added, 3 chunks written");
        Run second = ingest(docs.toString());
        assertThat(second.out()).doesNotContain("created").contains("3 unchanged");
    }

    @Test
    void badDocumentsAreReportedOneLineEachAndTheRestIsIngested() throws Exception {
        Path bad = Files.writeString(tmp.resolve("slides.pptx"), "PK");
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "");
        Run r = ingest(docs.resolve("leave.md").toString(), bad.toString(), empty.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("1 added", "2 failed");
        assertThat(r.err().lines()).hasSize(2).allMatch(l -> l.startsWith("failed: '"))
                .anyMatch(l -> l.contains("slides.pptx") && l.contains("unsupported"))
                .anyMatch(l -> l.contains("empty.txt") && l.contains("empty"));
    }

    @Test
    void searchJsonPrintsOneObjectPerHitWithDocumentChunkScoreAndText() throws Exception {
        ingest(docs.toString());
        Run r = run(new SearchCommand(embedders), "--data-dir", dataDir.toString(), "-c", "hr", "--json", "-k", "2",
                "--mode", "keyword", "how many weeks of parental leave");
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode hit = new ObjectMapper().readTree(lines.getFirst());
        assertThat(hit.fieldNames()).toIterable().containsExactly("document", "chunk", "score", "text");
        assertThat(hit.get("document").asText()).isEqualTo(docs.resolve("leave.md").toAbsolutePath().toString());
        assertThat(hit.get("chunk").asInt()).isZero();
        assertThat(hit.get("score").asDouble()).isPositive();
        assertThat(hit.get("text").asText()).contains("sixteen weeks");

        Run text = run(new SearchCommand(embedders), "--data-dir", dataDir.toString(), "-c", "hr", "disk encryption");
        assertThat(text.out()).startsWith("1. " + docs.resolve("policies/security.html").toAbsolutePath() + " (chunk 0, score ");
    }

    @Test
    void aGgufEmbeddingModelNamedWithEmbeddingGgufServesACollectionEndToEnd() throws Exception {
        Path minilm = Path.of("..", "..", "shared", "models", "embed", "all-MiniLM-L6-v2-q8_0.gguf");
        String file = minilm.toString();
        Run in = ingest("--embedding-gguf", file, "--embedding-model", "gguf:all-MiniLM-L6-v2-q8_0", docs.toString());
        assertThat(in.exit()).as(in.err()).isZero();
        assertThat(in.out()).contains("created collection 'hr' (gguf:all-MiniLM-L6-v2-q8_0, 256-token chunks)");
        Run r = run(new SearchCommand(embedders), "--data-dir", dataDir.toString(), "-c", "hr", "--embedding-gguf", file,
                "--json", "-k", "1", "--mode", "vector", "how long may new parents stay at home?");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(new ObjectMapper().readTree(r.out().lines().findFirst().orElseThrow()).get("document").asText())
                .isEqualTo(docs.resolve("leave.md").toAbsolutePath().toString());

        Run unregistered = run(new SearchCommand(embedders), "--data-dir", dataDir.toString(), "-c", "hr", "--mode",
                "vector", "parental leave");
        assertThat(unregistered.exit()).isEqualTo(1);
        assertThat(unregistered.err().lines()).singleElement().asString().contains("gguf:all-MiniLM-L6-v2-q8_0");
        Run absent = ingest("--embedding-gguf", tmp.resolve("none.gguf").toString(), docs.toString());
        assertThat(absent.exit()).isEqualTo(1);
        assertThat(absent.err().lines()).singleElement().asString()
                .isEqualTo("gantry ingest: " + tmp.resolve("none.gguf") + " is not a file");
    }

    @Test
    void errorsAreOneLineOnStderrWithANonZeroExit() {
        Run missing = run(new SearchCommand(embedders), "--data-dir", dataDir.toString(), "-c", "nope", "query");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("gantry search: no collection 'nope'" + System.lineSeparator());
        ingest(docs.toString());
        Run badMode = run(new SearchCommand(embedders), "--data-dir", dataDir.toString(), "-c", "hr", "--mode", "fuzzy", "q");
        assertThat(badMode.err().lines()).singleElement().asString().contains("unknown search mode 'fuzzy'");
        Run badName = run(new IngestCommand(embedders), "--data-dir", dataDir.toString(), "-c", "Bad/Name", docs.toString());
        assertThat(badName.exit()).isEqualTo(1);
        assertThat(badName.err().lines()).singleElement().asString().startsWith("gantry ingest: invalid collection name");
        Run noPath = run(new IngestCommand(embedders), "--data-dir", dataDir.toString(), "-c", "hr", tmp.resolve("absent").toString());
        assertThat(noPath.err().lines()).singleElement().asString().contains("does not exist");
    }

    /** Answers with a fixed sentence citing source 1. */
    private record FixedModel(String answer) implements AnswerModel {
        @Override
        public void generate(String prompt, int maxTokens, Consumer<String> onText) {
            for (String piece : answer.split("(?<= )")) {
                onText.accept(piece);
            }
        }

        @Override
        public int countTokens(String text) {
            return text.split("\\s+").length;
        }

        @Override
        public int contextLength() {
            return 4096;
        }
    }

    @Test
    void askStreamsTheAnswerAndListsTheCitedSources() {
        ingest(docs.toString());
        AskCommand ask = new AskCommand(embedders, path -> new FixedModel("Sixteen weeks of paid leave [1]."));
        Run r = run(ask, "--data-dir", dataDir.toString(), "-c", "hr", "-m", "model.gguf", "How long is parental leave?");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Sixteen weeks of paid leave [1].")
                .contains("Sources:\n[1] " + docs.resolve("leave.md").toAbsolutePath() + " (chunk 0, characters 0-");
    }

    @Test
    void askWithoutAGenerationBackendSaysSoInOneLine() {
        ingest(docs.toString());
        Run r = run(new AskCommand(), "--data-dir", dataDir.toString(), "-c", "hr", "-m", "model.gguf", "question?");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("gantry ask: answer generation is not available in this build yet" + System.lineSeparator());
    }
}
