package dev.gantry.app.cli;

import dev.gantry.app.bench.BenchCase;
import dev.gantry.app.bench.BenchModel;
import dev.gantry.app.bench.BenchReport;
import dev.gantry.app.bench.BenchResult;
import dev.gantry.app.bench.BuildInfo;
import dev.gantry.app.bench.GantryBench;
import dev.gantry.app.bench.LlamaBench;
import dev.gantry.app.bench.Samples;
import dev.gantry.app.bench.SyntheticModelCache;
import dev.gantry.app.bench.SyntheticSpec;
import dev.gantry.engine.LocalModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gantry bench}: llama-bench's end-to-end benchmark for Gantry, with its options ({@code -m -p -n -r -t -o},
 * comma lists allowed), its tests and its output; {@code --synthetic} benchmarks a generated random-weight model
 * and {@code --compare} runs llama.cpp's llama-bench on the same files, test by test, for the ratio.
 * {@code gantry bench serve} ({@link BenchServeCommand}) benchmarks the OpenAI server under concurrent clients.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure prompt processing (pp) and generation (tg) speed, as llama-bench does; 'bench serve' benchmarks serving.",
        subcommands = BenchServeCommand.class)
final class BenchCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "GGUF model file (repeatable).")
    List<Path> models = new ArrayList<>();

    @Option(names = "--synthetic", split = ",", paramLabel = "NAME:TYPE",
            description = "A generated random-weight model, e.g. llama-1b:q4_0 (TinyLlama-1.1B shapes; repeatable, comma list).")
    List<String> synthetic = new ArrayList<>();

    @Option(names = {"-p", "--n-prompt"}, split = ",", paramLabel = "N", defaultValue = "512",
            description = "Prompt tokens of the pp tests, 0 for none (default: ${DEFAULT-VALUE}).")
    List<Integer> prompts;

    @Option(names = {"-n", "--n-gen"}, split = ",", paramLabel = "N", defaultValue = "128",
            description = "Generated tokens of the tg tests, 0 for none (default: ${DEFAULT-VALUE}).")
    List<Integer> gens;

    @Option(names = {"-r", "--repetitions"}, paramLabel = "N", defaultValue = "5",
            description = "Timed repetitions of each test (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = {"-t", "--threads"}, split = ",", paramLabel = "N", description = "Compute threads (default: one per core).")
    List<Integer> threads;

    @Option(names = {"-o", "--output"}, paramLabel = "md|json", defaultValue = "md", description = "Output format (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--compare", paramLabel = "LLAMA_BENCH",
            description = "Path to llama.cpp's llama-bench: run it on the same files and tests, alternating with Gantry, and print the ratio.")
    Path compare;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where synthetic models are cached (default: ~/.gantry).")
    Path dataDir;

    @Option(names = "--no-warmup", description = "Skip the untimed warm-up run before each test.")
    boolean noWarmup;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1",
            description = "Untimed runs before each of Gantry's tests, for the JIT (default: ${DEFAULT-VALUE}, as llama-bench).")
    int warmups;

    @Option(names = "--progress", description = "Print each test as it starts on stderr.")
    boolean progress;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the random prompt tokens (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<BenchCase> cases = validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LlamaBench llama = compare != null ? new LlamaBench(compare) : null;
        List<Path> files = new ArrayList<>(models);
        if (!synthetic.isEmpty()) {
            Path dir = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".gantry");
            SyntheticModelCache cache = new SyntheticModelCache(dir, Runtime.getRuntime().availableProcessors(), err);
            for (String s : synthetic) {
                files.add(cache.resolve(SyntheticSpec.parse(s)));
            }
        }
        boolean markdown = output.equals("md");
        BenchReport report = new BenchReport(llama != null, BuildInfo.detect(spec.root().version()[0].replaceFirst("^gantry ", "")));
        List<BenchResult> results = new ArrayList<>();
        if (markdown) {
            report.markdownHeader(out);
        }
        for (Path file : files) {
            BenchModel model = BenchModel.describe(file);
            for (int t : threadCounts()) {
                try (LocalModel local = LocalModel.open(file, t)) {
                    GantryBench gantry = new GantryBench(local, seed);
                    for (BenchCase c : cases) {
                        BenchCase test = new BenchCase(c.nPrompt(), c.nGen(), t);
                        if (progress) {
                            err.printf("gantry bench: %s %s, %d threads%n", file.getFileName(), test.name(), t);
                            err.flush();
                        }
                        Instant start = Instant.now();
                        Samples samples = gantry.run(test, repetitions, noWarmup ? 0 : warmups);
                        Optional<LlamaBench.Result> reference = llama == null ? Optional.empty()
                                : Optional.of(llama.run(file, test, repetitions, !noWarmup));
                        BenchResult result = new BenchResult(model, test, start, samples, reference);
                        results.add(result);
                        if (markdown) {
                            report.markdownRow(out, result);
                        }
                    }
                }
            }
        }
        if (markdown) {
            report.markdownFooter(out, results);
        } else {
            report.json(out, results);
        }
        return 0;
    }

    /** Checks the options and returns the tests in llama-bench's order: every pp, then every tg (threads filled in later). */
    private List<BenchCase> validate() {
        if (models.isEmpty() && synthetic.isEmpty()) {
            throw new IllegalArgumentException("give a model: -m FILE or --synthetic NAME:TYPE (e.g. llama-1b:q4_0)");
        }
        if (!output.equals("md") && !output.equals("json")) {
            throw new IllegalArgumentException("-o must be md or json, got '" + output + "'");
        }
        if (repetitions < 1) {
            throw new IllegalArgumentException("-r must be at least 1, got " + repetitions);
        }
        if (warmups < 0) {
            throw new IllegalArgumentException("--warmup must not be negative, got " + warmups);
        }
        for (int t : threadCounts()) {
            if (t < 1) {
                throw new IllegalArgumentException("-t must be at least 1, got " + t);
            }
        }
        List<BenchCase> cases = new ArrayList<>();
        for (int p : prompts) {
            if (p < 0) {
                throw new IllegalArgumentException("-p must not be negative, got " + p);
            }
            if (p > 0) {
                cases.add(BenchCase.prompt(p, 1));
            }
        }
        for (int n : gens) {
            if (n < 0) {
                throw new IllegalArgumentException("-n must not be negative, got " + n);
            }
            if (n > 0) {
                cases.add(BenchCase.generation(n, 1));
            }
        }
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("nothing to run: -p and -n are both 0");
        }
        return cases;
    }

    private List<Integer> threadCounts() {
        return threads != null ? threads : List.of(Runtime.getRuntime().availableProcessors());
    }
}
