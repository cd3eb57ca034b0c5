package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.Arrays;
import java.util.Random;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.config.ConfigTable;
import dev.clusteremu.server.config.KeyspaceEvents;
import dev.clusteremu.server.hyperloglog.HyperLogLog;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.keyspace.StringValue;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RespWriter;

/**
 * PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST (hyperloglog.c). An HLL is a string value holding
 * {@link HyperLogLog}'s bytes, so GET, DUMP and replication see exactly what redis-server would.
 *
 * <p>Each command works on a copy of the string and stores the result (raw-encoded, TTL kept, as
 * dbUnshareStringValue leaves it) only when something changed, so a command that changes nothing is not
 * propagated. PFCOUNT of one key is a read that may write: a stale cached cardinality is recomputed and
 * stored, and then PFCOUNT goes to the replicas as it is, to do the same there.
 */
public final class HyperLogLogCommands {
    private static final String INVALID_HLL = "INVALIDOBJ Corrupted HLL object detected";
    private static final String NOT_AN_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    /** HLL_TEST_CYCLES: rounds of PFSELFTEST's register access test. */
    private static final int TEST_CYCLES = 1000;
    /** PFSELFTEST adds this many elements, checking the error at each power of ten. */
    private static final int TEST_ELEMENTS = 10_000_000;

    private HyperLogLogCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("pfadd", -2, "write denyoom fast").acl("hyperloglog").keys(1, 1, 1)
                .handler(HyperLogLogCommands::pfadd).build());
        table.add(command("pfcount", -2, "readonly may_replicate").acl("hyperloglog").keys(1, -1, 1)
                .handler(HyperLogLogCommands::pfcount).build());
        table.add(command("pfmerge", -2, "write denyoom").acl("hyperloglog").keys(1, -1, 1)
                .handler(HyperLogLogCommands::pfmerge).build());
        table.add(command("pfdebug", 3, "write denyoom admin").acl("hyperloglog").keys(2, 2, 1)
                .handler(HyperLogLogCommands::pfdebug).build());
        table.add(command("pfselftest", 1, "admin").acl("hyperloglog")
                .handler(HyperLogLogCommands::pfselftest).build());
    }

    /**
     * isHLLObjectOrReply: a copy of the HLL held at a key, or a refusal: another type is WRONGTYPE, and so is
     * a string that is not an HLL (int-encoded, too short, no HYLL magic, unknown encoding, dense of the
     * wrong size).
     */
    private static HyperLogLog copyOf(RedisObject o) {
        if (!(o instanceof StringValue s)) {
            throw new CommandError(RedisObject.WRONGTYPE);
        }
        if (s.isInt() || !HyperLogLog.isValid(s.bytes())) {
            throw new CommandError(NOT_AN_HLL);
        }
        byte[] copy = s.bytes().clone();
        return new HyperLogLog(copy, copy.length);
    }

    private static long sparseMaxBytes(Client c) {
        return ((Number) ConfigTable.valueOf(c.node(), "hll-sparse-max-bytes")).longValue();
    }

    /** Stores the HLL's bytes under {@code key} as a raw string, keeping the key's TTL. */
    private static void store(Keyspace ks, byte[] key, HyperLogLog hll) {
        ks.setKey(key, StringValue.raw(Arrays.copyOf(hll.data(), hll.length())), true);
    }

    /**
     * PFADD key [element ...]: 1 if the key was created or a register changed, else 0. A corrupt sparse HLL
     * answers INVALIDOBJ.
     */
    private static void pfadd(Client c, byte[][] argv) {
        Keyspace ks = c.node().keyspace();
        RedisObject o = ks.lookupWrite(argv[1]);
        HyperLogLog hll;
        int updated = 0;
        if (o == null) {
            byte[] empty = HyperLogLog.createEmpty();
            hll = new HyperLogLog(empty, empty.length);
            updated++;
        } else {
            hll = copyOf(o);
        }
        long sparseMax = sparseMaxBytes(c);
        for (int j = 2; j < argv.length; j++) {
            int result = hll.add(argv[j], sparseMax);
            if (result < 0) {
                throw new CommandError(INVALID_HLL);
            }
            updated += result;
        }
        if (updated > 0) {
            hll.invalidateCache();
            store(ks, argv[1], hll);
            c.node().notifications().notify(KeyspaceEvents.STRING, "pfadd", argv[1]);
        }
        c.reply().integer(updated > 0 ? 1 : 0);
    }

    /**
     * PFCOUNT key [key ...]: the estimated cardinality of one HLL (from its cache when valid, else computed
     * and cached), or of the union of several without touching them. Missing keys are empty HLLs.
     */
    private static void pfcount(Client c, byte[][] argv) {
        Keyspace ks = c.node().keyspace();
        if (argv.length > 2) {
            int[] max = new int[HyperLogLog.REGISTERS];
            for (int j = 1; j < argv.length; j++) {
                RedisObject o = ks.lookupRead(argv[j]);
                if (o != null && !copyOf(o).mergeInto(max)) {
                    throw new CommandError(INVALID_HLL);
                }
            }
            c.reply().integer(HyperLogLog.count(max));
            return;
        }
        RedisObject o = ks.lookupRead(argv[1]);
        if (o == null) {
            c.reply().integer(0);
            return;
        }
        HyperLogLog hll = copyOf(o);
        if (hll.hasValidCache()) {
            c.reply().integer(hll.cachedCardinality());
            return;
        }
        long card = hll.count();
        if (card < 0) {
            throw new CommandError(INVALID_HLL);
        }
        hll.setCachedCardinality(card);
        store(ks, argv[1], hll);
        c.reply().integer(card);
    }

    /**
     * PFMERGE destkey [sourcekey ...]: destkey (itself one of the inputs) becomes the union, dense if any
     * input was dense, created if missing. Always a write, even when nothing changed.
     */
    private static void pfmerge(Client c, byte[][] argv) {
        Keyspace ks = c.node().keyspace();
        int[] max = new int[HyperLogLog.REGISTERS];
        boolean useDense = false;
        for (int j = 1; j < argv.length; j++) {
            RedisObject o = ks.lookupRead(argv[j]);
            if (o == null) {
                continue;
            }
            HyperLogLog source = copyOf(o);
            useDense |= source.isDense();
            if (!source.mergeInto(max)) {
                throw new CommandError(INVALID_HLL);
            }
        }
        RedisObject existing = ks.lookupWrite(argv[1]);
        HyperLogLog dest;
        if (existing == null) {
            byte[] empty = HyperLogLog.createEmpty();
            dest = new HyperLogLog(empty, empty.length);
        } else {
            dest = copyOf(existing);
        }
        if (useDense && !dest.toDense()) {
            throw new CommandError(INVALID_HLL);
        }
        long sparseMax = sparseMaxBytes(c);
        for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
            if (max[j] != 0) {
                dest.set(j, max[j], sparseMax);
            }
        }
        dest.invalidateCache();
        store(ks, argv[1], dest);
        // PFMERGE is published as "pfadd", a mass add of elements (hyperloglog.c).
        c.node().notifications().notify(KeyspaceEvents.STRING, "pfadd", argv[1]);
        c.reply().ok();
    }

    /**
     * PFDEBUG GETREG|DECODE|ENCODING|TODENSE key: the registers (converting a sparse HLL to dense, which is
     * a change that propagates), the sparse opcodes, the encoding, or the conversion alone.
     */
    private static void pfdebug(Client c, byte[][] argv) {
        Keyspace ks = c.node().keyspace();
        RedisObject o = ks.lookupWrite(argv[2]);
        if (o == null) {
            throw new CommandError("ERR The specified key does not exist");
        }
        HyperLogLog hll = copyOf(o);
        RespWriter r = c.reply();
        if (Args.is(argv[1], "getreg")) {
            boolean converted = toDense(hll);
            int[] registers = hll.denseRegisters();
            if (converted) {
                store(ks, argv[2], hll);
            }
            r.array(registers.length);
            for (int register : registers) {
                r.integer(register);
            }
        } else if (Args.is(argv[1], "decode")) {
            if (hll.isDense()) {
                throw new CommandError("ERR HLL encoding is not sparse");
            }
            r.bulk(hll.decodeSparse());
        } else if (Args.is(argv[1], "encoding")) {
            r.simple(hll.isDense() ? "dense" : "sparse");
        } else if (Args.is(argv[1], "todense")) {
            boolean converted = toDense(hll);
            if (converted) {
                store(ks, argv[2], hll);
            }
            r.integer(converted ? 1 : 0);
        } else {
            throw new CommandError("ERR Unknown PFDEBUG subcommand '" + Args.text(argv[1]) + "'");
        }
    }

    /** Converts a sparse HLL to dense; true if it was sparse. */
    private static boolean toDense(HyperLogLog hll) {
        if (hll.isDense()) {
            return false;
        }
        if (!hll.toDense()) {
            throw new CommandError(INVALID_HLL);
        }
        return true;
    }

    /**
     * PFSELFTEST: checks that dense registers keep what is written to them without disturbing their
     * neighbours, then adds ten million distinct elements to a dense and a sparse HLL, checking at each power
     * of ten that the sparse one stays sparse while small, that both estimate the same, and that the error
     * stays within six standard errors.
     */
    private static void pfselftest(Client c, byte[][] argv) {
        Random random = new Random();
        byte[] bytes = HyperLogLog.createEmpty();
        HyperLogLog dense = new HyperLogLog(bytes, bytes.length);
        dense.toDense();
        int[] expected = new int[HyperLogLog.REGISTERS];
        for (int cycle = 0; cycle < TEST_CYCLES; cycle++) {
            HyperLogLog registers = new HyperLogLog(new byte[HyperLogLog.DENSE_SIZE], HyperLogLog.DENSE_SIZE);
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                expected[i] = random.nextInt(64);
                registers.set(i, expected[i], 0);
            }
            int[] actual = registers.denseRegisters();
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                if (actual[i] != expected[i]) {
                    throw new CommandError("TESTFAILED Register " + i + " should be " + expected[i] + " but is "
                            + actual[i]);
                }
            }
        }
        byte[] empty = HyperLogLog.createEmpty();
        HyperLogLog sparse = new HyperLogLog(empty, empty.length);
        long sparseMax = sparseMaxBytes(c);
        double relativeError = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
        long seed = random.nextLong();
        long checkpoint = 1;
        byte[] element = new byte[8];
        for (long j = 1; j <= TEST_ELEMENTS; j++) {
            long e = j ^ seed;
            for (int b = 0; b < 8; b++) {
                element[b] = (byte) (e >>> (8 * b));
            }
            dense.add(element, sparseMax);
            sparse.add(element, sparseMax);
            if (j != checkpoint) {
                continue;
            }
            if (j < sparseMax / 2 && sparse.isDense()) {
                throw new CommandError("TESTFAILED sparse encoding not used");
            }
            long estimate = dense.count();
            if (estimate != sparse.count()) {
                throw new CommandError("TESTFAILED dense/sparse disagree");
            }
            long maxError = j == 10 ? 1 : (long) Math.ceil(relativeError * 6 * checkpoint);
            long error = Math.abs(checkpoint - estimate);
            if (error > maxError) {
                throw new CommandError("TESTFAILED Too big error. card:" + checkpoint + " abserr:" + error);
            }
            checkpoint *= 10;
        }
        c.reply().ok();
    }
}
