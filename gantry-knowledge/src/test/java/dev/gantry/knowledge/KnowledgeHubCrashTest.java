package dev.gantry.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.knowledge.index.StoredChunk;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM in the middle of ingesting (SIGKILL: no shutdown hooks, no closing) and checks that the index it
 * leaves behind only ever shows whole documents: every listed document has exactly the chunks its record counts.
 */
class KnowledgeHubCrashTest {
    @TempDir
    Path root;

    /** The child process: creates the collection, then ingests large documents until it is killed. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try (KnowledgeHub hub = TestHubs.hashing(dir)) {
            hub.createCollection("t", "c", CollectionSettings.defaults().withChunking(32, 4));
            Files.writeString(dir.resolve("ready"), "created");
            for (int batch = 0; ; batch++) {
                List<DocumentInput> docs = new ArrayList<>();
                for (int d = 0; d < 20; d++) {
                    StringBuilder text = new StringBuilder();
                    for (int p = 0; p < 60; p++) {
                        text.append("Batch ").append(batch).append(" document ").append(d).append(" paragraph ").append(p)
                                .append(" has words about storage, retention and the heron index.\n\n");
                    }
                    docs.add(DocumentInput.of("b" + batch + "-d" + d + ".txt", null, text.toString().getBytes(StandardCharsets.UTF_8)));
                }
                hub.ingest("t", "c", docs).await();
            }
        }
    }

    @Test
    void killedIngestionLeavesOnlyWholeDocumentsVisible() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), KnowledgeHubCrashTest.class.getName(), root.toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!committedDocuments(50) && System.nanoTime() < deadline) {
                assertThat(child.isAlive()).as("child died: " + log()).isTrue();
                Thread.sleep(200);
            }
            Thread.sleep(150); // land the kill at an arbitrary point of the next group
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL on Unix
        }

        try (KnowledgeHub hub = TestHubs.hashing(root)) {
            List<DocumentInfo> docs = hub.listDocuments("t", "c");
            assertThat(docs).hasSizeGreaterThanOrEqualTo(50);
            int chunks = 0;
            for (DocumentInfo doc : docs) {
                List<StoredChunk> stored = hub.documentChunks("t", "c", doc.id());
                assertThat(stored).as(doc.name()).hasSize(doc.chunks());
                assertThat(stored).extracting(StoredChunk::chunkIndex).as(doc.name())
                        .containsExactlyElementsOf(IntStream.range(0, doc.chunks()).boxed().toList());
                chunks += stored.size();
            }
            assertThat(hub.collection("t", "c").chunks()).isEqualTo(chunks);
            // and the crashed index takes new writes
            assertThat(hub.ingest("t", "c", List.of(TestHubs.text("after.txt", "After the crash."))).await())
                    .extracting(DocumentOutcome::status).containsExactly(DocumentOutcome.Status.ADDED);
        }
    }

    /** True once the child has committed at least {@code n} documents, read through a separate read-only hub. */
    private boolean committedDocuments(int n) {
        if (!Files.exists(root.resolve("ready"))) {
            return false;
        }
        try (KnowledgeHub reader = TestHubs.hashing(root)) {
            return reader.collection("t", "c").documents() >= n;
        }
    }

    private String log() throws IOException {
        File f = root.resolve("child.log").toFile();
        return f.exists() ? Files.readString(f.toPath()) : "";
    }
}
