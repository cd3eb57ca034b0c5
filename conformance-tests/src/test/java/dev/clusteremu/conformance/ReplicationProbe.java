package dev.clusteremu.conformance;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica reduced to its wire: it asks a master for a full sync (PSYNC ? -1, disk-based, so the RDB comes
 * length-prefixed), skips the RDB, then reads the replication stream command by command. What a test sees
 * is exactly what the master propagates for the commands it ran, to compare two masters' streams.
 * PINGs, SELECTs and REPLCONF GETACKs, which depend on timing, are left out.
 */
final class ReplicationProbe implements AutoCloseable {
    private static final int READ_TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final InputStream in;

    private ReplicationProbe(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /** Connects to {@code target} and completes a full sync, leaving the probe at the start of the stream. */
    static ReplicationProbe attach(RedisTarget target) {
        try {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(target.host(), target.port()), READ_TIMEOUT_MS);
            s.setSoTimeout(READ_TIMEOUT_MS);
            ReplicationProbe probe = new ReplicationProbe(s);
            OutputStream out = s.getOutputStream();
            out.write(RespClient.command("REPLCONF", "capa", "psync2"));
            probe.line();
            out.write(RespClient.command("PSYNC", "?", "-1"));
            String reply = probe.line();
            if (!reply.startsWith("+FULLRESYNC")) {
                throw new IllegalStateException("PSYNC answered " + reply);
            }
            String header = probe.line();
            while (header.isEmpty()) {
                header = probe.line();
            }
            long rdbLength = Long.parseLong(header.substring(1));
            for (long skipped = 0; skipped < rdbLength; ) {
                if (probe.in.read() < 0) {
                    throw new IOException("stream ended inside the RDB");
                }
                skipped++;
            }
            return probe;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next propagated command other than PING, SELECT and REPLCONF, as text arguments. */
    List<String> next() {
        while (true) {
            List<String> command = readCommand();
            String name = command.get(0).toUpperCase();
            if (!name.equals("PING") && !name.equals("SELECT") && !name.equals("REPLCONF")) {
                return command;
            }
        }
    }

    /** The commands propagated up to and including the first one equal to {@code marker}. */
    List<List<String>> until(List<String> marker) {
        List<List<String>> commands = new ArrayList<>();
        while (true) {
            List<String> command = next();
            commands.add(command);
            if (command.equals(marker)) {
                return commands;
            }
        }
    }

    private List<String> readCommand() {
        try {
            String header = line();
            if (header.isEmpty()) {
                return readCommand();
            }
            if (header.charAt(0) != '*') {
                throw new IOException("not a command: " + header);
            }
            int argc = Integer.parseInt(header.substring(1));
            List<String> argv = new ArrayList<>(argc);
            for (int i = 0; i < argc; i++) {
                int len = Integer.parseInt(line().substring(1));
                byte[] arg = in.readNBytes(len);
                in.readNBytes(2);
                argv.add(new String(arg, ISO_8859_1));
            }
            return argv;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line without its CRLF; a master may send a bare "\n" as a keepalive before the RDB. */
    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("stream ended");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
