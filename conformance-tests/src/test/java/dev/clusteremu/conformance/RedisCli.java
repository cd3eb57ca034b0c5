package dev.clusteremu.conformance;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real redis-cli 7.0 binary, e.g. {@code redis-cli --cluster create} or {@code --cluster check}
 * against emulated nodes, and captures what it printed.
 */
public final class RedisCli {

    /** How long {@link #run(String...)} lets redis-cli work: --cluster create polls for a while. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    /** What one redis-cli run produced. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit code " + exitCode + "\n--- stdout:\n" + stdout + "--- stderr:\n" + stderr;
        }
    }

    private RedisCli() {
    }

    /** Runs {@code redis-cli args...} with empty stdin and {@link #DEFAULT_TIMEOUT}. */
    public static Result run(String... args) {
        return run(List.of(args), "", DEFAULT_TIMEOUT);
    }

    /**
     * Runs {@code redis-cli args...} feeding it {@code stdin} (UTF-8, then end of input). Skips the test
     * when redis-cli 7.0 is not installed.
     *
     * @throws IllegalStateException if redis-cli has not exited within {@code timeout}; it is killed
     */
    public static Result run(List<String> args, String stdin, Duration timeout) {
        Path binary = RedisBinaries.assumeRedisCli();
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(args);
        Path stdout = null;
        Path stderr = null;
        try {
            // Output goes to files, not pipes, so a chatty redis-cli can never block on a full pipe.
            stdout = Files.createTempFile("redis-cli-", ".out");
            stderr = Files.createTempFile("redis-cli-", ".err");
            Process process = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException exitedWithoutReadingInput) {
                // redis-cli need not read its input; what it printed tells what happened.
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not exit within " + timeout
                        + "\n--- stdout so far:\n" + Files.readString(stdout) + "--- stderr so far:\n"
                        + Files.readString(stderr));
            }
            return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running redis-cli", e);
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover temp file is harmless.
        }
    }
}
