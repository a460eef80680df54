package dev.gantry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of ARCHITECTURE.md, checked on every import of the main source trees: modules point one
 * way (engine, then feature libraries, then server, then app; the JMH benchmarks of gantry-bench see only the
 * engine), the engine's packages only reach down their table, and the engine imports nothing outside the JDK.
 */
class ArchitectureTest {

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    /** Module -> the dev.gantry top-level packages it may import besides its own. */
    private static final Map<String, Set<String>> MODULES = Map.of(
            "engine", Set.of(),
            "knowledge", Set.of("engine"),
            "agents", Set.of("engine"),
            "jobs", Set.of("engine"),
            "server", Set.of("engine", "knowledge", "agents", "jobs"),
            "app", Set.of("engine", "knowledge", "agents", "jobs", "server"),
            "bench", Set.of("engine"));

    /** Engine package -> the engine packages it may import besides its own (the engine root may import all). */
    private static final Map<String, Set<String>> ENGINE = Map.ofEntries(
            Map.entry("tensor", Set.of()),
            Map.entry("kernel", Set.of("tensor")),
            Map.entry("gguf", Set.of("tensor")),
            Map.entry("tokenizer", Set.of("gguf")),
            Map.entry("chat", Set.of("tokenizer")),
            Map.entry("kvcache", Set.of("tensor")),
            Map.entry("model", Set.of("tensor", "kernel", "gguf", "kvcache")),
            Map.entry("sampling", Set.of()),
            Map.entry("grammar", Set.of("sampling", "tokenizer")),
            Map.entry("scheduler", Set.of("kvcache", "sampling")),
            Map.entry("runner", Set.of("scheduler", "model", "kvcache", "sampling", "grammar", "tensor", "kernel")),
            Map.entry("speculative", Set.of("model", "sampling", "kvcache")));

    private static Path root() {
        String p = System.getProperty("gantry.root");
        return p != null ? Path.of(p) : Path.of("..");
    }

    record Source(Path file, String pkg, List<String> imports) {
    }

    private static List<Source> sources() {
        List<Source> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root())) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("src" + java.io.File.separator + "main")).toList()) {
                String text = Files.readString(f);
                Matcher pm = PACKAGE.matcher(text);
                String pkg = pm.find() ? pm.group(1) : "";
                List<String> imports = new ArrayList<>();
                Matcher im = IMPORT.matcher(text);
                while (im.find()) {
                    imports.add(im.group(1));
                }
                out.add(new Source(f, pkg, imports));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String segment(String name, int index) {
        String[] parts = name.split("\\.");
        return parts.length > index ? parts[index] : "";
    }

    @Test
    void modulesImportOnlyDownstream() {
        List<String> violations = new ArrayList<>();
        List<Source> all = sources();
        assertThat(all).as("main sources found under " + root().toAbsolutePath()).hasSizeGreaterThan(20);
        for (Source s : all) {
            String module = segment(s.pkg(), 2);
            Set<String> allowed = MODULES.get(module);
            if (allowed == null) {
                violations.add(s.file() + ": package " + s.pkg() + " is in no known module");
                continue;
            }
            for (String imp : s.imports()) {
                if (imp.startsWith("dev.gantry.")) {
                    String target = segment(imp, 2);
                    if (!target.equals(module) && !allowed.contains(target)) {
                        violations.add(s.file() + ": " + module + " must not import " + imp);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void enginePackagesImportOnlyTheirTable() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            if (!s.pkg().startsWith("dev.gantry.engine")) {
                continue;
            }
            String pkg = segment(s.pkg(), 3);
            for (String imp : s.imports()) {
                if (!imp.startsWith("java.") && !imp.startsWith("jdk.incubator.vector") && !imp.startsWith("dev.gantry.engine.")) {
                    violations.add(s.file() + ": the engine imports only the JDK, not " + imp);
                }
                if (pkg.isEmpty() || !imp.startsWith("dev.gantry.engine.")) {
                    continue; // the engine root package is the public API and may use every engine package
                }
                String target = segment(imp, 3);
                if (Character.isUpperCase(target.charAt(0))) {
                    violations.add(s.file() + ": engine." + pkg + " must not import the engine API " + imp);
                } else if (!target.equals(pkg) && !ENGINE.getOrDefault(pkg, Set.of()).contains(target)) {
                    violations.add(s.file() + ": engine." + pkg + " must not import " + imp);
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
