package dev.clusteremu.server.commands;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;

/**
 * A minimal RESP2/RESP3 client for tests: sends a command as a RESP array and returns the reply exactly as
 * it came off the wire (ISO-8859-1 text, so every byte shows), so tests can assert the bytes a real client
 * would read.
 */
final class RespClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RespClient(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the command (arguments are Strings, taken as ISO-8859-1, or byte arrays) and returns its whole reply, raw. */
    String call(Object... args) {
        send(args);
        return reply();
    }

    void send(Object... args) {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes(("*" + args.length + "\r\n").getBytes(ISO_8859_1));
        for (Object a : args) {
            byte[] b = a instanceof byte[] bytes ? bytes : ((String) a).getBytes(ISO_8859_1);
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

    /** Reads one complete reply, raw. */
    String reply() {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try {
            readValue(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return raw.toString(ISO_8859_1);
    }

    /** Whether the server closed the connection (the next read sees end of stream). */
    boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private void readValue(ByteArrayOutputStream raw) throws IOException {
        String line = readLine(raw);
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '+', '-', ':', '_', ',', '#', '(' -> {
            }
            case '$', '=', '!' -> {
                int len = Integer.parseInt(rest);
                if (len >= 0) {
                    byte[] body = in.readNBytes(len + 2);
                    raw.write(body);
                }
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(rest);
                for (int i = 0; i < n; i++) {
                    readValue(raw);
                }
            }
            case '%', '|' -> {
                int n = Integer.parseInt(rest);
                for (int i = 0; i < 2 * n; i++) {
                    readValue(raw);
                }
            }
            default -> throw new IOException("not RESP: " + line);
        }
    }

    private String readLine(ByteArrayOutputStream raw) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after " + sb);
            }
            raw.write(b);
            if (b == '\n' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r') {
                return sb.substring(0, sb.length() - 1);
            }
            sb.append((char) b);
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
