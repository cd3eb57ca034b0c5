package dev.clusteremu.conformance;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.opentest4j.AssertionFailedError;

/**
 * One connection to each of two targets, the reference (a real redis-server 7.0) and the candidate (the
 * node under test), that receive the same input and must answer alike.
 *
 * <p>{@link #check} compares replies byte for byte, so a reply of the right value but the wrong RESP
 * type or encoding is a difference. Replies with parts that rightly differ go through
 * {@link #checkMasked}; raw protocol input through {@link #checkRaw} and {@link #checkRawUntilClose},
 * which also compare whether each server closed the connection. Each check returns what the reference
 * answered, for tests that go on from it. A failed check says which command was sent and what each side
 * answered.
 */
public final class DifferentialSession implements AutoCloseable {

    /**
     * The command {@link #checkRaw} writes after the raw input: a server answers it only once it has answered
     * everything before it, so its reply marks the end of the replies to the input. PING with an argument
     * echoes it as a bulk string in RESP2 and RESP3 alike, and touches no key.
     */
    private static final String SENTINEL_TOKEN = "DifferentialSession.checkRaw.sentinel";
    private static final byte[] SENTINEL = RespClient.command("PING", SENTINEL_TOKEN);
    private static final byte[] SENTINEL_REPLY =
            ("$" + SENTINEL_TOKEN.length() + "\r\n" + SENTINEL_TOKEN + "\r\n").getBytes(StandardCharsets.US_ASCII);

    /** Guards {@link #checkFullScan} against a cursor that never returns to 0. */
    private static final int MAX_SCAN_CALLS = 100_000;

    /** How the reading of a server's replies to raw input ended. */
    private enum RawEnd { SENTINEL, CLOSED, SILENT }

    private final RedisTarget reference;
    private final RedisTarget candidate;
    private RespClient referenceClient;
    private RespClient candidateClient;

    private DifferentialSession(RedisTarget reference, RedisTarget candidate) {
        this.reference = reference;
        this.candidate = candidate;
        this.referenceClient = RespClient.connect(reference);
        try {
            this.candidateClient = RespClient.connect(candidate);
        } catch (RuntimeException e) {
            referenceClient.close();
            throw e;
        }
    }

    /** Connects to both targets; the session does not own them, closing it closes only the connections. */
    public static DifferentialSession open(RedisTarget reference, RedisTarget candidate) {
        return new DifferentialSession(reference, candidate);
    }

    /** The real redis-server the candidate is compared with. */
    public RedisTarget reference() {
        return reference;
    }

    /** The target under test. */
    public RedisTarget candidate() {
        return candidate;
    }

    /** This session's connection to the reference, for steps that must not be compared. */
    public RespClient referenceClient() {
        return referenceClient;
    }

    /** This session's connection to the candidate, for steps that must not be compared. */
    public RespClient candidateClient() {
        return candidateClient;
    }

    /** Sends {@code argv} to both targets and asserts byte-identical replies; returns the reference's reply. */
    public Reply check(String... argv) {
        return check(utf8(argv));
    }

    /** As {@link #check(String...)} with binary arguments. */
    public Reply check(byte[]... argv) {
        RespReader.Frame[] replies = exchange(argv);
        RespReader.Frame expected = replies[0];
        RespReader.Frame actual = replies[1];
        if (!Arrays.equals(expected.bytes(), actual.bytes())) {
            String message = "replies differ for " + describe(argv) + "\n  reference " + reference.description()
                    + ": " + expected.reply() + "\n  candidate " + candidate.description() + ": " + actual.reply();
            if (expected.reply().toString().equals(actual.reply().toString())) {
                message += "\n  reference bytes: " + Reply.escape(expected.bytes())
                        + "\n  candidate bytes: " + Reply.escape(actual.bytes());
            }
            throw new AssertionFailedError(message, expected.reply(), actual.reply());
        }
        return expected.reply();
    }

    /**
     * Sends {@code argv} to both targets and asserts that the replies are equal once {@code masker} has
     * masked what may differ; returns the reference's reply, unmasked.
     */
    public Reply checkMasked(ReplyMasker masker, String... argv) {
        byte[][] args = utf8(argv);
        RespReader.Frame[] replies = exchange(args);
        Reply expected = masker.mask(replies[0].reply());
        Reply actual = masker.mask(replies[1].reply());
        if (!expected.equals(actual)) {
            throw new AssertionFailedError("masked replies differ for " + describe(args)
                    + "\n  reference " + reference.description() + ": " + replies[0].reply() + " masked " + expected
                    + "\n  candidate " + candidate.description() + ": " + replies[1].reply() + " masked " + actual,
                    expected, actual);
        }
        return replies[0].reply();
    }

    /** What a server did with raw input: the replies it sent, in order, and whether it then closed. */
    public record RawOutcome(List<Reply> replies, boolean closed) {
        @Override
        public String toString() {
            return replies + (closed ? " then closed the connection" : ", connection open");
        }
    }

    /**
     * Writes {@code bytes} as they are, in one write, to both targets and asserts that both send the same
     * replies byte for byte and then both close the connection or both keep it open.
     *
     * <p>Where the replies to the input end is learnt from the servers, never from silence: a second write
     * sends {@link #SENTINEL}, and each server's replies are read until the sentinel's reply or the close,
     * each wait up to {@link RespClient#DEFAULT_TIMEOUT}, so a slow server is never mistaken for a done one.
     * The input must therefore end at a command boundary with replies on (not after CLIENT REPLY OFF or
     * SKIP, nor in MONITOR mode), or close the connection; input that leaves a command incomplete belongs in
     * plain sends before a {@code checkRaw} of the rest. A connection a server closed is replaced by a fresh
     * one (back to RESP2) so that the session stays usable.
     *
     * @return what the reference did, without the sentinel's reply
     */
    public RawOutcome checkRaw(byte[] bytes) {
        return checkRaw(bytes, true);
    }

    /**
     * As {@link #checkRaw}, for input the reference answers by closing the connection: each server's replies
     * are read until it closes, up to {@link RespClient#DEFAULT_TIMEOUT}, and nothing is sent after the
     * input, which is for input whose meaning a following command would change (a line too long for Redis,
     * still without its newline). Fails if the reference does not close the connection.
     *
     * @return what the reference did
     */
    public RawOutcome checkRawUntilClose(byte[] bytes) {
        return checkRaw(bytes, false);
    }

    private RawOutcome checkRaw(byte[] bytes, boolean withSentinel) {
        referenceClient.sendRaw(bytes);
        candidateClient.sendRaw(bytes);
        if (withSentinel) {
            sendSentinel(referenceClient);
            sendSentinel(candidateClient);
        }
        List<RespReader.Frame> expected = new ArrayList<>();
        RawEnd referenceEnd = drain(referenceClient, expected, withSentinel);
        if (referenceEnd == RawEnd.SILENT) {
            throw new AssertionFailedError("reference " + reference.description() + " answered raw input \""
                    + Reply.escape(bytes) + "\" with " + replies(expected) + (withSentinel
                    ? " but neither answered the PING after it nor closed the connection within "
                    : " but did not close the connection within ") + RespClient.DEFAULT_TIMEOUT);
        }
        List<RespReader.Frame> actual = new ArrayList<>();
        RawEnd candidateEnd = drain(candidateClient, actual, withSentinel);
        boolean referenceClosed = referenceEnd == RawEnd.CLOSED;
        boolean candidateClosed = candidateEnd == RawEnd.CLOSED;
        if (referenceClosed) {
            referenceClient.close();
            referenceClient = RespClient.connect(reference);
        }
        if (candidateClosed) {
            candidateClient.close();
            candidateClient = RespClient.connect(candidate);
        }
        RawOutcome referenceOutcome = new RawOutcome(replies(expected), referenceClosed);
        RawOutcome candidateOutcome = new RawOutcome(replies(actual), candidateClosed);
        boolean sameBytes = expected.size() == actual.size();
        for (int i = 0; sameBytes && i < expected.size(); i++) {
            sameBytes = Arrays.equals(expected.get(i).bytes(), actual.get(i).bytes());
        }
        if (!sameBytes || referenceClosed != candidateClosed || candidateEnd == RawEnd.SILENT) {
            throw new AssertionFailedError("servers differ on raw input \"" + Reply.escape(bytes) + "\""
                    + "\n  reference " + reference.description() + ": " + referenceOutcome
                    + "\n  candidate " + candidate.description() + ": " + candidateOutcome
                    + (candidateEnd == RawEnd.SILENT ? ", then silent for " + RespClient.DEFAULT_TIMEOUT : ""),
                    referenceOutcome, candidateOutcome);
        }
        return referenceOutcome;
    }

    /**
     * Iterates a SCAN-family command to its end on each target separately (cursors are the server's own
     * business and differ between implementations) and asserts that both returned the same elements,
     * compared as sets: SCAN guarantees every element present throughout is returned at least once, not
     * the order nor how many per call. {@code argv} is the command without the cursor, e.g.
     * {@code ("SCAN", "MATCH", "k*")} or {@code ("HSCAN", "h", "COUNT", "5")}; HSCAN and ZSCAN elements are
     * compared as field/value pairs.
     *
     * @return the reference's elements, sorted by canonical form
     */
    public List<Reply> checkFullScan(String... argv) {
        Set<Reply> expected = scanAll(referenceClient, reference, argv);
        Set<Reply> actual = scanAll(candidateClient, candidate, argv);
        List<Reply> expectedSorted = sortedByCanonicalForm(expected);
        List<Reply> actualSorted = sortedByCanonicalForm(actual);
        if (!expectedSorted.equals(actualSorted)) {
            throw new AssertionFailedError("full iterations differ for " + String.join(" ", argv)
                    + "\n  reference " + reference.description() + ": " + expectedSorted
                    + "\n  candidate " + candidate.description() + ": " + actualSorted,
                    expectedSorted, actualSorted);
        }
        return expectedSorted;
    }

    /** Replaces both connections by fresh ones (RESP2, no client state). */
    public void reconnect() {
        referenceClient.close();
        candidateClient.close();
        referenceClient = RespClient.connect(reference);
        candidateClient = RespClient.connect(candidate);
    }

    /** Closes both connections; the targets keep running. */
    @Override
    public void close() {
        referenceClient.close();
        candidateClient.close();
    }

    private RespReader.Frame[] exchange(byte[][] argv) {
        referenceClient.send(argv);
        candidateClient.send(argv);
        return new RespReader.Frame[] {referenceClient.readFrame(), candidateClient.readFrame()};
    }

    /** Writes the sentinel, unless the server has already closed the connection. */
    private static void sendSentinel(RespClient client) {
        try {
            client.sendRaw(SENTINEL);
        } catch (UncheckedIOException closedByPeer) {
            // A server that answered the input with a protocol error may have closed before this write;
            // drain() reports that close, which is what the check compares.
        }
    }

    /**
     * Reads replies into {@code into} until the sentinel's reply (not added) when {@code withSentinel}, or
     * until the server closes the connection, or until it has said nothing for
     * {@link RespClient#DEFAULT_TIMEOUT}.
     */
    private static RawEnd drain(RespClient client, List<RespReader.Frame> into, boolean withSentinel) {
        while (true) {
            switch (client.await(RespClient.DEFAULT_TIMEOUT)) {
                case DATA -> {
                    RespReader.Frame frame = client.readFrame();
                    if (withSentinel && Arrays.equals(frame.bytes(), SENTINEL_REPLY)) {
                        return RawEnd.SENTINEL;
                    }
                    into.add(frame);
                }
                case CLOSED -> {
                    return RawEnd.CLOSED;
                }
                case NOTHING -> {
                    return RawEnd.SILENT;
                }
            }
        }
    }

    private static Set<Reply> scanAll(RespClient client, RedisTarget target, String[] argv) {
        int cursorIndex = argv[0].equalsIgnoreCase("SCAN") ? 1 : 2;
        boolean pairs = argv[0].equalsIgnoreCase("HSCAN") || argv[0].equalsIgnoreCase("ZSCAN");
        Set<Reply> elements = new LinkedHashSet<>();
        String cursor = "0";
        for (int calls = 0; calls < MAX_SCAN_CALLS; calls++) {
            List<String> command = new ArrayList<>(List.of(argv));
            command.add(cursorIndex, cursor);
            Reply page = client.call(command.toArray(String[]::new));
            if (!(page instanceof Reply.Array array) || array.elements().size() != 2
                    || !(array.elements().get(0) instanceof Reply.Bulk)
                    || !(array.elements().get(1) instanceof Reply.Array)) {
                throw new AssertionFailedError(target.description() + " answered " + String.join(" ", command)
                        + " with " + page + ", not [cursor, [elements...]]");
            }
            List<Reply> found = array.elements().get(1).asList();
            if (pairs) {
                for (int i = 0; i + 1 < found.size(); i += 2) {
                    elements.add(Reply.array(found.get(i), found.get(i + 1)));
                }
            } else {
                elements.addAll(found);
            }
            cursor = array.elements().get(0).asString();
            if (cursor.equals("0")) {
                return elements;
            }
        }
        throw new AssertionFailedError(target.description() + ": " + String.join(" ", argv)
                + " did not return cursor 0 within " + MAX_SCAN_CALLS + " calls");
    }

    private static List<Reply> sortedByCanonicalForm(Set<Reply> replies) {
        return replies.stream().sorted((a, b) -> a.toString().compareTo(b.toString())).toList();
    }

    private static List<Reply> replies(List<RespReader.Frame> frames) {
        return frames.stream().map(RespReader.Frame::reply).toList();
    }

    private static byte[][] utf8(String[] argv) {
        byte[][] args = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            args[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return args;
    }

    /** The command as redis-cli would echo it: plain words bare, anything else quoted and escaped. */
    private static String describe(byte[][] argv) {
        return Arrays.stream(argv).map(arg -> {
            String escaped = Reply.escape(arg);
            boolean plain = arg.length > 0 && escaped.length() == arg.length && escaped.indexOf(' ') < 0
                    && escaped.indexOf('\'') < 0;
            return plain ? escaped : "\"" + escaped + "\"";
        }).collect(Collectors.joining(" "));
    }
}
