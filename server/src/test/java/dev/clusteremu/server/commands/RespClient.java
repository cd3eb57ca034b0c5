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
 * A raw RESP client for tests: sends a command as a multibulk and returns the reply's exact bytes, read
 * as one complete reply (nested aggregates included), as an ISO-8859-1 string such as "+OK\r\n".
 */
final class RespClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RespClient(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a command (arguments are Strings, taken as ISO-8859-1, or byte arrays) and reads its reply. */
    String call(Object... args) {
        try {
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            req.writeBytes(("*" + args.length + "\r\n").getBytes(ISO_8859_1));
            for (Object a : args) {
                byte[] b = a instanceof byte[] bytes ? bytes : ((String) a).getBytes(ISO_8859_1);
                req.writeBytes(("$" + b.length + "\r\n").getBytes(ISO_8859_1));
                req.writeBytes(b);
                req.writeBytes("\r\n".getBytes(ISO_8859_1));
            }
            out.write(req.toByteArray());
            out.flush();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            readReply(reply);
            return reply.toString(ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readReply(ByteArrayOutputStream acc) throws IOException {
        String line = readLine(acc);
        char type = line.charAt(0);
        switch (type) {
            case '$', '=', '!' -> {
                int n = Integer.parseInt(line.substring(1));
                if (n >= 0) {
                    acc.writeBytes(in.readNBytes(n + 2));
                }
            }
            case '*', '~', '>', '%' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < (type == '%' ? 2 * n : n); i++) {
                    readReply(acc);
                }
            }
            default -> {
                // a one-line reply: + - : , # _ (
            }
        }
    }

    /** Reads up to and including "\r\n", appends it to {@code acc}, and returns the line without it. */
    private String readLine(ByteArrayOutputStream acc) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after " + sb);
            }
            acc.write(b);
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
