package dev.gantry.app.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What llama-bench reports about the build and the machine: {@code build_commit} (the git commit of the sources
 * Gantry runs from, "unknown" outside a checkout) and {@code cpu_info} (the CPU's model name, from
 * {@code /proc/cpuinfo} on Linux, else the OS architecture).
 */
public record BuildInfo(String version, String commit, String cpu) {

    public static BuildInfo detect(String version) {
        return new BuildInfo(version, gitCommit().orElse("unknown"), cpuName());
    }

    private static Optional<String> gitCommit() {
        try {
            Path code = Path.of(BuildInfo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = Files.isDirectory(code) ? code : code.getParent();
            Process p = new ProcessBuilder("git", "-C", dir.toString(), "rev-parse", "--short=8", "HEAD")
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            String commit = new String(out, StandardCharsets.UTF_8).strip();
            return commit.matches("[0-9a-f]{4,40}") ? Optional.of(commit) : Optional.empty();
        } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String cpuName() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through to the architecture
        }
        return System.getProperty("os.arch");
    }
}
