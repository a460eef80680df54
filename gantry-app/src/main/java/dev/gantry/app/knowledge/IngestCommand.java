package dev.gantry.app.knowledge;

import dev.gantry.knowledge.CollectionInfo;
import dev.gantry.knowledge.CollectionSettings;
import dev.gantry.knowledge.DocumentInput;
import dev.gantry.knowledge.DocumentOutcome;
import dev.gantry.knowledge.IngestJob;
import dev.gantry.knowledge.IngestProgress;
import dev.gantry.knowledge.KnowledgeException;
import dev.gantry.knowledge.KnowledgeHub;
import dev.gantry.knowledge.embed.EmbedderCatalog;
import dev.gantry.knowledge.ingest.DocumentFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gantry ingest PATH... --collection C}: ingests files and folders (recursively; in folders, only files of a
 * supported type, hidden ones skipped), creating the collection on first use. Shows a progress bar on a terminal;
 * exits 1 when any document failed, after ingesting the rest.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Ingest documents (text, Markdown, HTML, PDF) into a knowledge collection.")
public final class IngestCommand implements Callable<Integer> {
    @Mixin
    KnowledgeOptions options;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders (folders are read recursively).")
    List<Path> paths;

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata for every document, filterable in search.")
    List<String> meta = new ArrayList<>();

    @Option(names = "--embedding-model", paramLabel = "ID",
            description = "Embedding model of a new collection: bge-small-en-v1.5-q (the default), all-minilm-l6-v2-q, "
                    + "or gguf:NAME of an --embedding-gguf file.")
    String embeddingModel;

    @Option(names = "--chunk-tokens", defaultValue = "" + CollectionSettings.DEFAULT_CHUNK_TOKENS,
            description = "Chunk size of a new collection, in tokens (default: ${DEFAULT-VALUE}).")
    int chunkTokens;

    @Option(names = "--chunk-overlap", defaultValue = "" + CollectionSettings.DEFAULT_CHUNK_OVERLAP,
            description = "Chunk overlap of a new collection, in tokens (default: ${DEFAULT-VALUE}).")
    int chunkOverlap;

    @Spec
    CommandSpec spec;

    private final EmbedderCatalog embedders;

    public IngestCommand() {
        this(EmbedderCatalog.inProcess());
    }

    /** For tests and for an app that brings its own embedding models. */
    public IngestCommand(EmbedderCatalog embedders) {
        this.embedders = embedders;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return CommandErrors.run("ingest", err, () -> {
            Map<String, String> metadata = KnowledgeOptions.pairs("--meta", meta);
            List<DocumentInput> inputs = new ArrayList<>();
            for (Path path : paths) {
                collect(path, metadata, inputs);
            }
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("no documents of a supported type under " + paths);
            }
            try (KnowledgeHub hub = options.openHub(embedders)) {
                ensureCollection(hub, out);
                IngestJob job = hub.ingest(options.tenant, options.collection, inputs);
                ProgressBar bar = ProgressBar.forConsole(err);
                while (!job.await(100, TimeUnit.MILLISECONDS)) {
                    bar.show(job.progress());
                }
                bar.show(job.progress());
                bar.done();
                return report(job, out, err);
            }
        });
    }

    private void ensureCollection(KnowledgeHub hub, PrintWriter out) {
        try {
            hub.collection(options.tenant, options.collection);
        } catch (KnowledgeException e) {
            if (e.reason() != KnowledgeException.Reason.NOT_FOUND) {
                throw e;
            }
            CollectionInfo info = hub.createCollection(options.tenant, options.collection,
                    CollectionSettings.defaults().withEmbeddingModel(embeddingModel).withChunking(chunkTokens, chunkOverlap));
            out.println("created collection '" + info.name() + "' (" + info.settings().embeddingModel() + ", "
                    + info.settings().chunkTokens() + "-token chunks)");
        }
    }

    private static void collect(Path path, Map<String, String> metadata, List<DocumentInput> inputs) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path + " does not exist");
        }
        if (!Files.isDirectory(path)) {
            inputs.add(withMetadata(DocumentInput.ofFile(path), metadata));
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> noHiddenPart(path.relativize(f)))
                    .filter(f -> DocumentFormat.forFileName(f.getFileName().toString()).isPresent())
                    .sorted()
                    .forEach(f -> inputs.add(withMetadata(DocumentInput.ofFile(f), metadata)));
        }
    }

    private static boolean noHiddenPart(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    private static DocumentInput withMetadata(DocumentInput input, Map<String, String> metadata) {
        return metadata.isEmpty() ? input : new DocumentInput(input.name(), input.contentType(), metadata, input.content());
    }

    private int report(IngestJob job, PrintWriter out, PrintWriter err) {
        List<DocumentOutcome> outcomes = job.outcomes();
        Map<DocumentOutcome.Status, Integer> counts = new EnumMap<>(DocumentOutcome.Status.class);
        int chunks = 0;
        for (DocumentOutcome o : outcomes) {
            counts.merge(o.status(), 1, Integer::sum);
            if (o.failed()) {
                err.println("failed: " + o.error());
            } else if (o.status() == DocumentOutcome.Status.ADDED || o.status() == DocumentOutcome.Status.REPLACED) {
                chunks += o.chunks();
            }
        }
        StringBuilder summary = new StringBuilder("ingested " + outcomes.size() + " documents into '" + options.collection + "':");
        counts.forEach((status, n) -> summary.append(' ').append(n).append(' ').append(status.name().toLowerCase()));
        out.println(summary.append(", ").append(chunks).append(" chunks written"));
        out.flush();
        err.flush();
        return counts.containsKey(DocumentOutcome.Status.FAILED) ? CommandErrors.FAILED : 0;
    }

    /** A one-line progress bar on stderr, drawn only when stderr is a terminal. */
    private record ProgressBar(PrintWriter err, boolean enabled) {
        static ProgressBar forConsole(PrintWriter err) {
            return new ProgressBar(err, System.console() != null && System.console().isTerminal());
        }

        void show(IngestProgress p) {
            if (!enabled) {
                return;
            }
            int width = 30;
            int filled = p.documentsTotal() == 0 ? width : width * p.documentsDone() / p.documentsTotal();
            err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + p.documentsDone() + "/"
                    + p.documentsTotal() + " documents, " + p.chunksDone() + "/" + p.chunksTotal() + " chunks ");
            err.flush();
        }

        void done() {
            if (enabled) {
                err.println();
            }
        }
    }
}
