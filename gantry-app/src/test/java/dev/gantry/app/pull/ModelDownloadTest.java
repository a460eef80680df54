package dev.gantry.app.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads against a local Hub stand-in: resume, verification and every failure leave the directory clean. */
class ModelDownloadTest {

    private static final String NAME = "model-q8_0.gguf";

    @TempDir
    Path dir;

    private final List<String> notes = new ArrayList<>();
    private final ModelDownload.Progress progress = new ModelDownload.Progress() {
        @Override
        public void update(String name, long done, long total, long resumedFrom) {
        }

        @Override
        public void note(String message) {
            notes.add(message);
        }
    };

    /** A file that starts like a GGUF and is 3 MiB of seeded noise after that. */
    static byte[] generated() {
        byte[] bytes = new byte[3 << 20];
        new Random(42).nextBytes(bytes);
        System.arraycopy("GGUF".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 4);
        return bytes;
    }

    private ModelDownload.Result pull(HubServer hub, String token, String sha) throws Exception {
        return new ModelDownload(ModelDownload.defaultClient(), token, progress)
                .pull(PullSource.parse(hub.url(), PullSource.HUGGING_FACE), dir, sha);
    }

    @Test
    void downloadsThroughTheRedirectVerifiedByTheLinkedEtagAndRenamesIntoPlace() throws Exception {
        byte[] content = generated();
        try (HubServer hub = new HubServer(NAME, content)) {
            ModelDownload.Result r = pull(hub, "hf_secret", null);
            assertThat(r.file()).isEqualTo(dir.resolve(NAME));
            assertThat(r.verified()).isTrue();
            assertThat(r.sha256()).contains(HubServer.sha256(content));
            assertThat(Files.readAllBytes(r.file())).isEqualTo(content);
            assertThat(dir.resolve(NAME + ".part")).doesNotExist();
            assertThat(hub.seen).extracting(HubServer.Seen::path)
                    .containsExactly("/org/repo/resolve/main/" + NAME, "/cdn/" + NAME);
            assertThat(hub.seen.get(0).authorization()).isEqualTo("Bearer hf_secret");
            assertThat(hub.seen.get(1).authorization()).as("the token never goes to another origin").isNull();
        }
    }

    @Test
    void anInterruptedPullResumesWithARangeRequestAndTheWholeFileIsVerified() throws Exception {
        byte[] content = generated();
        try (HubServer hub = new HubServer(NAME, content)) {
            hub.cutFirstAfter = 1 << 20;
            assertThatThrownBy(() -> pull(hub, null, null)).isInstanceOf(PullException.class)
                    .hasMessageContaining("stopped after").hasMessageContaining("run the same command again to resume");
            Path part = dir.resolve(NAME + ".part");
            long kept = Files.size(part);
            assertThat(kept).isPositive().isLessThan(content.length);
            assertThat(dir.resolve(NAME)).doesNotExist();

            ModelDownload.Result r = pull(hub, null, null);
            assertThat(r.verified()).isTrue();
            assertThat(Files.readAllBytes(r.file())).isEqualTo(content);
            assertThat(hub.seen.getLast().range()).isEqualTo("bytes=" + kept + "-");
            assertThat(part).doesNotExist();
        }
    }

    @Test
    void aServerThatIgnoresRangesIsRestartedFromZero() throws Exception {
        byte[] content = generated();
        try (HubServer hub = new HubServer(NAME, content)) {
            hub.cutFirstAfter = 1 << 20;
            assertThatThrownBy(() -> pull(hub, null, null)).isInstanceOf(PullException.class);
            hub.honourRanges = false;
            ModelDownload.Result r = pull(hub, null, null);
            assertThat(Files.readAllBytes(r.file())).isEqualTo(content);
            assertThat(notes).anyMatch(n -> n.contains("does not resume"));
        }
    }

    @Test
    void aChecksumMismatchDeletesThePartialFileAndNamesBothHashes() throws Exception {
        byte[] content = generated();
        try (HubServer hub = new HubServer(NAME, content)) {
            hub.announcedSha256 = "0".repeat(64);
            assertThatThrownBy(() -> pull(hub, null, null)).isInstanceOf(PullException.class)
                    .hasMessageContaining("checksum mismatch for " + NAME).hasMessageContaining("0".repeat(64))
                    .hasMessageContaining(HubServer.sha256(content));
            assertThat(dir.resolve(NAME + ".part")).doesNotExist();
            assertThat(dir.resolve(NAME)).doesNotExist();
        }
    }

    @Test
    void aGivenSha256WinsOverTheServersAndIsChecked() throws Exception {
        byte[] content = generated();
        try (HubServer hub = new HubServer(NAME, content)) {
            hub.announcedSha256 = "0".repeat(64);
            assertThat(pull(hub, null, HubServer.sha256(content).toUpperCase()).verified()).isTrue();
            Files.delete(dir.resolve(NAME));
            assertThatThrownBy(() -> pull(hub, null, "1".repeat(64))).hasMessageContaining("checksum mismatch");
            assertThatThrownBy(() -> pull(hub, null, "abc")).hasMessageContaining("--sha256 must be 64 hex digits");
        }
    }

    @Test
    void aFileThatIsNotGgufIsRefusedAndDeleted() throws Exception {
        byte[] page = "<!doctype html><html>model card</html>".getBytes(StandardCharsets.UTF_8);
        try (HubServer hub = new HubServer(NAME, page)) {
            assertThatThrownBy(() -> pull(hub, null, null)).isInstanceOf(PullException.class)
                    .hasMessageContaining("is not a GGUF file (it starts with '<!do')");
            assertThat(dir).isEmptyDirectory();
        }
    }

    @Test
    void aMissingFileIs404InOneLine() throws Exception {
        try (HubServer hub = new HubServer(NAME, generated())) {
            PullSource missing = PullSource.parse("hf://org/repo/other.gguf", URI.create(hub.endpoint()));
            assertThatThrownBy(() -> new ModelDownload(ModelDownload.defaultClient(), null, progress).pull(missing, dir, null))
                    .isInstanceOf(PullException.class).hasMessageContaining("not found").hasMessageContaining("HTTP 404")
                    .hasMessageNotContaining("\n");
            assertThat(dir).isEmptyDirectory();
        }
    }

    @Test
    void anUnreachableHostIsOneLineNamingIt() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PullSource nowhere = PullSource.parse("http://127.0.0.1:" + port + "/o/r/resolve/main/m.gguf", PullSource.HUGGING_FACE);
        assertThatThrownBy(() -> new ModelDownload(ModelDownload.defaultClient(), null, progress).pull(nowhere, dir, null))
                .isInstanceOf(PullException.class).hasMessageContaining("cannot connect to 127.0.0.1:" + port);
    }
}
