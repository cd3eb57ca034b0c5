package dev.clusteremu.conformance;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses RESP2 and RESP3 replies from a stream, one whole reply at a time, and keeps the exact bytes each
 * reply was made of so that two servers can be compared byte for byte.
 *
 * <p>The reader is strict: a reply that a real Redis would never send (a line not ended by CRLF, a bulk not
 * followed by CRLF, an unknown type byte, a streamed aggregate) is reported as a {@link ProtocolException}
 * rather than guessed at, since the server under test is exactly what may be wrong.
 */
final class RespReader {

    /** One reply and the bytes it was read from. */
    record Frame(Reply reply, byte[] bytes) {
    }

    private final InputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private final ByteArrayOutputStream consumed = new ByteArrayOutputStream();

    RespReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads one complete reply, blocking as long as the underlying stream blocks.
     *
     * @throws EOFException if the stream ends, before or inside the reply
     * @throws ProtocolException if the bytes are not a well-formed reply
     */
    Frame readFrame() throws IOException {
        consumed.reset();
        Reply reply = readReply();
        return new Frame(reply, consumed.toByteArray());
    }

    /**
     * True if bytes are already buffered; otherwise reads once from the stream (blocking as it blocks) and
     * returns whether anything arrived. A stream at its end answers false.
     */
    boolean fillIfEmpty() throws IOException {
        if (position < limit) {
            return true;
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    private Reply readReply() throws IOException {
        int type = readByte();
        switch (type) {
            case '+':
                return new Reply.Status(latin1(readLine()));
            case '-':
                return new Reply.Error(latin1(readLine()), false);
            case ':':
                return new Reply.Int(parseLong(readLine()));
            case '$': {
                long length = parseLong(readLine());
                return length == -1 ? Reply.Nil.NULL_BULK : new Reply.Bulk(readBlob(length));
            }
            case '!':
                return new Reply.Error(latin1(readBlob(parseLong(readLine()))), true);
            case '=': {
                byte[] blob = readBlob(parseLong(readLine()));
                if (blob.length < 4 || blob[3] != ':') {
                    throw new ProtocolException("verbatim string without a 3-byte format and ':' prefix");
                }
                byte[] text = new byte[blob.length - 4];
                System.arraycopy(blob, 4, text, 0, text.length);
                return new Reply.Verbatim(latin1(Arrays.copyOf(blob, 3)), text);
            }
            case '*': {
                long count = parseLong(readLine());
                return count == -1 ? Reply.Nil.NULL_ARRAY : new Reply.Array(readElements(count));
            }
            case '~':
                return new Reply.Set(readElements(parseLong(readLine())));
            case '>':
                return new Reply.Push(readElements(parseLong(readLine())));
            case '%':
                return new Reply.Map(readEntries(parseLong(readLine())));
            case '|': {
                List<Reply.Entry> attributes = readEntries(parseLong(readLine()));
                return new Reply.Attribute(attributes, readReply());
            }
            case '_':
                expectEmptyLine();
                return Reply.Nil.NULL;
            case ',':
                return new Reply.Double(latin1(readLine()));
            case '#': {
                String flag = latin1(readLine());
                if (!flag.equals("t") && !flag.equals("f")) {
                    throw new ProtocolException("boolean reply neither #t nor #f: #" + flag);
                }
                return new Reply.Bool(flag.equals("t"));
            }
            case '(':
                return new Reply.BigNumber(latin1(readLine()));
            default:
                throw new ProtocolException(String.format("unknown reply type byte 0x%02x", type));
        }
    }

    private List<Reply> readElements(long count) throws IOException {
        checkCount(count);
        List<Reply> elements = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            elements.add(readReply());
        }
        return elements;
    }

    private List<Reply.Entry> readEntries(long count) throws IOException {
        checkCount(count);
        List<Reply.Entry> entries = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            entries.add(new Reply.Entry(readReply(), readReply()));
        }
        return entries;
    }

    private static void checkCount(long count) throws ProtocolException {
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw new ProtocolException("invalid aggregate length " + count);
        }
    }

    private byte[] readBlob(long length) throws IOException {
        if (length < 0 || length > Integer.MAX_VALUE - 2) {
            throw new ProtocolException("invalid blob length " + length);
        }
        byte[] blob = new byte[(int) length];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) readByte();
        }
        expectEmptyLine();
        return blob;
    }

    private void expectEmptyLine() throws IOException {
        if (readLine().length != 0) {
            throw new ProtocolException("expected CRLF");
        }
    }

    /** The bytes up to the next CRLF, which is consumed; a lone LF is malformed. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = readByte();
            if (b == '\r') {
                if (readByte() != '\n') {
                    throw new ProtocolException("CR not followed by LF");
                }
                return line.toByteArray();
            }
            if (b == '\n') {
                throw new ProtocolException("line ended by LF without CR");
            }
            line.write(b);
        }
    }

    private int readByte() throws IOException {
        if (position == limit && !fillIfEmpty()) {
            throw new EOFException("connection closed by peer");
        }
        int b = buffer[position++] & 0xff;
        consumed.write(b);
        return b;
    }

    private static long parseLong(byte[] line) throws ProtocolException {
        try {
            return Long.parseLong(latin1(line));
        } catch (NumberFormatException e) {
            throw new ProtocolException("not an integer: " + Reply.escape(line));
        }
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
