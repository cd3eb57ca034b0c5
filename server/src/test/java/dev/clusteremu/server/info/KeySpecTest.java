package dev.clusteremu.server.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.clusteremu.server.command.CommandSpec;

/** Key specs as COMMAND INFO reports them and as getKeysUsingKeySpecs walks them. */
class KeySpecTest {

    private static byte[][] argv(String... args) {
        byte[][] out = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            out[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return out;
    }

    private static CommandSpec row(String name, int arity, String flags, int first, int last, int step) {
        return CommandSpec.command(name, arity, flags).keys(first, last, step).handler((c, a) -> { }).build();
    }

    @Test
    void redisCommandsGetRedisSpecsWithFlagsInReplyOrder() {
        KeySpec set = KeySpec.of(row("set", -3, "write denyoom", 1, 1, 1)).get(0);
        assertEquals(List.of("RW", "access", "update", "variable_flags"), set.flags());
        assertEquals("RW and ACCESS due to the optional `GET` argument", set.notes());
        KeySpec bitfield = KeySpec.of(row("bitfield", -2, "write denyoom", 1, 1, 1)).get(0);
        assertEquals(List.of("RW", "access", "update", "variable_flags"), bitfield.flags());
        assertEquals(2, KeySpec.of(row("migrate", -6, "write", 3, 3, 1)).size());
    }

    @Test
    void commandsRedisDoesNotHaveGetASpecFromTheirKeyRange() {
        KeySpec derived = KeySpec.of(row("emu-only", -2, "readonly", 1, -1, 2)).get(0);
        assertEquals(List.of("RO", "access"), derived.flags());
        assertEquals(List.of(1, 3), derived.positions(argv("emu-only", "k1", "v", "k2", "v")));
        assertEquals(List.of(), KeySpec.of(CommandSpec.command("nokeys", 1, "").build()));
    }

    @Test
    void keywordSpecsStartAfterTheKeyword() {
        KeySpec streams = new KeySpec(List.of("RO", "access"), null, "STREAMS", 1, "range", -1, 1, 2);
        assertEquals(List.of(4, 5), streams.positions(argv("xread", "count", "2", "streams", "a", "b", "0", "0")));
        assertEquals(List.of(), streams.positions(argv("xread", "count", "2")));
    }

    @Test
    void anIncompleteSpecFailsOnlyOnceItsKeywordIsFound() {
        KeySpec keys = new KeySpec(List.of("RW", "access", "delete", "incomplete"), null, "KEYS", -2, "range", -1, 1, 0);
        assertEquals(List.of(), keys.positions(argv("migrate", "h", "1", "k", "0", "10")));
        assertNull(keys.positions(argv("migrate", "h", "1", "", "0", "10", "KEYS", "a")));
    }

    @Test
    void keynumSpecsReadTheirKeyCount() {
        KeySpec eval = new KeySpec(List.of("RW", "access", "update"), null, null, 2, "keynum", 0, 1, 1);
        assertEquals(List.of(3, 4), eval.positions(argv("eval", "script", "2", "a", "b", "arg")));
        assertNull(eval.positions(argv("eval", "script", "x", "a")));
        assertNull(eval.positions(argv("eval", "script", "0")));
    }

    @Test
    void bytesToHumanUsesPowersOf1024() {
        assertEquals("0B", InfoReport.bytesToHuman(0));
        assertEquals("1023B", InfoReport.bytesToHuman(1023));
        assertEquals("1.00K", InfoReport.bytesToHuman(1024));
        assertEquals("1.59M", InfoReport.bytesToHuman(1664856));
        assertEquals("23.54G", InfoReport.bytesToHuman(25276502016L));
    }
}
