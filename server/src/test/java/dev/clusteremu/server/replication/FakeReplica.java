package dev.clusteremu.server.replication;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.Arrays;

/**
 * A replica played by hand over a raw socket: sends the handshake commands and reads the master's bytes
 * exactly as they arrive, so tests can assert the replication protocol byte for byte.
 */
final class FakeReplica implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    FakeReplica(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(60_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one command as a multibulk. */
    void send(String... args) {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes(("*" + args.length + "\r\n").getBytes(ISO_8859_1));
        for (String a : args) {
            byte[] b = a.getBytes(ISO_8859_1);
            req.writeBytes(("$" + b.length + "\r\n").getBytes(ISO_8859_1));
            req.writeBytes(b);
            req.writeBytes("\r\n".getBytes(ISO_8859_1));
        }
        try {
            out.write(req.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a command and returns its whole reply, raw. */
    String call(String... args) {
        send(args);
        StringBuilder raw = new StringBuilder();
        readValue(raw);
        return raw.toString();
    }

    private void readValue(StringBuilder raw) {
        String l = line();
        raw.append(l).append("\r\n");
        switch (l.charAt(0)) {
            case '$' -> {
                int n = Integer.parseInt(l.substring(1));
                if (n >= 0) {
                    raw.append(new String(bytes(n + 2), ISO_8859_1));
                }
            }
            case '*' -> {
                int n = Integer.parseInt(l.substring(1));
                for (int i = 0; i < n; i++) {
                    readValue(raw);
                }
            }
            default -> {
            }
        }
    }

    /** One line, without its CR LF. */
    String line() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = read()) != '\n') {
            b.write(c);
        }
        byte[] bytes = b.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, ISO_8859_1);
    }

    /** The next line that is not a keepalive newline. */
    String reply() {
        String l;
        do {
            l = line();
        } while (l.isEmpty());
        return l;
    }

    /**
     * The next reply line to a command this replica sent, past any PING the master's stream slipped in
     * first: once synced, the replica's own replies share the connection with the stream, which the master
     * PINGs every repl-ping-replica-period seconds.
     */
    String replyNotPing() {
        String l = reply();
        while (l.equals("*1")) {
            String command = "*1\r\n" + line() + "\r\n" + line() + "\r\n";
            if (!command.equals(Resp.command("ping"))) {
                throw new AssertionError("expected a reply or the stream's PING, got " + command);
            }
            l = reply();
        }
        return l;
    }

    /** Exactly {@code n} bytes. */
    byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) read();
        }
        return b;
    }

    /**
     * The RDB payload after +FULLRESYNC: {@code $<len>} and that many bytes, or {@code $EOF:<mark>} and the
     * bytes up to the mark (which is not returned).
     */
    byte[] payload() {
        String header = reply();
        if (!header.startsWith("$EOF:")) {
            return bytes(Integer.parseInt(header.substring(1)));
        }
        byte[] mark = header.substring(5).getBytes(ISO_8859_1);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            b.write(read());
            byte[] got = b.toByteArray();
            if (got.length >= mark.length
                    && Arrays.equals(got, got.length - mark.length, got.length, mark, 0, mark.length)) {
                return Arrays.copyOf(got, got.length - mark.length);
            }
        }
    }

    /** The raw bytes of the stream's next command (a multibulk), as the master wrote them. */
    String command() {
        StringBuilder raw = new StringBuilder();
        String header = line();
        raw.append(header).append("\r\n");
        int argc = Integer.parseInt(header.substring(1));
        for (int i = 0; i < argc; i++) {
            String len = line();
            raw.append(len).append("\r\n");
            raw.append(new String(bytes(Integer.parseInt(len.substring(1)) + 2), ISO_8859_1));
        }
        return raw.toString();
    }

    /** The next command that is not the master's periodic PING. */
    String commandNotPing() {
        String c;
        do {
            c = command();
        } while (c.equals(Resp.command("ping")));
        return c;
    }

    /** Whether the master closed the connection (the next read sees its end). */
    boolean closedByMaster() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private int read() {
        try {
            int c = in.read();
            if (c < 0) {
                throw new UncheckedIOException(new IOException("connection closed by the master"));
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
