package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the redis-server and redis-cli 7.0 binaries that differential and redis-cli tests need: in
 * /usr/bin first (where the Debian packages put them), then on the PATH. A binary of another major
 * version does not count, since the tests compare against Redis 7.0's exact replies.
 */
public final class RedisBinaries {

    private static final String INSTALL_HINT = "(apt-get install redis-server redis-tools)";

    private static final Optional<Path> REDIS_SERVER = locate("redis-server");
    private static final Optional<Path> REDIS_CLI = locate("redis-cli");

    private RedisBinaries() {
    }

    /** The redis-server 7.0 binary; skips the calling test (JUnit assumption) when it is absent. */
    public static Path assumeRedisServer() {
        assumeTrue(REDIS_SERVER.isPresent(),
                "redis-server 7.0 not found: install redis-server " + INSTALL_HINT + " to run differential tests");
        return REDIS_SERVER.orElseThrow();
    }

    /** The redis-cli 7.0 binary; skips the calling test (JUnit assumption) when it is absent. */
    public static Path assumeRedisCli() {
        assumeTrue(REDIS_CLI.isPresent(),
                "redis-cli 7.0 not found: install redis-tools " + INSTALL_HINT + " to run redis-cli tests");
        return REDIS_CLI.orElseThrow();
    }

    private static Optional<Path> locate(String name) {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of("/usr/bin", name));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, name));
                }
            }
        }
        return candidates.stream().filter(Files::isExecutable).filter(RedisBinaries::isVersion70).findFirst();
    }

    /** Both binaries print "... v=7.0.15 ..." for --version. */
    private static boolean isVersion70(Path binary) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return output.contains("v=7.0.") || output.contains("redis-cli 7.0.");
        } catch (IOException e) {
            return false; // present but not runnable: as good as absent
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
