package dev.clusteremu.conformance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * {@link #checkMasked}; raw protocol input through {@link #checkRaw}, which also compares whether each
 * server closed the connection. Each check returns what the reference answered, for tests that go on
 * from it. A failed check says which command was sent and what each side answered.
 */
public final class DifferentialSession implements AutoCloseable {

    /** The least silence after a server's last reply to raw input before it is taken to be done. */
    private static final Duration LAST_WORD = Duration.ofMillis(50);

    /** Guards {@link #checkFullScan} against a cursor that never returns to 0. */
    private static final int MAX_SCAN_CALLS = 100_000;

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
     * <p>The reference's replies are read until it closes the connection or has nothing more to say
     * {@link RespClient#QUIET_PERIOD} after the input was sent; the candidate is then given the full read
     * timeout to match them, so a slow candidate is not mistaken for a silent one. Input that leaves a command incomplete is fine
     * (no reply, connection open). A connection a server closed is replaced by a fresh one (back to RESP2)
     * so that the session stays usable.
     *
     * @return what the reference did
     */
    public RawOutcome checkRaw(byte[] bytes) {
        referenceClient.sendRaw(bytes);
        candidateClient.sendRaw(bytes);
        long silentUntil = System.nanoTime() + RespClient.QUIET_PERIOD.toNanos();
        List<RespReader.Frame> expected = new ArrayList<>();
        boolean referenceClosed = drain(referenceClient, expected, 0, false, silentUntil);
        List<RespReader.Frame> actual = new ArrayList<>();
        boolean candidateClosed = drain(candidateClient, actual, expected.size(), referenceClosed, silentUntil);
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
        if (!sameBytes || referenceClosed != candidateClosed) {
            throw new AssertionFailedError("servers differ on raw input \"" + Reply.escape(bytes) + "\""
                    + "\n  reference " + reference.description() + ": " + referenceOutcome
                    + "\n  candidate " + candidate.description() + ": " + candidateOutcome,
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

    /**
     * Reads replies until the server closes the connection (returns true) or stays silent (false). While
     * fewer than {@code expectedReplies} have come, or while a close is expected, silence must last the
     * full read timeout. Otherwise the server is taken to be done once {@code silentUntil} (a
     * {@link System#nanoTime()} a quiet period after the input was sent) has passed and it has then said
     * nothing for {@link #LAST_WORD}: both servers get the same time to answer, and the wait is paid once
     * per check, not once per server.
     */
    private static boolean drain(RespClient client, List<RespReader.Frame> into, int expectedReplies,
                                 boolean closeExpected, long silentUntil) {
        while (true) {
            boolean patient = into.size() < expectedReplies || closeExpected;
            Duration quiet = Duration.ofNanos(Math.max(LAST_WORD.toNanos(), silentUntil - System.nanoTime()));
            switch (client.await(patient ? RespClient.DEFAULT_TIMEOUT : quiet)) {
                case DATA -> into.add(client.readFrame());
                case CLOSED -> {
                    return true;
                }
                case NOTHING -> {
                    return false;
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
