package dev.clusteremu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The launcher as a user meets it: picocli's {@code execute} with captured stdout and stderr, and for the
 * runs that start nodes, real sockets on ports 7500-7549.
 */
class LaunchCommandTest {
    private static final long DEADLINE_MS = 60_000;

    @TempDir
    Path dir;

    private final List<Launch> launches = new ArrayList<>();

    @AfterEach
    void stopEveryLaunch() throws Exception {
        for (Launch l : launches) {
            l.command.stop();
            l.exit.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void helpPrintsUsageWithEveryOptionAndExitsZero() {
        Run run = run("--help");
        assertEquals(0, run.exit);
        assertTrue(run.out.startsWith("Usage: emu [-hV] [--bare]"), run.out);
        for (String option : List.of("--ports=PORTS", "--replicas=N", "--bare", "--dir=DIR", "--cluster-node-timeout=MS",
                "--bind=ADDR", "--announce-ip=IP", "--loglevel=LEVEL", "--logfile=FILE", "--help", "--version")) {
            assertTrue(run.out.contains(option), option);
        }
        assertEquals("", run.err);
    }

    @Test
    void versionNamesTheProgramAndExitsZero() {
        Run run = run("--version");
        assertEquals(0, run.exit);
        assertTrue(Pattern.matches("clusteremu \\S.*\\R", run.out), run.out);
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of(List.of("--frobnicate"), "Unknown option: '--frobnicate'"),
                Arguments.of(List.of("--ports", "seven"), "Invalid value for option '--ports': 'seven' is not a port or "
                        + "a range of ports (examples: 7000-7005, 7000,7001,7002, 7000-7002,7005)"),
                Arguments.of(List.of("--ports", "7005-7000"), "Invalid value for option '--ports': range 7005-7000 ends "
                        + "before it starts"),
                Arguments.of(List.of("--ports", "7000,7001,7002-7005,7001"), "Invalid value for option '--ports': "
                        + "port 7001 is listed twice"),
                Arguments.of(List.of("--ports", "0-5"), "Invalid value for option '--ports': port 0 is not a valid port "
                        + "(ports start at 1)"),
                Arguments.of(List.of("--ports", "55530-55536"), "Invalid value for option '--ports': port 55536 is too "
                        + "high: its cluster bus port 65536 would pass 65535 (the highest usable port is 55535)"),
                Arguments.of(List.of("--ports", "7000-7004"), String.format(
                        "*** ERROR: Invalid configuration for cluster creation.%n"
                        + "*** Redis Cluster requires at least 3 master nodes.%n"
                        + "*** This is not possible with 5 nodes and 1 replicas per node.%n"
                        + "*** At least 6 nodes are required.")),
                Arguments.of(List.of("--ports", "7000-7007", "--replicas", "2"), String.format(
                        "*** ERROR: Invalid configuration for cluster creation.%n"
                        + "*** Redis Cluster requires at least 3 master nodes.%n"
                        + "*** This is not possible with 8 nodes and 2 replicas per node.%n"
                        + "*** At least 9 nodes are required.")),
                Arguments.of(List.of("--replicas", "-1"), "--replicas must be 0 or more, not -1"),
                Arguments.of(List.of("--replicas", "one"), "Invalid value for option '--replicas': 'one' is not an int"),
                Arguments.of(List.of("--cluster-node-timeout", "-5"),
                        "--cluster-node-timeout must be 0 or more milliseconds, not -5"),
                Arguments.of(List.of("--loglevel", "loud"), "Invalid value for option '--loglevel': 'loud' is not a log "
                        + "level (debug, verbose, notice, warning)"));
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void badUsageIsReportedWithUsageAndExitCode2(List<String> args, String message) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--dir", dir.toString()));
        Run run = run(all.toArray(String[]::new));
        assertEquals(2, run.exit);
        assertEquals("", run.out);
        assertTrue(run.err.startsWith(message + System.lineSeparator() + "Usage: emu "), run.err);
    }

    @Test
    void readyClusterServesClusterInfoAndSavesEveryConfigOnStop() throws Exception {
        Launch launch = launch("--ports", "7500-7505", "--dir", dir.toString(), "--logfile", log().toString());
        assertReady("Cluster ready: 6 nodes \\(3 masters, 3 replicas\\) on 127.0.0.1 ports 7500-7505 in \\d+ ms",
                launch);
        String info = command(7503, "CLUSTER", "INFO");
        assertTrue(info.startsWith("cluster_state:ok\r\n"), info);
        assertTrue(info.contains("\r\ncluster_known_nodes:6\r\n"), info);
        assertTrue(info.contains("\r\ncluster_size:3\r\n"), info);

        launch.command.stop();
        assertEquals(0, launch.exit.get(DEADLINE_MS, TimeUnit.MILLISECONDS));
        for (int port = 7500; port <= 7505; port++) {
            String conf = Files.readString(dir.resolve("nodes-" + port + ".conf"));
            assertTrue(conf.contains(" 127.0.0.1:" + port + "@" + (port + 10000) + " myself,"), conf);
            assertTrue(conf.contains("\nvars currentEpoch 6 lastVoteEpoch 0\n"), conf);
        }
        assertTrue(Files.readString(log()).contains(" * Ready to accept connections"));
        assertEquals(1, launch.out.toString().lines().count());
        assertEquals("", launch.err.toString());
    }

    @Test
    void restartLoadsEachNodesConfigInsteadOfBootstrapping() throws Exception {
        Launch first = launch("--ports", "7506-7508", "--replicas", "0", "--dir", dir.toString(), "--logfile",
                log().toString());
        first.readyLine();
        String id = command(7506, "CLUSTER", "MYID");
        first.command.stop();
        assertEquals(0, first.exit.get(DEADLINE_MS, TimeUnit.MILLISECONDS));

        // Created with --replicas 0, restarted with the default 1: the nodes.conf files decide, not the flag.
        Launch second = launch("--ports", "7506-7508", "--dir", dir.toString(), "--logfile", log().toString());
        assertReady("Cluster ready: 3 nodes \\(3 masters, 0 replicas\\) on 127.0.0.1 ports 7506-7508 in \\d+ ms, "
                + "restarted from nodes-<port>.conf in " + Pattern.quote(dir.toAbsolutePath().normalize().toString()),
                second);
        assertEquals(id, command(7506, "CLUSTER", "MYID"));
        assertTrue(Files.readString(log()).contains(" * Node configuration loaded, I'm " + id));
    }

    @Test
    void bareNodesKnowOnlyThemselves() throws Exception {
        Launch launch = launch("--bare", "--ports", "7512-7514", "--dir", dir.toString(), "--logfile",
                log().toString());
        assertReady("3 bare nodes on 127.0.0.1 ports 7512-7514 in \\d+ ms; join them with CLUSTER MEET", launch);
        String info = command(7514, "CLUSTER", "INFO");
        assertTrue(info.startsWith("cluster_state:fail\r\n"), info);
        assertTrue(info.contains("\r\ncluster_known_nodes:1\r\n"), info);
    }

    @Test
    void clientPortInUseIsReportedBeforeAnyNodeStarts() throws IOException {
        try (ServerSocket taken = listen(7517)) {
            Run run = run("--ports", "7515-7520", "--dir", dir.toString());
            assertEquals(1, run.exit);
            assertEquals("Could not create server TCP listening socket 127.0.0.1:7517: Address already in use"
                    + System.lineSeparator(), run.err);
            assertEquals("", run.out);
        }
        assertNoConfigFiles();
    }

    @Test
    void busPortInUseIsReportedWithItsClientPort() throws IOException {
        try (ServerSocket taken = listen(17522)) {
            Run run = run("--ports", "7521-7526", "--dir", dir.toString());
            assertEquals(1, run.exit);
            assertEquals("Could not create server TCP listening socket 127.0.0.1:17522: Address already in use (the "
                    + "cluster bus port of 7522; every node needs its port and port+10000 free)"
                    + System.lineSeparator(), run.err);
        }
        assertNoConfigFiles();
    }

    @Test
    void newNodesAreNotMixedIntoARestartedCluster() throws IOException {
        Files.writeString(dir.resolve("nodes-7530.conf"), "");
        Run run = run("--ports", "7527-7532", "--dir", dir.toString());
        assertEquals(1, run.exit);
        assertTrue(run.err.startsWith("Can't create a cluster from these nodes: 1 of 6 already have a config in "
                + dir.toAbsolutePath().normalize() + " (like nodes-7530.conf) and 5 don't (like nodes-7527.conf)."),
                run.err);
    }

    private Path log() {
        return dir.resolve("emu.log");
    }

    private void assertNoConfigFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith("nodes-")));
        }
    }

    private static void assertReady(String lineRegex, Launch launch) throws InterruptedException {
        String line = launch.readyLine();
        assertTrue(Pattern.matches(lineRegex, line), line);
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress("127.0.0.1", port));
        return socket;
    }

    /** Sends one command as a RESP array and returns the bulk string reply. */
    private static String command(int port, String... args) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) DEADLINE_MS);
            StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
            for (String a : args) {
                request.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            StringBuilder header = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                header.append((char) c);
            }
            assertEquals('$', header.charAt(0), header.toString());
            byte[] body = new byte[Integer.parseInt(header.substring(1).trim())];
            in.readFully(body);
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new LaunchCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A launcher running on its own thread, as {@code java -jar emu.jar} runs on main, stopped by {@link LaunchCommand#stop}. */
    private record Launch(LaunchCommand command, StringWriter out, StringWriter err, CompletableFuture<Integer> exit) {
        /** Waits for the first line on stdout; fails with stderr when the launcher exits first. */
        String readyLine() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
            while (System.nanoTime() < deadline) {
                String text = out.toString();
                int eol = text.indexOf(System.lineSeparator());
                if (eol >= 0) {
                    return text.substring(0, eol);
                }
                if (exit.isDone()) {
                    throw new AssertionError("launcher exited " + exit.join() + " before ready: " + err);
                }
                Thread.sleep(10);
            }
            throw new AssertionError("no ready line within " + DEADLINE_MS + " ms; stderr: " + err);
        }
    }

    private Launch launch(String... args) {
        LaunchCommand command = new LaunchCommand();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread thread = new Thread(() -> exit.complete(cl.execute(args)), "launcher " + String.join(" ", args));
        thread.start();
        Launch launch = new Launch(command, out, err, exit);
        launches.add(launch);
        return launch;
    }
}
