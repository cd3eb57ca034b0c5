package dev.clusteremu.server.info;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.clusteremu.server.command.Args;
import dev.clusteremu.server.command.CommandSpec;

/**
 * The keys of a command line and what the command does to each, as COMMAND GETKEYS and GETKEYSANDFLAGS
 * report them (getKeysFromCommandWithSpecs). Key specs come first when they are reliable; when one can't
 * tell (unknown, incomplete, a key count that is not a number...) or flags vary with the arguments, the
 * command's own key function decides, as Redis's getkeys_proc does, with the flags that function gives
 * (none at all for most: they were written before key flags existed).
 *
 * <p>This is the introspection view. Routing finds keys with getKeysFromCommand, the command's key
 * function or its legacy range, which can differ in order and in corner cases (GEORADIUS with both STORE
 * and STOREDIST routes on the last one only).
 */
public final class CommandKeys {

    /** One key: its argv position and its key flags in addReplyFlagsForKeyArgs's order. */
    public record KeyReference(int pos, List<String> flags) {
    }

    /** A getkeys_proc: the keys of argv, which has already passed the command's arity check. */
    @FunctionalInterface
    private interface KeysProc {
        List<KeyReference> keys(byte[][] argv);
    }

    private static final List<String> NO_FLAGS = List.of();
    private static final List<String> RO_ACCESS = List.of("RO", "access");
    private static final List<String> RW_ACCESS_UPDATE = List.of("RW", "access", "update");
    private static final List<String> OW_UPDATE = List.of("OW", "update");
    private static final List<String> RW_ACCESS_DELETE = List.of("RW", "access", "delete");

    /** Redis 7.0's commands with a getkeys_proc (commands.c), by full name. */
    private static final Map<String, KeysProc> KEYS_PROCS = Map.ofEntries(
            Map.entry("zunion", counted(0, 1, 2)),
            Map.entry("zinter", counted(0, 1, 2)),
            Map.entry("zintercard", counted(0, 1, 2)),
            Map.entry("zdiff", counted(0, 1, 2)),
            Map.entry("zunionstore", counted(1, 2, 3)),
            Map.entry("zinterstore", counted(1, 2, 3)),
            Map.entry("zdiffstore", counted(1, 2, 3)),
            Map.entry("sintercard", counted(0, 1, 2)),
            Map.entry("lmpop", counted(0, 1, 2)),
            Map.entry("blmpop", counted(0, 2, 3)),
            Map.entry("zmpop", counted(0, 1, 2)),
            Map.entry("bzmpop", counted(0, 2, 3)),
            Map.entry("eval", counted(0, 2, 3)),
            Map.entry("evalsha", counted(0, 2, 3)),
            Map.entry("eval_ro", counted(0, 2, 3)),
            Map.entry("evalsha_ro", counted(0, 2, 3)),
            Map.entry("fcall", counted(0, 2, 3)),
            Map.entry("fcall_ro", counted(0, 2, 3)),
            Map.entry("sort", CommandKeys::sortKeys),
            Map.entry("sort_ro", argv -> List.of(new KeyReference(1, RO_ACCESS))),
            Map.entry("migrate", CommandKeys::migrateKeys),
            Map.entry("georadius", CommandKeys::georadiusKeys),
            Map.entry("georadiusbymember", CommandKeys::georadiusKeys),
            Map.entry("xread", CommandKeys::xreadKeys),
            Map.entry("xreadgroup", CommandKeys::xreadKeys),
            Map.entry("set", CommandKeys::setKeys),
            Map.entry("bitfield", CommandKeys::bitfieldKeys));

    private CommandKeys() {
    }

    /**
     * doesCommandHaveKeys: the command has a key function or a key spec for real keys. Specs marked
     * NOT_KEY (the shard channels of SSUBSCRIBE, SPUBLISH...) don't count: routing uses them, GETKEYS not.
     */
    public static boolean hasKeys(CommandSpec spec) {
        return KEYS_PROCS.containsKey(spec.fullName())
                || KeySpec.of(spec).stream().anyMatch(k -> !k.flags().contains("not_key"));
    }

    /**
     * The keys of {@code argv} (argv[0] is the command name; arity already checked), in the order Redis
     * reports them; empty when none can be found, which GETKEYS turns into an error for a command that
     * must have keys.
     */
    public static List<KeyReference> find(CommandSpec spec, byte[][] argv) {
        List<KeySpec> specs = KeySpec.of(spec);
        boolean realKeys = specs.stream().anyMatch(k -> !k.flags().contains("not_key"));
        boolean variableFlags = specs.stream().anyMatch(k -> k.flags().contains("variable_flags"));
        if (realKeys && !variableFlags) {
            List<KeyReference> found = usingKeySpecs(specs, argv);
            if (found != null) {
                return found;
            }
        }
        KeysProc proc = KEYS_PROCS.get(spec.fullName());
        return proc == null ? List.of() : proc.keys(argv);
    }

    /** getKeysUsingKeySpecs without partial results: any spec that doesn't fit fails the whole search. */
    private static List<KeyReference> usingKeySpecs(List<KeySpec> specs, byte[][] argv) {
        List<KeyReference> keys = new ArrayList<>();
        for (KeySpec spec : specs) {
            if (spec.flags().contains("not_key")) {
                continue;
            }
            List<Integer> positions = spec.positions(argv);
            if (positions == null) {
                return null;
            }
            for (int pos : positions) {
                keys.add(new KeyReference(pos, spec.flags()));
            }
        }
        return keys;
    }

    // ---- the getkeys_procs of db.c ----

    /**
     * genericGetKeys: a count at {@code countIndex}, read with C's atoi, then that many keys from
     * {@code firstKey}; the destination at {@code storeIndex} (0 for none) comes last. A count below 1 or
     * past the arguments means no keys.
     */
    private static KeysProc counted(int storeIndex, int countIndex, int firstKey) {
        return argv -> {
            long num = atoi(argv[countIndex]);
            if (num < 1 || num > argv.length - firstKey) {
                return List.of();
            }
            List<KeyReference> keys = new ArrayList<>();
            for (int i = 0; i < num; i++) {
                keys.add(new KeyReference(firstKey + i, NO_FLAGS));
            }
            if (storeIndex > 0) {
                keys.add(new KeyReference(storeIndex, NO_FLAGS));
            }
            return keys;
        };
    }

    /**
     * sortGetKeys: the sorted key, then the last STORE's destination. Options are skipped with their
     * arguments (LIMIT 2, GET 1, BY 1) and anything else is taken for a flag, as SORT parses them.
     */
    private static List<KeyReference> sortKeys(byte[][] argv) {
        int store = -1;
        for (int i = 2; i < argv.length; i++) {
            if (Args.is(argv[i], "limit")) {
                i += 2;
            } else if (Args.is(argv[i], "store") && i + 1 < argv.length) {
                store = i + 1;
            } else if (Args.is(argv[i], "get") || Args.is(argv[i], "by")) {
                i += 1;
            }
        }
        List<KeyReference> keys = new ArrayList<>(List.of(new KeyReference(1, RO_ACCESS)));
        if (store != -1) {
            keys.add(new KeyReference(store, OW_UPDATE));
        }
        return keys;
    }

    /**
     * migrateGetKeys: the key at 3, or with a KEYS option (looked for from argument 6, past the values
     * of AUTH and AUTH2) every argument after it; none when KEYS comes with a non-empty key, MIGRATE's
     * syntax error.
     */
    private static List<KeyReference> migrateKeys(byte[][] argv) {
        int first = 3;
        int num = 1;
        for (int i = 6; i < argv.length; i++) {
            if (Args.is(argv[i], "keys")) {
                if (argv[3].length > 0) {
                    num = 0;
                } else {
                    first = i + 1;
                    num = argv.length - first;
                }
                break;
            }
            if (Args.is(argv[i], "auth")) {
                i += 1;
            } else if (Args.is(argv[i], "auth2")) {
                i += 2;
            }
        }
        List<KeyReference> keys = new ArrayList<>();
        for (int i = 0; i < num; i++) {
            keys.add(new KeyReference(first + i, RW_ACCESS_DELETE));
        }
        return keys;
    }

    /** georadiusGetKeys: the key, then the destination of the last STORE or STOREDIST. */
    private static List<KeyReference> georadiusKeys(byte[][] argv) {
        int stored = -1;
        for (int i = 5; i < argv.length; i++) {
            if ((Args.is(argv[i], "store") || Args.is(argv[i], "storedist")) && i + 1 < argv.length) {
                stored = i + 1;
                i++;
            }
        }
        List<KeyReference> keys = new ArrayList<>(List.of(new KeyReference(1, NO_FLAGS)));
        if (stored != -1) {
            keys.add(new KeyReference(stored, NO_FLAGS));
        }
        return keys;
    }

    /**
     * xreadGetKeys: the first half of what follows STREAMS, found by skipping BLOCK, COUNT, GROUP and
     * NOACK with their arguments; none if anything else comes first or the rest doesn't pair up.
     */
    private static List<KeyReference> xreadKeys(byte[][] argv) {
        int streams = -1;
        for (int i = 1; i < argv.length; i++) {
            if (Args.is(argv[i], "block") || Args.is(argv[i], "count")) {
                i++;
            } else if (Args.is(argv[i], "group")) {
                i += 2;
            } else if (Args.is(argv[i], "streams")) {
                streams = i;
                break;
            } else if (!Args.is(argv[i], "noack")) {
                break;
            }
        }
        int num = streams == -1 ? 0 : argv.length - streams - 1;
        List<KeyReference> keys = new ArrayList<>();
        if (num == 0 || num % 2 != 0) {
            return keys;
        }
        for (int i = 0; i < num / 2; i++) {
            keys.add(new KeyReference(streams + 1 + i, NO_FLAGS));
        }
        return keys;
    }

    /** setGetKeys: SET with a GET option reads and updates its key, otherwise it overwrites it. */
    private static List<KeyReference> setKeys(byte[][] argv) {
        for (int i = 3; i < argv.length; i++) {
            if (Args.is(argv[i], "get")) {
                return List.of(new KeyReference(1, RW_ACCESS_UPDATE));
            }
        }
        return List.of(new KeyReference(1, OW_UPDATE));
    }

    /**
     * bitfieldGetKeys: read-only when every operation is a complete GET (OVERFLOW aside); a SET, an
     * INCRBY or anything malformed counts as a write, the safe guess.
     */
    private static List<KeyReference> bitfieldKeys(byte[][] argv) {
        boolean readonly = true;
        for (int i = 2; i < argv.length && readonly; i++) {
            int remaining = argv.length - i - 1;
            if (Args.is(argv[i], "get") && remaining >= 2) {
                i += 2;
            } else if (Args.is(argv[i], "overflow") && remaining >= 1) {
                i += 1;
            } else {
                readonly = false;
            }
        }
        return List.of(new KeyReference(1, readonly ? RO_ACCESS : RW_ACCESS_UPDATE));
    }

    /**
     * C's atoi as glibc has it, (int) strtol: leading white space, an optional sign, the digits up to the
     * first other byte, saturated to the long range, then cut to 32 bits ("4294967297" is 1).
     */
    private static long atoi(byte[] s) {
        int i = 0;
        while (i < s.length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) {
            i++;
        }
        boolean negative = i < s.length && s[i] == '-';
        if (i < s.length && (s[i] == '+' || s[i] == '-')) {
            i++;
        }
        long v = 0;
        boolean saturated = false;
        for (; i < s.length && s[i] >= '0' && s[i] <= '9'; i++) {
            int digit = s[i] - '0';
            if (v > (Long.MAX_VALUE - digit) / 10) {
                saturated = true;
            } else {
                v = v * 10 + digit;
            }
        }
        long strtol = saturated ? (negative ? Long.MIN_VALUE : Long.MAX_VALUE) : (negative ? -v : v);
        return (int) strtol;
    }
}
