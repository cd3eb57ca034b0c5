package dev.clusteremu.server.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.commands.Commands;

/** Keys and key flags as COMMAND GETKEYSANDFLAGS reports them, from key specs or the key functions. */
class CommandKeysTest {

    /** "position:flag,flag" per key, for compact assertions. */
    private static List<String> keys(String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        CommandSpec spec = Commands.table().lookup(argv);
        List<String> out = new ArrayList<>();
        for (CommandKeys.KeyReference key : CommandKeys.find(spec, argv)) {
            out.add(key.pos() + ":" + String.join(",", key.flags()));
        }
        return out;
    }

    @Test
    void keySpecsFindEveryKeywordKeyWithItsFlags() {
        assertEquals(List.of("1:RO,access", "7:OW,update", "9:OW,update"),
                keys("georadius", "k", "0", "0", "1", "km", "STORE", "b", "STOREDIST", "c"));
        assertEquals(List.of("1:RO,access"), keys("georadius", "k", "0", "0", "1", "km", "STORE"));
        assertEquals(List.of("1:OW,update", "3:RO,access", "4:RO,access"), keys("zunionstore", "d", "2", "a", "b"));
    }

    @Test
    void anUnknownSpecLeavesItToTheKeyFunction() {
        assertEquals(List.of("1:RO,access", "3:OW,update"), keys("sort", "a", "STORE", "b"));
        assertEquals(List.of("1:RO,access"), keys("sort_ro", "a", "BY", "x"));
        assertEquals(List.of("7:RW,access,delete", "8:RW,access,delete"),
                keys("migrate", "h", "1", "", "0", "10", "KEYS", "a", "b"));
    }

    @Test
    void aCountThatIsNotANumberIsReadWithAtoiAndTheDestinationComesLast() {
        assertEquals(List.of("3:", "4:", "1:"), keys("zunionstore", "d", "2x", "a", "b"));
        assertEquals(List.of("3:", "1:"), keys("zunionstore", "d", "4294967297x", "a"));
        assertEquals(List.of(), keys("zunionstore", "d", "99999999999999999999x", "a"));
        assertEquals(List.of("1:OW,update", "3:RO,access"), keys("zunionstore", "d", "4294967297", "a"));
    }

    @Test
    void variableFlagsComeFromTheArguments() {
        assertEquals(List.of("1:OW,update"), keys("set", "k", "v", "EX", "10"));
        assertEquals(List.of("1:RW,access,update"), keys("set", "k", "v", "get"));
        assertEquals(List.of("1:RO,access"), keys("bitfield", "k", "GET", "u4", "0", "OVERFLOW", "SAT"));
        assertEquals(List.of("1:RW,access,update"), keys("bitfield", "k", "GET", "u4", "0", "SET", "u4", "0", "1"));
        assertEquals(List.of("1:RW,access,update"), keys("bitfield", "k", "GET", "u4"));
    }

    @Test
    void shardChannelsAreNoKeysButSortIsAKeyCommand() {
        assertFalse(CommandKeys.hasKeys(Commands.table().get("spublish")));
        assertFalse(CommandKeys.hasKeys(Commands.table().get("publish")));
        assertTrue(CommandKeys.hasKeys(Commands.table().get("sort")));
        assertTrue(CommandKeys.hasKeys(Commands.table().get("get")));
    }
}
