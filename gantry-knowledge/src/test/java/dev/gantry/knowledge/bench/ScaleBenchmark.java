package dev.gantry.knowledge.bench;

import dev.gantry.knowledge.CollectionSettings;
import dev.gantry.knowledge.DocumentInput;
import dev.gantry.knowledge.DocumentOutcome;
import dev.gantry.knowledge.IngestJob;
import dev.gantry.knowledge.KnowledgeConfig;
import dev.gantry.knowledge.KnowledgeHub;
import dev.gantry.knowledge.SearchMode;
import dev.gantry.knowledge.SearchRequest;
import dev.gantry.knowledge.embed.Embedder;
import dev.gantry.knowledge.embed.EmbedderCatalog;
import dev.gantry.knowledge.embed.InProcessEmbedder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Scale benchmark (not a test): ingests N chunks (documents of 10 paragraphs, one chunk each) into one collection,
 * then times searches in each mode. Prints chunks/s for ingestion and p50/p99 search latency.
 *
 * <pre>
 * java ... dev.gantry.knowledge.bench.ScaleBenchmark [chunks=100000] [embedder=projection|minilm|bge] [queries=300]
 *     [chunkTokens=128] [words=90] [dir=...]
 * </pre>
 * {@code projection} isolates chunking + indexing (dense 384-d vectors, near-free embedding; one token per word);
 * {@code minilm} and {@code bge} (bge-small-en-v1.5, int8) are the real end-to-end path with an in-process model.
 * Their WordPiece tokenizer splits the invented
 * words into about 3 tokens each, so a 90-word paragraph is about 300 tokens: pass {@code chunkTokens=400} to keep
 * one chunk per paragraph, or {@code words=30} for chunks of about 110 tokens, the size of a real 128-token chunk.
 */
public final class ScaleBenchmark {
    private static final int PARAGRAPHS_PER_DOCUMENT = 10;

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int chunks = Integer.parseInt(arg(args, "chunks", "100000"));
        String embedderName = arg(args, "embedder", "projection");
        int queries = Integer.parseInt(arg(args, "queries", "300"));
        int chunkTokens = Integer.parseInt(arg(args, "chunkTokens", "128"));
        int words = Integer.parseInt(arg(args, "words", "90"));
        Path dir = Path.of(arg(args, "dir", Files.createTempDirectory("gantry-scale").toString()));
        Embedder embedder = switch (embedderName) {
            case "minilm" -> new InProcessEmbedder(InProcessEmbedder.Model.ALL_MINILM_L6_V2_Q);
            case "bge" -> new InProcessEmbedder(InProcessEmbedder.Model.BGE_SMALL_EN_V15_Q);
            case "projection" -> new ProjectionEmbedder(384);
            default -> throw new IllegalArgumentException("embedder must be projection, minilm or bge, got " + embedderName);
        };
        List<String> vocabulary = vocabulary(new Random(1), 20_000);

        try (KnowledgeHub hub = KnowledgeHub.open(KnowledgeConfig.of(dir, EmbedderCatalog.of(embedder)))) {
            hub.createCollection("bench", "scale", CollectionSettings.defaults().withChunking(chunkTokens, 0));
            int documents = (chunks + PARAGRAPHS_PER_DOCUMENT - 1) / PARAGRAPHS_PER_DOCUMENT;
            List<DocumentInput> inputs = new ArrayList<>(documents);
            for (int d = 0; d < documents; d++) {
                inputs.add(DocumentInput.of("doc-" + d + ".txt", "text/plain", document(new Random(d), vocabulary, words)));
            }
            long t0 = System.nanoTime();
            IngestJob job = hub.ingest("bench", "scale", inputs);
            while (!job.await(30, TimeUnit.SECONDS)) {
                System.err.printf("  %s after %.0f s%n", job.progress(), (System.nanoTime() - t0) / 1e9);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long failed = job.outcomes().stream().filter(DocumentOutcome::failed).count();
            int indexed = hub.collection("bench", "scale").chunks();
            long tokens = hub.listDocuments("bench", "scale").stream().mapToLong(d -> d.tokens()).sum();
            System.out.printf("embedder %s: %d documents, %d chunks (%.0f tokens each) indexed (%d failed documents) in %.1f s"
                    + " = %.0f chunks/s; index %.0f MB%n", embedder.id(), documents, indexed, (double) tokens / indexed,
                    failed, seconds, indexed / seconds, sizeMb(dir));

            Random random = new Random(42);
            System.out.println("| mode | p50 ms | p99 ms | queries |");
            System.out.println("|---|---|---|---|");
            for (SearchMode mode : SearchMode.values()) {
                double[] ms = new double[queries];
                for (int i = -20; i < queries; i++) { // 20 warm-up queries
                    String q = String.join(" ", vocabulary.get(random.nextInt(vocabulary.size())),
                            vocabulary.get(random.nextInt(vocabulary.size())), vocabulary.get(random.nextInt(vocabulary.size())));
                    long s = System.nanoTime();
                    hub.search("bench", "scale", SearchRequest.of(q, mode, 10));
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - s) / 1e6;
                    }
                }
                Arrays.sort(ms);
                System.out.printf("| %s | %.2f | %.2f | %d |%n", mode.name().toLowerCase(), ms[queries / 2],
                        ms[(int) Math.ceil(queries * 0.99) - 1], queries);
            }
        }
    }

    private static byte[] document(Random random, List<String> vocabulary, int wordsPerParagraph) {
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < PARAGRAPHS_PER_DOCUMENT; p++) {
            for (int w = 0; w < wordsPerParagraph; w++) {
                // Zipf-like: frequent words dominate, as in real text, so BM25 postings have realistic lengths
                int rank = (int) Math.min(vocabulary.size() - 1, Math.floor(Math.pow(vocabulary.size(), random.nextDouble())) - 1);
                sb.append(vocabulary.get(rank)).append(w % 15 == 14 ? ". " : " ");
            }
            sb.append(".\n\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> vocabulary(Random random, int size) {
        List<String> words = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            StringBuilder w = new StringBuilder();
            int length = 3 + random.nextInt(7);
            for (int c = 0; c < length; c++) {
                w.append((char) ('a' + random.nextInt(26)));
            }
            words.add(w.toString());
        }
        return words;
    }

    private static String arg(String[] args, String name, String fallback) {
        return Arrays.stream(args).filter(a -> a.startsWith(name + "=")).map(a -> a.substring(name.length() + 1))
                .findFirst().orElse(fallback);
    }

    private static double sizeMb(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / 1e6;
        }
    }
}
