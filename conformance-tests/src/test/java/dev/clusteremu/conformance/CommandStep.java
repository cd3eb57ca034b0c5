package dev.clusteremu.conformance;

import java.util.Arrays;

/**
 * One command of a generated sequence for a differential property, with how its replies are compared:
 * what is a fact of Redis (an error text, a count, a listpack's order) exactly, and what is a server's own
 * choice (a hash table's order, a random pick) masked down to the fact it still holds.
 *
 * @param argv    the command
 * @param compare how the two replies are compared
 * @param key     the hash or set whose encoding decides the comparison, for {@link Compare#BY_ENCODING} and
 *                {@link Compare#SCAN_BY_ENCODING}
 */
record CommandStep(String[] argv, Compare compare, String key) {

    /** How a step's replies are compared. */
    enum Compare {
        /** Byte for byte. */
        EXACT,
        /** Random picks: only the reply's type and element count ({@link #shape()}). */
        SHAPE,
        /** As a multiset: the order is a hash table's or depends on which set was smallest. */
        UNORDERED,
        /**
         * Exactly while {@code key} is a listpack or an intset (whose order is Redis's), as a multiset (pairs
         * for hashes) once it is a hashtable; the key's DUMP is compared first, which checks the encoding.
         */
        BY_ENCODING,
        /** A SCAN-family command: one exact call while a listpack or intset, else a full iteration. */
        SCAN_BY_ENCODING
    }

    static CommandStep exact(String... argv) {
        return new CommandStep(argv, Compare.EXACT, null);
    }

    static CommandStep shape(String... argv) {
        return new CommandStep(argv, Compare.SHAPE, null);
    }

    static CommandStep unordered(String... argv) {
        return new CommandStep(argv, Compare.UNORDERED, null);
    }

    static CommandStep byEncoding(String key, String... argv) {
        return new CommandStep(argv, Compare.BY_ENCODING, key);
    }

    static CommandStep scanByEncoding(String key, String... argv) {
        return new CommandStep(argv, Compare.SCAN_BY_ENCODING, key);
    }

    /** Runs the step on both targets of {@code session} and compares as {@link #compare} says. */
    void check(DifferentialSession session, boolean pairs) {
        switch (compare) {
            case EXACT -> session.check(argv);
            case SHAPE -> session.checkMasked(shape(), argv);
            case UNORDERED -> session.checkMasked(ReplyMasker.unordered(), argv);
            case BY_ENCODING -> {
                if (isHashtable(session)) {
                    session.checkMasked(pairs && isPairReply() ? CollectionMaskers.unorderedPairs()
                            : ReplyMasker.unordered(), argv);
                } else {
                    session.check(argv);
                }
            }
            case SCAN_BY_ENCODING -> {
                if (isHashtable(session)) {
                    String[] withoutCursor = new String[argv.length - 1];
                    withoutCursor[0] = argv[0];
                    withoutCursor[1] = argv[1];
                    System.arraycopy(argv, 3, withoutCursor, 2, argv.length - 3);
                    session.checkFullScan(withoutCursor);
                } else {
                    session.check(argv);
                }
            }
        }
    }

    /** HGETALL answers field/value pairs; HKEYS, HVALS and the set commands single elements. */
    private boolean isPairReply() {
        return argv[0].equalsIgnoreCase("HGETALL");
    }

    /**
     * Whether {@link #key} is hashtable-encoded, by its DUMP's type byte (4 or 2), after comparing both
     * servers' DUMPs: exactly for other encodings, by type byte for hashtables.
     */
    private boolean isHashtable(DifferentialSession session) {
        Reply dump = session.checkMasked(CollectionMaskers.dumpTypeOfHashtables(), "DUMP", key);
        return CollectionMaskers.isHashtableDump(dump);
    }

    /** A reply reduced to its RESP type and, for an aggregate, its element count. */
    static ReplyMasker shape() {
        return reply -> {
            if (reply instanceof Reply.Array || reply instanceof Reply.Set) {
                String kind = reply instanceof Reply.Set ? "set" : "array";
                return Reply.status("<" + kind + " of " + reply.asList().size() + ">");
            }
            return reply instanceof Reply.Bulk ? Reply.status("<bulk>") : reply;
        };
    }

    @Override
    public String toString() {
        return String.join(" ", Arrays.stream(argv).map(a -> a.length() > 20 ? a.substring(0, 8) + "...("
                + a.length() + ")" : a).toList());
    }
}
