package dev.clusteremu.server.commands;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A MIGRATE target that records the bytes it receives and answers what the test scripts, so tests can
 * assert exactly what MIGRATE sends and how it treats each kind of answer. Listens on an ephemeral port of
 * 127.0.0.1; serves one connection at a time.
 */
final class FakeTarget implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final List<Socket> accepted = new ArrayList<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    FakeTarget() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::acceptLoop, "fake-migrate-target");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Queues the reply to the next command received, on whatever connection; "" sends nothing. */
    void answer(String bytes) {
        answers.add(bytes);
    }

    /** How many connections were accepted so far. */
    synchronized int connections() {
        return accepted.size();
    }

    /** Everything received so far on every connection, as ISO-8859-1 text. */
    synchronized String received() {
        return received.toString(ISO_8859_1);
    }

    /** Closes the current connection from this side, as a target that restarted would. */
    synchronized void dropConnections() throws IOException {
        for (Socket s : accepted) {
            s.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                synchronized (this) {
                    accepted.add(s);
                }
                serve(s);
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Reads commands; after each complete one, writes the next queued answer if any. */
    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                if (!readCommand(in)) {
                    return;
                }
                String answer = answers.poll(10, TimeUnit.MILLISECONDS);
                if (answer != null && !answer.isEmpty()) {
                    out.write(answer.getBytes(ISO_8859_1));
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // The connection ended; the test looks at what was received.
        }
    }

    /** Reads one RESP array of bulk strings into {@link #received}; false at end of stream. */
    private boolean readCommand(InputStream in) throws IOException {
        String header = readLine(in);
        if (header == null) {
            return false;
        }
        int n = Integer.parseInt(header.substring(1));
        for (int i = 0; i < n; i++) {
            String len = readLine(in);
            byte[] body = in.readNBytes(Integer.parseInt(len.substring(1)) + 2);
            synchronized (this) {
                received.writeBytes(body);
            }
        }
        return true;
    }

    private String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            synchronized (this) {
                received.write(b);
            }
            if (b == '\n') {
                return sb.substring(0, sb.length() - 1);
            }
            sb.append((char) b);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
    }
}
