package dev.gantry.app.cli;

import dev.gantry.app.pull.ModelDownload;
import dev.gantry.app.pull.PullSource;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gantry pull}: downloads a GGUF model into the models directory, where {@code gantry serve} finds it
 * without a restart. Prints the file's path on stdout; progress (on a terminal) and notes go to stderr.
 * {@code HF_TOKEN} is sent as a bearer token to Hugging Face; {@code HF_ENDPOINT} replaces
 * {@code https://huggingface.co} for the short forms, as {@code huggingface_hub} reads them.
 */
@Command(name = "pull", mixinStandardHelpOptions = true, description = {
        "Download a GGUF model into the models directory (resumable, SHA-256 verified).",
        "HF_TOKEN, when set, is sent to Hugging Face as a bearer token (gated and private repositories)."})
final class PullCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL", description = "https://huggingface.co/ORG/REPO/resolve/REV/FILE.gguf,"
            + " hf://ORG/REPO[@REV]/FILE.gguf or ORG/REPO:FILE.gguf")
    String model;

    @Mixin
    DataDirOptions dirs;

    @Option(names = "--sha256", paramLabel = "HEX", description = "The file's SHA-256 (default: the one Hugging Face"
            + " sends for LFS files; without either the file is not verified).")
    String sha256;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    PullCommand() {
        this(System.getenv());
    }

    /** With the environment given, so tests can set {@code HF_TOKEN} and {@code HF_ENDPOINT}. */
    PullCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        URI endpoint = URI.create(environment.getOrDefault("HF_ENDPOINT", PullSource.HUGGING_FACE.toString()));
        PullSource source = PullSource.parse(model, endpoint);
        Path dir = dirs.models();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path existing = dir.resolve(source.fileName());
        if (Files.exists(existing)) {
            err.println("gantry: " + source.fileName() + " is already in " + dir + " (delete it to pull it again)");
            err.flush();
            out.println(existing);
            out.flush();
            return 0;
        }
        Console console = System.console();
        ProgressLine progress = new ProgressLine(err, console != null && console.isTerminal());
        err.println("gantry: pulling " + source.uri() + " into " + dir);
        err.flush();
        ModelDownload download = new ModelDownload(ModelDownload.defaultClient(), environment.get("HF_TOKEN"), progress);
        ModelDownload.Result result;
        try {
            result = download.pull(source, dir, sha256);
        } finally {
            progress.end();
        }
        err.println("gantry: pulled " + source.fileName() + " (" + ByteSize.human(result.bytes())
                + (result.verified() ? ", sha256 verified" : ", not verified") + ")");
        err.flush();
        out.println(result.file());
        out.flush();
        return 0;
    }

    /** Progress as one line rewritten in place on a terminal, at most five times a second; nothing otherwise. */
    private static final class ProgressLine implements ModelDownload.Progress {
        private static final long INTERVAL_NANOS = 200_000_000L;
        private final PrintWriter err;
        private final boolean terminal;
        private final long start = System.nanoTime();
        private long last;
        private boolean drawn;

        ProgressLine(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        @Override
        public void update(String name, long done, long total, long resumedFrom) {
            long now = System.nanoTime();
            if (!terminal || (now - last < INTERVAL_NANOS && done != total)) {
                return;
            }
            last = now;
            double seconds = Math.max(1e-3, (now - start) / 1e9);
            String share = total > 0 ? String.format("%3d%% ", done * 100 / total) : "";
            err.print("\r" + name + "  " + share + ByteSize.human(done) + (total > 0 ? " / " + ByteSize.human(total) : "")
                    + String.format("  %.1f MiB/s   ", (done - resumedFrom) / 1048576.0 / seconds));
            err.flush();
            drawn = true;
        }

        @Override
        public void note(String message) {
            end();
            err.println("gantry: " + message);
            err.flush();
        }

        void end() {
            if (drawn) {
                err.println();
                err.flush();
                drawn = false;
            }
        }
    }
}
