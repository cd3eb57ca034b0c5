package dev.clusteremu.server.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;

import java.util.Arrays;
import java.util.List;

/**
 * Decodes a client's request stream into commands, each a {@code byte[][]} argv, with the exact rules of
 * Redis 7.0's query buffer parser (networking.c: processInputBuffer, processMultibulkBuffer,
 * processInlineBuffer).
 *
 * <p>A request whose first byte is '*' is a RESP multibulk ({@code *<n>\r\n} then n times
 * {@code $<len>\r\n<bytes>\r\n}); any other first byte starts an inline command, one line split like
 * {@code sdssplitargs}. Requests that carry no argument ({@code *0}, {@code *-1}, an empty line) are
 * consumed silently, as Redis resets the client without running anything.
 *
 * <p>One command is emitted per {@link #decode} call, so the handler runs it before the next one is
 * parsed: that is how Redis interleaves parsing and execution, and it matters for AUTH, which changes the
 * limits the parser applies to the very next request ({@link #setAuthenticated}).
 *
 * <p>Parse state survives across reads: a bulk is copied into its argument array as its bytes arrive,
 * so a 500 MB value is never rescanned, and the search for a line end resumes where it stopped.
 *
 * <p>On a protocol error the decoder emits a {@link ProtocolError} after the commands completed before it
 * and discards all later input; the handler replies and closes the connection as Redis does.
 *
 * <p>Not sharable: one instance per connection.
 */
public final class RespDecoder extends ByteToMessageDecoder {

    /** PROTO_INLINE_MAX_SIZE: how many unterminated bytes Redis buffers while waiting for a line end. */
    static final int PROTO_INLINE_MAX_SIZE = 64 * 1024;

    /** proto-max-bulk-len default (512 MB), the largest bulk a client may send. */
    public static final long DEFAULT_PROTO_MAX_BULK_LEN = 512L * 1024 * 1024;

    /**
     * Before AUTH, Redis 7.0 bounds requests to 10 arguments of 16 KiB each so that an unauthenticated
     * peer cannot make the server allocate large buffers (authRequired checks in processMultibulkBuffer).
     */
    static final int UNAUTHENTICATED_MAX_MULTIBULK = 10;
    static final int UNAUTHENTICATED_MAX_BULK = 16384;

    /** Redis's argv starts at min(count, 1024) slots and grows, so a huge claimed count costs nothing. */
    private static final int ARGV_INITIAL_MAX = 1024;

    /** The largest Java array; a bulk beyond it cannot be held even if proto-max-bulk-len allows it. */
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /** Redis searches line ends with strchr, which stops at a NUL byte: a NUL before the end hides it. */
    private static final ByteProcessor FIND_CR_OR_NUL = b -> b != '\r' && b != 0;
    private static final ByteProcessor FIND_LF_OR_NUL = b -> b != '\n' && b != 0;

    private enum RequestType { UNKNOWN, INLINE, MULTIBULK }

    private RequestType requestType = RequestType.UNKNOWN;
    /** Bytes after the reader index already searched for the current line's end without success. */
    private int lineScanned;
    /** Arguments still to read in the current multibulk; 0 while its header line is pending. */
    private int multibulkLength;
    private byte[][] argv;
    private int argc;
    /** The argument being filled, or null while its $-line is pending. */
    private byte[] bulk;
    private int bulkFilled;
    /** Bytes after the bulk still to skip; Redis skips the two bytes after a bulk without looking at them. */
    private int bulkTrailerPending;
    private boolean failed;

    /** Input bytes consumed so far, for {@link #consumedBytes()}. */
    private long consumed;
    /** authRequired(c): while true, the unauthenticated limits apply. */
    private java.util.function.BooleanSupplier authRequired = () -> false;
    private java.util.function.LongSupplier maxBulkLength = () -> DEFAULT_PROTO_MAX_BULK_LEN;
    /** Scratch for a length line's digits and the value {@link #readLong} parsed from them. */
    private final byte[] digits = new byte[20];
    private long parsed;

    /**
     * Whether the client has authenticated. While false, the unauthenticated multibulk (10 arguments)
     * and bulk (16384 bytes) limits apply. Defaults to true (no requirepass, default user nopass).
     */
    public void setAuthenticated(boolean authenticated) {
        this.authRequired = () -> !authenticated;
    }

    /**
     * Reads at each request header whether the client still has to authenticate (authRequired), so the
     * limits follow AUTH, HELLO AUTH, RESET and requirepass changes as they happen.
     */
    public void setAuthRequired(java.util.function.BooleanSupplier authRequired) {
        this.authRequired = authRequired;
    }

    /** Sets proto-max-bulk-len: a longer bulk is an "invalid bulk length". Bulks beyond the largest Java
     *  array (about 2 GiB) are refused whatever the setting, where Redis would try to allocate them. */
    public void setMaxBulkLength(long maxBulkLength) {
        this.maxBulkLength = () -> maxBulkLength;
    }

    /** Reads proto-max-bulk-len from {@code source} at each bulk header, so CONFIG SET applies to open connections. */
    public void setMaxBulkLength(java.util.function.LongSupplier source) {
        this.maxBulkLength = source;
    }

    /**
     * How many input bytes were consumed so far. Read when a command arrives, it counts every byte up to the
     * end of that command, which is how a replica measures the replication stream it applied.
     */
    public long consumedBytes() {
        return consumed;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int before = in.readerIndex();
        try {
            decodeRequest(in, out);
        } finally {
            consumed += in.readerIndex() - before;
        }
    }

    private void decodeRequest(ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!in.isReadable()) {
            return;
        }
        if (requestType == RequestType.UNKNOWN) {
            requestType = in.getByte(in.readerIndex()) == '*' ? RequestType.MULTIBULK : RequestType.INLINE;
        }
        Object result = requestType == RequestType.INLINE ? processInline(in) : processMultibulk(in);
        if (result instanceof ProtocolError) {
            failed = true;
            argv = null;
            bulk = null;
            in.skipBytes(in.readableBytes());
            out.add(result);
        } else if (result != null) {
            out.add(result);
        }
    }

    /**
     * Parses one inline command: the line up to '\n', one '\r' before it dropped. Returns the argv, or
     * null when the line is incomplete or holds no argument, or a ProtocolError.
     */
    private Object processInline(ByteBuf in) {
        int newline = findLineEnd(in, FIND_LF_OR_NUL);
        if (newline < 0) {
            // Redis only complains once more than 64 KiB wait in the buffer with no newline among them: a
            // longer line that arrives whole with its newline is accepted.
            return in.readableBytes() > PROTO_INLINE_MAX_SIZE
                    ? new ProtocolError("Protocol error: too big inline request") : null;
        }
        int start = in.readerIndex();
        int end = newline > start && in.getByte(newline - 1) == '\r' ? newline - 1 : newline;
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        byte[][] args = InlineArgs.split(line, 0, line.length);
        if (args == null) {
            return new ProtocolError("Protocol error: unbalanced quotes in request");
        }
        in.readerIndex(newline + 1);
        resetRequest();
        return args.length == 0 ? null : args;
    }

    /**
     * Advances the current multibulk as far as the buffered bytes allow. Returns the argv once complete,
     * null while incomplete or when the count was zero or negative, or a ProtocolError.
     */
    private Object processMultibulk(ByteBuf in) {
        if (multibulkLength == 0) {
            int cr = findLineEnd(in, FIND_CR_OR_NUL);
            if (cr < 0) {
                return in.readableBytes() > PROTO_INLINE_MAX_SIZE
                        ? new ProtocolError("Protocol error: too big mbulk count string") : null;
            }
            // Redis needs one byte after the '\r' and skips it unread: "*1\rX$4..." is accepted.
            if (cr + 1 >= in.writerIndex()) {
                return null;
            }
            int start = in.readerIndex() + 1;
            if (!readLong(in, start, cr - start) || parsed > Integer.MAX_VALUE) {
                return new ProtocolError("Protocol error: invalid multibulk length");
            }
            if (parsed > UNAUTHENTICATED_MAX_MULTIBULK && authRequired.getAsBoolean()) {
                return new ProtocolError("Protocol error: unauthenticated multibulk length");
            }
            in.readerIndex(cr + 2);
            lineScanned = 0;
            if (parsed <= 0) {
                resetRequest();
                return null;
            }
            multibulkLength = (int) parsed;
            argv = new byte[Math.min(multibulkLength, ARGV_INITIAL_MAX)][];
            argc = 0;
        }
        while (multibulkLength > 0) {
            if (bulk == null) {
                ProtocolError error = readBulkLength(in);
                if (error != null) {
                    return error;
                }
                if (bulk == null) {
                    return null;
                }
            }
            int copy = Math.min(bulk.length - bulkFilled, in.readableBytes());
            in.readBytes(bulk, bulkFilled, copy);
            bulkFilled += copy;
            if (bulkFilled < bulk.length) {
                return null;
            }
            int skip = Math.min(bulkTrailerPending, in.readableBytes());
            in.skipBytes(skip);
            bulkTrailerPending -= skip;
            if (bulkTrailerPending > 0) {
                return null;
            }
            if (argc == argv.length) {
                argv = Arrays.copyOf(argv, (int) Math.min(2L * argv.length, (long) argc + multibulkLength));
            }
            argv[argc++] = bulk;
            bulk = null;
            multibulkLength--;
        }
        byte[][] command = argc == argv.length ? argv : Arrays.copyOf(argv, argc);
        resetRequest();
        return command;
    }

    /**
     * Reads a {@code $<len>} line and allocates the argument, leaving {@link #bulk} null when the line is
     * not complete yet. Returns the protocol error, if any.
     */
    private ProtocolError readBulkLength(ByteBuf in) {
        int cr = findLineEnd(in, FIND_CR_OR_NUL);
        if (cr < 0) {
            return in.readableBytes() > PROTO_INLINE_MAX_SIZE
                    ? new ProtocolError("Protocol error: too big bulk count string") : null;
        }
        if (cr + 1 >= in.writerIndex()) {
            return null;
        }
        int start = in.readerIndex();
        byte first = in.getByte(start);
        if (first != '$') {
            // Redis formats the byte with %c and then turns any \r or \n in an error into a space.
            char shown = first == '\r' || first == '\n' ? ' ' : (char) (first & 0xff);
            return new ProtocolError("Protocol error: expected '$', got '" + shown + "'");
        }
        if (!readLong(in, start + 1, cr - start - 1) || parsed < 0 || parsed > maxBulkLength.getAsLong()
                || parsed > MAX_ARRAY_LENGTH) {
            return new ProtocolError("Protocol error: invalid bulk length");
        }
        if (parsed > UNAUTHENTICATED_MAX_BULK && authRequired.getAsBoolean()) {
            return new ProtocolError("Protocol error: unauthenticated bulk length");
        }
        in.readerIndex(cr + 2);
        lineScanned = 0;
        bulk = new byte[(int) parsed];
        bulkFilled = 0;
        bulkTrailerPending = 2;
        return null;
    }

    /**
     * The index of the current line's terminator, or -1 when it is not buffered yet (or hidden behind a
     * NUL byte). Resumes the search where the previous call stopped.
     */
    private int findLineEnd(ByteBuf in, ByteProcessor untilTerminatorOrNul) {
        int from = in.readerIndex() + lineScanned;
        int found = in.forEachByte(from, in.writerIndex() - from, untilTerminatorOrNul);
        if (found < 0) {
            lineScanned = in.readableBytes();
            return -1;
        }
        lineScanned = found - in.readerIndex();
        return in.getByte(found) == 0 ? -1 : found;
    }

    /** Parses {@code len} bytes at {@code index} with string2ll rules into {@link #parsed}. */
    private boolean readLong(ByteBuf in, int index, int len) {
        if (len > digits.length) {
            return false;
        }
        in.getBytes(index, digits, 0, len);
        if (!RedisNumbers.isLong(digits, 0, len)) {
            return false;
        }
        parsed = RedisNumbers.parseLong(digits, 0, len);
        return true;
    }

    /** Forgets the finished request, as Redis's resetClient does, so the next byte picks its type. */
    private void resetRequest() {
        requestType = RequestType.UNKNOWN;
        lineScanned = 0;
        multibulkLength = 0;
        argv = null;
        argc = 0;
        bulk = null;
    }
}
