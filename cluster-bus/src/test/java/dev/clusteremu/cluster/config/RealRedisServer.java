package dev.clusteremu.cluster.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A cluster-enabled redis-server 7.0 child process in a directory of the test's, spoken to with redis-cli. */
final class RealRedisServer implements AutoCloseable {

    private static final Path SERVER = Path.of("/usr/bin/redis-server");
    private static final Path CLI = Path.of("/usr/bin/redis-cli");
    private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(20);

    private final int port;
    private final Process process;

    private RealRedisServer(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** Skips the calling test when Redis is not installed. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(SERVER) && Files.isExecutable(CLI),
                "redis-server 7.0 and redis-cli not installed at /usr/bin: interop test skipped");
    }

    /** Starts redis-server with cluster mode on, no persistence, the given config file in {@code dir}. */
    static RealRedisServer start(int port, Path dir, String configFile) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(SERVER.toString(), "--port", String.valueOf(port),
                "--cluster-enabled", "yes", "--cluster-config-file", configFile, "--dir", dir.toString(),
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis-" + port + ".log").toFile())
                .start();
        RealRedisServer server = new RealRedisServer(port, process);
        Instant deadline = Instant.now().plus(STARTUP_DEADLINE);
        while (!server.cli("ping").equals("PONG")) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                server.close();
                throw new IllegalStateException("redis-server on port " + port + " did not start; see "
                        + dir.resolve("redis-" + port + ".log") + ":\n"
                        + Files.readString(dir.resolve("redis-" + port + ".log")));
            }
            Thread.sleep(50);
        }
        return server;
    }

    /** The reply redis-cli prints for one command, without its final newline. */
    String cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CLI.toString(), "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        cli.waitFor();
        return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
