package dev.clusteremu.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.opentest4j.AssertionFailedError;

/**
 * A connection to the reference and one to the candidate of a differential session, read frame by frame:
 * for Pub/Sub, where one command may answer several frames and a connection receives pushes it did not
 * ask for. Every frame read from one side is compared byte for byte with the frame read from the other.
 */
final class TwinConnection implements AutoCloseable {
    private final String name;
    private final RespClient reference;
    private final RespClient candidate;
    private final boolean owned;

    private TwinConnection(String name, RespClient reference, RespClient candidate, boolean owned) {
        this.name = name;
        this.reference = reference;
        this.candidate = candidate;
        this.owned = owned;
    }

    /** New connections to both targets of {@code session}, closed by {@link #close}. */
    static TwinConnection open(DifferentialSession session, String name) {
        RespClient reference = RespClient.connect(session.reference());
        try {
            return new TwinConnection(name, reference, RespClient.connect(session.candidate()), true);
        } catch (RuntimeException e) {
            reference.close();
            throw e;
        }
    }

    /** The session's own connections, which stay the session's to close. */
    static TwinConnection of(DifferentialSession session) {
        return new TwinConnection("session", session.referenceClient(), session.candidateClient(), false);
    }

    /** Sends {@code argv} on both connections without reading. */
    void send(String... argv) {
        reference.send(argv);
        candidate.send(argv);
    }

    /** Sends binary {@code argv} on both connections without reading. */
    void send(byte[]... argv) {
        reference.send(argv);
        candidate.send(argv);
    }

    /** Reads the next frame on both connections, asserts identical bytes; returns the reference's. */
    Reply next() {
        RespReader.Frame expected = reference.readFrame();
        RespReader.Frame actual = candidate.readFrame();
        if (!Arrays.equals(expected.bytes(), actual.bytes())) {
            throw new AssertionFailedError("frames differ on connection " + name + "\n  reference: "
                    + Reply.escape(expected.bytes()) + "\n  candidate: " + Reply.escape(actual.bytes()),
                    expected.reply(), actual.reply());
        }
        return expected.reply();
    }

    /** Sends {@code argv} and compares its first frame. */
    Reply check(String... argv) {
        send(argv);
        return next();
    }

    /** Sends {@code argv} and compares the {@code frames} frames it answers. */
    List<Reply> check(int frames, String... argv) {
        send(argv);
        List<Reply> out = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            out.add(next());
        }
        return out;
    }

    /**
     * Reads {@code n} frames on both connections that may come in a different order on each, since Redis
     * writes them in its hash tables' order (the pmessages of several patterns, PUBSUB CHANNELS); asserts
     * that both sides sent the same frames, compared as multisets of bytes.
     */
    void nextUnordered(int n) {
        List<RespReader.Frame> expected = new ArrayList<>();
        List<RespReader.Frame> actual = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(reference.readFrame());
            actual.add(candidate.readFrame());
        }
        List<String> e = sortedBytes(expected);
        List<String> a = sortedBytes(actual);
        if (!e.equals(a)) {
            throw new AssertionFailedError("frames differ (in any order) on connection " + name, e, a);
        }
    }

    /**
     * Reads the {@code n} replies of an (S|P)UNSUBSCRIBE without arguments: Redis goes through the client's
     * channels in its dict's order, so the channels may come in another order on each side, while the kind
     * and the running count of each reply, and the set of channels, must be the same.
     */
    void nextUnsubscriptions(int n) {
        List<String> shapeExpected = new ArrayList<>();
        List<String> shapeActual = new ArrayList<>();
        List<String> channelsExpected = new ArrayList<>();
        List<String> channelsActual = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RespReader.Frame e = reference.readFrame();
            RespReader.Frame a = candidate.readFrame();
            shapeExpected.add(shape(e.reply()));
            shapeActual.add(shape(a.reply()));
            channelsExpected.add(e.reply().asList().get(1).toString());
            channelsActual.add(a.reply().asList().get(1).toString());
        }
        channelsExpected.sort(Comparator.naturalOrder());
        channelsActual.sort(Comparator.naturalOrder());
        if (!shapeExpected.equals(shapeActual) || !channelsExpected.equals(channelsActual)) {
            throw new AssertionFailedError("unsubscriptions differ on connection " + name,
                    shapeExpected + " " + channelsExpected, shapeActual + " " + channelsActual);
        }
    }

    /** Asserts that neither connection has anything more to read after {@link RespClient#QUIET_PERIOD}. */
    void assertQuiet() {
        RespClient.Arrival r = reference.await(RespClient.QUIET_PERIOD);
        RespClient.Arrival c = candidate.await(RespClient.QUIET_PERIOD);
        if (r != RespClient.Arrival.NOTHING || c != RespClient.Arrival.NOTHING) {
            throw new AssertionFailedError("expected silence on connection " + name + ": reference " + r
                    + ", candidate " + c);
        }
    }

    /** The reference's connection, for a step that must not be compared. */
    RespClient reference() {
        return reference;
    }

    /** The candidate's connection, for a step that must not be compared. */
    RespClient candidate() {
        return candidate;
    }

    @Override
    public void close() {
        if (owned) {
            reference.close();
            candidate.close();
        }
    }

    /** A push or array reply without its channel: its type, first element and last element. */
    private static String shape(Reply reply) {
        List<Reply> elements = reply.asList();
        return reply.getClass().getSimpleName() + elements.get(0) + "/" + elements.get(elements.size() - 1);
    }

    private static List<String> sortedBytes(List<RespReader.Frame> frames) {
        return frames.stream().map(f -> Reply.escape(f.bytes())).sorted().toList();
    }
}
