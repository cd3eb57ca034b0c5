package dev.clusteremu.server.resp;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Writes replies straight into a connection's outbound buffer in the protocol the client chose with HELLO
 * (2 or 3), byte for byte as Redis 7.0's addReply* functions (networking.c) render them.
 *
 * <p>RESP3-only types degrade the way Redis degrades them for a RESP2 client: null is {@code $-1} (or
 * {@code *-1} for a null array), a map is a flat array of 2n elements, a set or a push is an array, a
 * boolean is :1/:0, a double is a bulk string and a verbatim string a plain bulk.
 *
 * <p>Strings are written as UTF-8; replies whose bytes must echo client bytes exactly take byte arrays.
 * Every method returns this writer so replies chain.
 */
public final class RespWriter {

    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] ZERO = ascii(":0\r\n");
    private static final byte[] ONE = ascii(":1\r\n");
    private static final byte[] NULL_BULK = ascii("$-1\r\n");
    private static final byte[] NULL_ARRAY = ascii("*-1\r\n");
    private static final byte[] NULL = ascii("_\r\n");
    private static final byte[] EMPTY_ARRAY = ascii("*0\r\n");
    private static final byte[] TRUE = ascii("#t\r\n");
    private static final byte[] FALSE = ascii("#f\r\n");
    private static final byte[] DOUBLE_INF = ascii(",inf\r\n");
    private static final byte[] DOUBLE_NEG_INF = ascii(",-inf\r\n");
    private static final byte[] BULK_INF = ascii("$3\r\ninf\r\n");
    private static final byte[] BULK_NEG_INF = ascii("$4\r\n-inf\r\n");
    /** addReplyVerbatim's three-byte format tag; CLUSTER NODES, INFO and friends use "txt". */
    private static final byte[] VERBATIM_TXT = ascii("txt:");

    private final ByteBuf out;
    private int protocol;
    private java.util.function.Consumer<String> errorListener = code -> { };

    /** A writer appending to {@code out} for a client speaking RESP{@code protocol} (2 or 3). */
    public RespWriter(ByteBuf out, int protocol) {
        this.out = out;
        setProtocol(protocol);
    }

    /** The protocol version replies are rendered for: 2 or 3. */
    public int protocol() {
        return protocol;
    }

    /** Switches the protocol, as HELLO does for the replies that follow (HELLO's own reply included). */
    public void setProtocol(int protocol) {
        if (protocol != 2 && protocol != 3) {
            throw new IllegalArgumentException("RESP protocol must be 2 or 3, not " + protocol);
        }
        this.protocol = protocol;
    }

    /** Called with the code of every error reply written ("ERR", "MOVED", ...), for error stats. */
    public void setErrorListener(java.util.function.Consumer<String> listener) {
        this.errorListener = listener;
    }

    /** The buffer replies are appended to. */
    public ByteBuf buffer() {
        return out;
    }

    /** A status reply {@code +s\r\n}; {@code s} must not hold \r or \n (Redis does not check either). */
    public RespWriter simple(String s) {
        out.writeByte('+');
        ByteBufUtil.writeUtf8(out, s);
        out.writeBytes(CRLF);
        return this;
    }

    /** {@code +OK\r\n}. */
    public RespWriter ok() {
        out.writeBytes(OK);
        return this;
    }

    /**
     * An error reply {@code -message\r\n}. The message starts with its code ("ERR ...", "MOVED ...",
     * "WRONGTYPE ..."). Like addReplyErrorFormat, trailing \r and \n are dropped and any other \r or \n
     * becomes a space, because error text often quotes client input and must stay one line.
     */
    public RespWriter error(String message) {
        out.writeByte('-');
        int start = out.writerIndex();
        ByteBufUtil.writeUtf8(out, message);
        return endError(start);
    }

    /** {@link #error(String)} for a message given as raw bytes, e.g. quoting a binary argument. */
    public RespWriter error(byte[] message) {
        out.writeByte('-');
        int start = out.writerIndex();
        out.writeBytes(message);
        return endError(start);
    }

    /** Makes the error text written since {@code start} one line and terminates it. UTF-8 never encodes a
     *  multibyte character with bytes 0x0d or 0x0a, so working on bytes is safe for strings too. */
    private RespWriter endError(int start) {
        int end = out.writerIndex();
        while (end > start && isNewline(out.getByte(end - 1))) {
            end--;
        }
        out.writerIndex(end);
        for (int i = start; i < end; i++) {
            if (isNewline(out.getByte(i))) {
                out.setByte(i, ' ');
            }
        }
        int codeEnd = start;
        while (codeEnd < end && out.getByte(codeEnd) != ' ') {
            codeEnd++;
        }
        out.writeBytes(CRLF);
        errorListener.accept(out.toString(start, codeEnd - start, java.nio.charset.StandardCharsets.ISO_8859_1));
        return this;
    }

    private static boolean isNewline(byte b) {
        return b == '\r' || b == '\n';
    }

    /** An integer reply {@code :n\r\n}. */
    public RespWriter integer(long n) {
        if (n == 0) {
            out.writeBytes(ZERO);
        } else if (n == 1) {
            out.writeBytes(ONE);
        } else {
            header(':', n);
        }
        return this;
    }

    /** A bulk string {@code $len\r\n<b>\r\n}. */
    public RespWriter bulk(byte[] b) {
        header('$', b.length);
        out.writeBytes(b);
        out.writeBytes(CRLF);
        return this;
    }

    /** A bulk string holding {@code s} in UTF-8. */
    public RespWriter bulk(String s) {
        header('$', ByteBufUtil.utf8Bytes(s));
        ByteBufUtil.writeUtf8(out, s);
        out.writeBytes(CRLF);
        return this;
    }

    /** A bulk string holding {@code n} in decimal (addReplyBulkLongLong). */
    public RespWriter bulk(long n) {
        header('$', RedisNumbers.decimalLength(n));
        decimal(n);
        out.writeBytes(CRLF);
        return this;
    }

    /** The null reply: RESP2 {@code $-1\r\n}, RESP3 {@code _\r\n} (addReplyNull). */
    public RespWriter nullBulk() {
        out.writeBytes(protocol == 2 ? NULL_BULK : NULL);
        return this;
    }

    /** The null array: RESP2 {@code *-1\r\n}, RESP3 {@code _\r\n} (addReplyNullArray). */
    public RespWriter nullArray() {
        out.writeBytes(protocol == 2 ? NULL_ARRAY : NULL);
        return this;
    }

    /** An array header {@code *n\r\n}; n elements must follow. */
    public RespWriter array(int n) {
        if (n == 0) {
            out.writeBytes(EMPTY_ARRAY);
        } else {
            aggregate('*', n);
        }
        return this;
    }

    /** A map header for {@code pairs} key-value pairs: RESP3 {@code %n\r\n}, RESP2 {@code *2n\r\n}. */
    public RespWriter map(int pairs) {
        return protocol == 2 ? array(2 * pairs) : aggregate('%', pairs);
    }

    /** A set header: RESP3 {@code ~n\r\n}, RESP2 {@code *n\r\n}. */
    public RespWriter set(int n) {
        return protocol == 2 ? array(n) : aggregate('~', n);
    }

    /** A push header (pub/sub messages, invalidations): RESP3 {@code >n\r\n}, RESP2 {@code *n\r\n}. */
    public RespWriter push(int n) {
        return protocol == 2 ? array(n) : aggregate('>', n);
    }

    /**
     * A double as addReplyDouble renders it: RESP3 {@code ,<%.17g>\r\n}, RESP2 a bulk string of the same
     * text; infinities are spelled inf and -inf explicitly, as Redis does to be libc-independent.
     */
    public RespWriter doubleValue(double d) {
        if (Double.isInfinite(d)) {
            if (protocol == 2) {
                out.writeBytes(d > 0 ? BULK_INF : BULK_NEG_INF);
            } else {
                out.writeBytes(d > 0 ? DOUBLE_INF : DOUBLE_NEG_INF);
            }
            return this;
        }
        String text = RedisNumbers.formatG17(d);
        if (protocol == 2) {
            header('$', text.length());
        } else {
            out.writeByte(',');
        }
        out.writeCharSequence(text, US_ASCII);
        out.writeBytes(CRLF);
        return this;
    }

    /** A boolean: RESP3 {@code #t}/{@code #f}, RESP2 {@code :1}/{@code :0}. */
    public RespWriter bool(boolean b) {
        if (protocol == 2) {
            out.writeBytes(b ? ONE : ZERO);
        } else {
            out.writeBytes(b ? TRUE : FALSE);
        }
        return this;
    }

    /** Text such as CLUSTER NODES: RESP3 a verbatim string {@code =len\r\ntxt:text\r\n} (len counts the
     *  four tag bytes), RESP2 a plain bulk string. */
    public RespWriter verbatim(String text) {
        if (protocol == 2) {
            return bulk(text);
        }
        header('=', ByteBufUtil.utf8Bytes(text) + VERBATIM_TXT.length);
        out.writeBytes(VERBATIM_TXT);
        ByteBufUtil.writeUtf8(out, text);
        out.writeBytes(CRLF);
        return this;
    }

    /** Appends bytes that already form complete replies. */
    public RespWriter raw(byte[] alreadyEncoded) {
        out.writeBytes(alreadyEncoded);
        return this;
    }

    private RespWriter aggregate(char prefix, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("aggregate length must not be negative: " + n);
        }
        header(prefix, n);
        return this;
    }

    /** {@code <prefix><n>\r\n}. */
    private void header(char prefix, long n) {
        out.writeByte(prefix);
        decimal(n);
        out.writeBytes(CRLF);
    }

    /** {@code n} in decimal, written in place without an intermediate string. */
    private void decimal(long n) {
        int len = RedisNumbers.decimalLength(n);
        out.ensureWritable(len);
        int index = out.writerIndex() + len;
        long q = n < 0 ? n : -n;
        do {
            out.setByte(--index, (int) ('0' - q % 10));
            q /= 10;
        } while (q != 0);
        if (n < 0) {
            out.setByte(--index, '-');
        }
        out.writerIndex(out.writerIndex() + len);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }
}
