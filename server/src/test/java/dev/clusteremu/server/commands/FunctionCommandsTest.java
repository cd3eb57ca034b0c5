package dev.clusteremu.server.commands;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The FUNCTION family: the empty library set, a library loaded, called, dumped and restored, and Redis's
 * errors for bad libraries and arguments, replies byte for byte as redis-server 7.0.15 gives them.
 */
class FunctionCommandsTest {
    /** What redis-server 7.0.15 answers to FUNCTION DUMP with no library: the RDB version and its CRC-64. */
    private static final byte[] EMPTY_DUMP = HexFormat.of().parseHex("0a005d9b5c400f7fa2da");
    /** redis-server 7.0.15's FUNCTION DUMP after FUNCTION LOAD of LIBRARY. */
    private static final byte[] LIBRARY_DUMP = HexFormat.of().parseHex("f5404623216c7561206e616d653d6d796c69620a"
            + "72656469732e72656769737465725f66756e6374696f6e282766272c2066756e6374696f6e28292072657475726e20312065"
            + "6e64290a00c531defc4ff44599");
    private static final String LIBRARY = "#!lua name=mylib\nredis.register_function('f', function() return 1 end)";

    private static MigrationTestCluster cluster;
    private RespClient c;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = MigrationTestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void connect() {
        c = new RespClient(cluster.port(0));
        c.call("FUNCTION", "FLUSH");
    }

    @AfterEach
    void disconnect() {
        c.close();
    }

    @Test
    void theEmptyLibraryListsDumpsAndRestores() {
        assertEquals("*0\r\n", c.call("FUNCTION", "LIST"));
        assertEquals("*0\r\n", c.call("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "my*"));
        assertEquals("$10\r\n" + new String(EMPTY_DUMP, ISO_8859_1) + "\r\n", c.call("FUNCTION", "DUMP"));
        assertEquals("+OK\r\n", c.call("FUNCTION", "RESTORE", EMPTY_DUMP));
        for (String policy : new String[] {"FLUSH", "append", "Replace"}) {
            assertEquals("+OK\r\n", c.call("FUNCTION", "RESTORE", EMPTY_DUMP, policy));
        }
        assertEquals("+OK\r\n", c.call("FUNCTION", "FLUSH"));
        assertEquals("+OK\r\n", c.call("FUNCTION", "FLUSH", "ASYNC"));
    }

    @Test
    void aLibraryLoadsRunsDumpsAndRestoresAsOnRedis() {
        assertEquals("$5\r\nmylib\r\n", c.call("FUNCTION", "LOAD", LIBRARY));
        assertEquals("-ERR Library 'mylib' already exists\r\n", c.call("FUNCTION", "LOAD", LIBRARY));
        assertEquals("$5\r\nmylib\r\n", c.call("FUNCTION", "LOAD", "REPLACE", LIBRARY));
        assertEquals(":1\r\n", c.call("FCALL", "F", "0"));
        assertEquals("*1\r\n*6\r\n$12\r\nlibrary_name\r\n$5\r\nmylib\r\n$6\r\nengine\r\n$3\r\nLUA\r\n"
                + "$9\r\nfunctions\r\n*1\r\n*6\r\n$4\r\nname\r\n$1\r\nf\r\n$11\r\ndescription\r\n$-1\r\n"
                + "$5\r\nflags\r\n*0\r\n", c.call("FUNCTION", "LIST"));
        assertEquals("$" + LIBRARY_DUMP.length + "\r\n" + new String(LIBRARY_DUMP, ISO_8859_1) + "\r\n",
                c.call("FUNCTION", "DUMP"));
        assertEquals("-ERR Library mylib already exists\r\n", c.call("FUNCTION", "RESTORE", LIBRARY_DUMP));
        assertEquals("+OK\r\n", c.call("FUNCTION", "RESTORE", LIBRARY_DUMP, "REPLACE"));
        assertEquals("+OK\r\n", c.call("FUNCTION", "DELETE", "mylib"));
        assertEquals("-ERR Function not found\r\n", c.call("FCALL", "f", "0"));
        assertEquals("+OK\r\n", c.call("FUNCTION", "RESTORE", LIBRARY_DUMP));
        assertEquals("-ERR Can not execute a script with write flag using *_ro command.\r\n",
                c.call("FCALL_RO", "f", "0"));
        assertEquals("+OK\r\n", c.call("FUNCTION", "FLUSH"));
    }

    @Test
    void badLibrariesAreRefusedWithRedisMessages() {
        assertEquals("-ERR Engine 'py' not found\r\n", c.call("FUNCTION", "LOAD", "#!py name=x\nfoo"));
        assertEquals("-ERR No functions registered\r\n", c.call("FUNCTION", "LOAD", "#!lua name=x\nlocal a = 1"));
        assertEquals("-ERR Invalid library metadata\r\n", c.call("FUNCTION", "LOAD", "#!lua name=x"));
        assertEquals("-ERR Missing library metadata\r\n", c.call("FUNCTION", "LOAD", "lua name=x\n"));
        assertEquals("-ERR Library names can only contain letters, numbers, or underscores(_) and must be at least "
                + "one character long\r\n", c.call("FUNCTION", "LOAD", "#!lua name=x-y\n"));
        assertEquals("-ERR Invalid metadata value given: foo=x\r\n", c.call("FUNCTION", "LOAD", "#!lua foo=x\n"));
        assertEquals("-ERR Library name was not given\r\n", c.call("FUNCTION", "LOAD", "#!lua\n"));
        assertEquals("-ERR Invalid metadata value, name argument was given multiple times\r\n",
                c.call("FUNCTION", "LOAD", "#!lua name=a name=b\n"));
        assertEquals("-ERR Unknown option given: bogus\r\n", c.call("FUNCTION", "LOAD", "bogus", "#!lua name=a\n"));
        assertEquals("-ERR given type is not a function\r\n",
                c.call("FUNCTION", "RESTORE", HexFormat.of().parseHex("000a6f6b0a008c6effe55ecc558f")));
    }

    @Test
    void badArgumentsGetRedisErrors() {
        assertEquals("-ERR library name argument was not given\r\n", c.call("FUNCTION", "LIST", "LIBRARYNAME"));
        assertEquals("-ERR Unknown argument bogus\r\n", c.call("FUNCTION", "LIST", "bogus"));
        assertEquals("-ERR Unknown argument withcode\r\n", c.call("FUNCTION", "LIST", "withcode", "withcode"));
        assertEquals("-ERR unknown subcommand or wrong number of arguments for 'RESTORE'. Try FUNCTION HELP.\r\n",
                c.call("FUNCTION", "RESTORE", "x", "y", "z"));
        assertEquals("-ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.\r\n",
                c.call("FUNCTION", "RESTORE", "x", "y"));
        assertEquals("-ERR DUMP payload version or checksum are wrong\r\n", c.call("FUNCTION", "RESTORE", "x"));
        assertEquals("-ERR Library not found\r\n", c.call("FUNCTION", "DELETE", "nolib"));
        assertEquals("-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n", c.call("FUNCTION", "FLUSH", "now"));
        assertEquals("-ERR unknown subcommand or wrong number of arguments for 'FLUSH'. Try FUNCTION HELP.\r\n",
                c.call("FUNCTION", "FLUSH", "sync", "now"));
        assertEquals("-ERR wrong number of arguments for 'function' command\r\n", c.call("FUNCTION"));
    }
}
