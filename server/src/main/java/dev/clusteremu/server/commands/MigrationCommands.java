package dev.clusteremu.server.commands;

import static dev.clusteremu.server.command.CommandSpec.command;

import java.util.ArrayList;
import java.util.List;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandError;
import dev.clusteremu.server.command.CommandTable;
import dev.clusteremu.server.config.KeyspaceEvents;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.migrate.DumpSerializer;
import dev.clusteremu.server.migrate.KeyTransfer;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.rdb.RdbFormatException;

/**
 * DUMP, RESTORE, RESTORE-ASKING and MIGRATE (cluster.c): how keys leave one node and arrive at another,
 * which is what moves a slot's keys during a reshard.
 */
public final class MigrationCommands {
    private static final String BUSYKEY = "BUSYKEY Target key name already exists.";

    private MigrationCommands() {
    }

    public static void addTo(CommandTable table) {
        table.add(command("dump", 2, "readonly").acl("keyspace").keys(1, 1, 1).tips("nondeterministic_output")
                .handler(MigrationCommands::dump).build());
        table.add(command("restore", -4, "write denyoom").acl("keyspace dangerous").keys(1, 1, 1)
                .handler(MigrationCommands::restore).build());
        // The ASKING flag lets the router serve it on an importing slot without a preceding ASKING: the
        // form MIGRATE sends in cluster mode, so keys land on the node a slot is moving to.
        table.add(command("restore-asking", -4, "write denyoom asking").acl("keyspace dangerous").keys(1, 1, 1)
                .handler(MigrationCommands::restore).build());
        table.add(command("migrate", -6, "write").acl("keyspace dangerous").keys(3, 3, 1)
                .keys(MigrationCommands::migrateKeys).tips("nondeterministic_output")
                .handler(MigrationCommands::migrate).build());
    }

    // -------------------------------------------------------------------------------------------------------
    // DUMP and RESTORE
    // -------------------------------------------------------------------------------------------------------

    /** DUMP key: the value serialized as Redis 7.0 serializes it, or nil for a missing key. */
    private static void dump(Client c, byte[][] argv) {
        RedisObject value = c.node().keyspace().lookupRead(argv[1]);
        if (value == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().bulk(DumpSerializer.dump(value));
    }

    /**
     * RESTORE / RESTORE-ASKING key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f]. Checks in Redis's
     * order: the options, then BUSYKEY, then the TTL, then the payload's footer, then its contents. A TTL
     * already in the past stores nothing (REPLACE still deletes the old key) and answers +OK, except on a
     * replica, which waits for its master's DEL as for any expired key.
     *
     * <p>IDLETIME sets the key's LRU clock and FREQ its LFU counter, whichever maxmemory-policy uses
     * (objectSetLRUOrLFU).
     */
    private static final byte[] DEL = "DEL".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] ABSTTL = "ABSTTL".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static void restore(Client c, byte[][] argv) {
        boolean replace = false;
        boolean absTtl = false;
        long idleTime = -1;
        long freq = -1;
        for (int j = 4; j < argv.length; j++) {
            boolean hasValue = j + 1 < argv.length;
            if (KeyCommands.optionIs(argv[j], "replace")) {
                replace = true;
            } else if (KeyCommands.optionIs(argv[j], "absttl")) {
                absTtl = true;
            } else if (KeyCommands.optionIs(argv[j], "idletime") && hasValue && freq == -1) {
                idleTime = Args.integer(argv[++j]);
                if (idleTime < 0) {
                    throw new CommandError("ERR Invalid IDLETIME value, must be >= 0");
                }
            } else if (KeyCommands.optionIs(argv[j], "freq") && hasValue && idleTime == -1) {
                freq = Args.integer(argv[++j]);
                if (freq < 0 || freq > 255) {
                    throw new CommandError("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }

        Keyspace keyspace = c.node().keyspace();
        byte[] key = argv[1];
        if (!replace && keyspace.lookupWrite(key) != null) {
            throw new CommandError(BUSYKEY);
        }
        long ttl = Args.integer(argv[2]);
        if (ttl < 0) {
            throw new CommandError("ERR Invalid TTL value, must be >= 0");
        }
        RedisObject value;
        try {
            value = DumpSerializer.restore(argv[3], c.node().config());
        } catch (RdbFormatException e) {
            throw new CommandError(e.getMessage());
        }

        boolean deleted = replace && keyspace.delete(key);
        if (ttl != 0 && !absTtl) {
            ttl += c.node().now();
        }
        if (ttl != 0 && isAlreadyExpired(c, ttl)) {
            if (deleted) {
                c.rewriteCommandVector(DEL, key);
                c.node().notifications().notify(KeyspaceEvents.GENERIC, "del", key);
            }
            c.reply().ok();
            return;
        }
        keyspace.setKey(key, value, false);
        keyspace.restoreAccess(key, (int) freq, idleTime);
        if (ttl != 0) {
            keyspace.setExpire(key, ttl);
            if (!absTtl) {
                // Replicas get the absolute time, so that the key expires when it does here.
                byte[][] rewritten = java.util.Arrays.copyOf(argv, argv.length + 1);
                rewritten[2] = dev.clusteremu.server.resp.RedisNumbers.toBytes(ttl);
                rewritten[argv.length] = ABSTTL;
                c.rewriteCommandVector(rewritten);
            }
        }
        c.node().notifications().notify(KeyspaceEvents.GENERIC, "restore", key);
        c.node().stats().changes(1);
        c.reply().ok();
    }

    /**
     * checkAlreadyExpired: a time at or before now means the key would be born expired, so it is not
     * created; a replica creates it anyway, because only its master decides when keys expire.
     */
    private static boolean isAlreadyExpired(Client c, long whenMs) {
        return whenMs <= c.node().now() && !c.node().data().isReplicationConfigured();
    }

    // -------------------------------------------------------------------------------------------------------
    // MIGRATE
    // -------------------------------------------------------------------------------------------------------

    /**
     * The keys of MIGRATE (migrateGetKeys): the key argument, or with KEYS every argument after it. The
     * options before KEYS are skipped with their values; a KEYS form whose key argument is not empty has
     * no keys here, the command itself then answers its syntax error.
     */
    static int[] migrateKeys(byte[][] argv) {
        int first = 3;
        int num = 1;
        for (int i = 6; i < argv.length; i++) {
            if (KeyCommands.optionIs(argv[i], "keys")) {
                if (argv[3].length > 0) {
                    num = 0;
                } else {
                    first = i + 1;
                    num = argv.length - first;
                }
                break;
            }
            if (KeyCommands.optionIs(argv[i], "auth")) {
                i += 1;
            } else if (KeyCommands.optionIs(argv[i], "auth2")) {
                i += 2;
            }
        }
        int[] positions = new int[num];
        for (int j = 0; j < num; j++) {
            positions[j] = first + j;
        }
        return positions;
    }

    /**
     * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username
     * password] [KEYS key...]. Replies +NOKEY when none of the keys exists (not an error: a key may just
     * have expired), else moves the live ones with {@link KeyTransfer}. A timeout of 0 or less means 1000 ms.
     */
    private static void migrate(Client c, byte[][] argv) {
        boolean copy = false;
        boolean replace = false;
        byte[] username = null;
        byte[] password = null;
        int firstKey = 3;
        int numKeys = 1;
        for (int j = 6; j < argv.length; j++) {
            int moreArgs = argv.length - 1 - j;
            if (KeyCommands.optionIs(argv[j], "copy")) {
                copy = true;
            } else if (KeyCommands.optionIs(argv[j], "replace")) {
                replace = true;
            } else if (KeyCommands.optionIs(argv[j], "auth")) {
                if (moreArgs < 1) {
                    throw new CommandError(Args.SYNTAX_ERROR);
                }
                password = argv[++j];
                c.redactArgument(j);
            } else if (KeyCommands.optionIs(argv[j], "auth2")) {
                if (moreArgs < 2) {
                    throw new CommandError(Args.SYNTAX_ERROR);
                }
                username = argv[++j];
                c.redactArgument(j);
                password = argv[++j];
                c.redactArgument(j);
            } else if (KeyCommands.optionIs(argv[j], "keys")) {
                if (argv[3].length != 0) {
                    throw new CommandError(
                            "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");
                }
                firstKey = j + 1;
                numKeys = argv.length - j - 1;
                break;
            } else {
                throw new CommandError(Args.SYNTAX_ERROR);
            }
        }
        long timeout = Args.integer(argv[5]);
        long dbId = Args.integer(argv[4]);
        if (timeout <= 0) {
            timeout = 1000;
        }

        Keyspace keyspace = c.node().keyspace();
        List<byte[]> keys = new ArrayList<>(numKeys);
        List<RedisObject> values = new ArrayList<>(numKeys);
        for (int j = 0; j < numKeys; j++) {
            RedisObject value = keyspace.lookupRead(argv[firstKey + j]);
            if (value != null) {
                keys.add(argv[firstKey + j]);
                values.add(value);
            }
        }
        if (keys.isEmpty()) {
            c.reply().simple("NOKEY");
            return;
        }
        KeyTransfer.run(c, new KeyTransfer.Target(Args.text(argv[1]), Args.text(argv[2]), dbId, timeout, copy,
                replace, username, password), keys, values);
    }
}
