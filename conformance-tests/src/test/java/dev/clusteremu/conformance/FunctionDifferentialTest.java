package dev.clusteremu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis Functions against redis-server 7.0.15, replies compared byte for byte: FUNCTION LOAD with its
 * metadata, registration and load-time sandbox, FCALL and FCALL_RO with function flags, the errors of
 * every subcommand, FUNCTION DUMP payloads (identical bytes, and each server restoring the other's), and
 * what replicas receive. Redis lists libraries, and a library's functions, in its hash tables' order,
 * seeded at random: lists of several libraries are compared as sets, and tested libraries have one
 * function each where order would show.
 */
@ExtendWith(DifferentialExtension.class)
class FunctionDifferentialTest {
    private static final String LIB = "#!lua name=mylib\nredis.register_function('f', function() return 1 end)";

    @BeforeEach
    void noLibraries(DifferentialSession session) {
        session.check("FUNCTION", "FLUSH");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The payload of a FUNCTION DUMP reply. */
    private static byte[] payload(Reply dump) {
        return ((Reply.Bulk) dump).bytes();
    }

    private static void load(DifferentialSession session, String... codes) {
        for (String code : codes) {
            session.check("FUNCTION", "LOAD", code);
        }
    }

    @Test
    void librariesLoadListAndRun(DifferentialSession session) {
        load(session, LIB, LIB);
        session.check("FUNCTION", "LOAD", "REPLACE", LIB);
        session.check("FUNCTION", "LOAD", "replace", "REPLACE", LIB);
        session.check("FUNCTION", "LIST");
        session.check("FUNCTION", "LIST", "WITHCODE");
        session.check("FUNCTION", "LIST", "LIBRARYNAME", "MY*");
        session.check("FUNCTION", "LIST", "LIBRARYNAME", "x*", "WITHCODE");
        session.check("FCALL", "f", "0");
        session.check("FCALL", "F", "0");
        session.check("FCALL_RO", "f", "0");
        load(session,
                "#!lua name=lib2\nredis.register_function{function_name='g', callback=function(keys, args) "
                        + "return {keys, args} end, flags={'no-writes', 'allow-oom'}, description='desc'}",
                "#!lua name=lib3\nredis.register_function{function_name='h', callback=function(k, a) "
                        + "return redis.call('set', k[1], a[1]) end, flags={'ALLOW-STALE', 'no-cluster'}}",
                "#!lua name=lib4\nlocal t = {n = 0}\nredis.register_function('counter', function() t.n = t.n + 1 "
                        + "return t.n end)",
                "#!lua name=lib5\nredis.register_function('keys', function() return KEYS end)");
        session.check("FUNCTION", "LIST", "LIBRARYNAME", "lib2");
        session.check("FUNCTION", "LIST", "LIBRARYNAME", "lib3");
        session.checkMasked(ReplyMasker.unordered(), "FUNCTION", "LIST");
        session.check("FCALL", "g", "1", "k", "a");
        session.check("FCALL_RO", "g", "2", "{x}1", "{x}2", "a", "b");
        session.check("FCALL", "h", "1", "k", "v");
        session.check("FCALL", "counter", "0");
        session.check("FCALL", "counter", "0");
        session.check("FCALL", "keys", "0");
        session.check("FCALL", "nosuch", "0");
        session.check("FCALL", "g", "x");
        session.check("FCALL", "g", "2", "k");
        session.check("FCALL", "g", "-1");
        session.check("FCALL", "g", "2", "a", "b");
        session.check("FCALL");
        session.check("FUNCTION", "STATS");
        session.check("FUNCTION", "DELETE", "lib3");
        session.check("FUNCTION", "DELETE", "lib3");
        session.check("FCALL", "h", "1", "k", "v");
        session.check("FUNCTION", "FLUSH", "ASYNC");
        session.check("FUNCTION", "LIST");
        session.check("FUNCTION", "STATS");
    }

    @Test
    void functionsSeeTheRedisApiAtCallTimeOnly(DifferentialSession session) {
        String[] bodies = {
            "redis.register_function('f', function() return 1 end)",
            "local x = 1",
            "redis.call('ping')",
            "string.len('x')",
            "return 1 +",
            "error('boom')",
            "x = 1",
            "redis.register_function()",
            "redis.register_function('x-y', function() end)",
            "redis.register_function('', function() end)",
            "redis.register_function(1, function() end)",
            "redis.register_function('a', 'b')",
            "redis.register_function('a', function() end, 3)",
            "redis.register_function('a')",
            "redis.register_function({})",
            "redis.register_function({function_name='a'})",
            "redis.register_function({callback=function() end})",
            "redis.register_function({function_name='a', callback=function() end, flags={'bad'}})",
            "redis.register_function({function_name='a', callback=function() end, flags='no-writes'})",
            "redis.register_function({function_name='a', callback=function() end, flags={1}})",
            "redis.register_function({function_name='a', callback=function() end, what=1})",
            "redis.register_function({function_name='a', callback=1})",
            "redis.register_function({function_name={}, callback=function() end})",
            "redis.register_function({function_name='a', description={}, callback=function() end})",
            "redis.register_function('a', function() end) redis.register_function('a', function() end)",
            "redis.register_function('f1', function() return redis.setresp(3) end)",
            "redis.log(redis.LOG_NOTICE, 'loading', redis.REDIS_VERSION) redis.register_function('f2', function() return 2 end)",
            "redis.register_function('f3', function() return {redis.REDIS_VERSION, type(redis.call), type(math), "
                    + "type(cjson), type(redis.breakpoint)} end)",
            "redis.register_function('f4', function() y = 2 end)",
            "redis.register_function('f5', function() return undefined end)",
            "redis.register_function('f6', function() error('bad') end)",
            "redis.register_function('f7', function() return redis.call('nosuch') end)",
            "redis.register_function('f8', function() return redis.call('set', 'k', 'v') end)",
        };
        int n = 0;
        for (String body : bodies) {
            session.check("FUNCTION", "LOAD", "#!lua name=lib" + n++ + "\n" + body);
        }
        for (String f : new String[] {"f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8"}) {
            session.check("FCALL", f, "0");
            session.check("FCALL_RO", f, "0");
        }
        session.check("FUNCTION", "LOAD", "#!lua name=dup\nredis.register_function('f1', function() end)");
        session.check("FUNCTION", "LOAD", "#!lua name=spin\nwhile true do end");
    }

    @Test
    void badLibrariesAndArgumentsGetRedisErrors(DifferentialSession session) {
        String[] codes = {
            "#!py name=x\nfoo", "#!lua name=x", "lua name=x\n", "#!lua name=x-y\n", "#!lua foo=x\n", "#!lua\n",
            "#!lua name=a name=b\n", "#!lua NAME=up\nredis.register_function('u', function() end)", "#!LUA name=e\nx",
            "#!lua name=\"q\"\nredis.register_function('q', function() end)", "#!lua name='unbalanced\n", "",
        };
        for (String code : codes) {
            session.check("FUNCTION", "LOAD", code);
        }
        session.check("FUNCTION", "LOAD", "bogus", "#!lua name=a\n");
        session.check("FUNCTION", "LOAD", "REPLACE");
        session.check("FUNCTION", "LOAD");
        session.check("FUNCTION", "LIST", "LIBRARYNAME");
        session.check("FUNCTION", "LIST", "bogus");
        session.check("FUNCTION", "LIST", "withcode", "withcode");
        session.check("FUNCTION", "RESTORE", "x", "y", "z");
        session.check("FUNCTION", "RESTORE", "x", "y");
        session.check("FUNCTION", "RESTORE", "x");
        session.check("FUNCTION", "DELETE", "nolib");
        session.check("FUNCTION", "DELETE");
        session.check("FUNCTION", "FLUSH", "now");
        session.check("FUNCTION", "FLUSH", "sync", "now");
        session.check("FUNCTION", "KILL");
        session.check("FUNCTION", "STATS", "x");
        session.check("FUNCTION", "DUMP", "x");
        session.check("FUNCTION", "HELP");
        session.check("FUNCTION", "NOSUCH");
        session.check("FUNCTION");
    }

    @Test
    void dumpPayloadsAreRedissOwnAndRestoreAcrossServers(DifferentialSession session) {
        session.check("FUNCTION", "DUMP");
        load(session, LIB);
        byte[] dump = payload(session.check("FUNCTION", "DUMP"));
        session.check(bytes("FUNCTION"), bytes("RESTORE"), dump);
        session.check(bytes("FUNCTION"), bytes("RESTORE"), dump, bytes("REPLACE"));
        session.check(bytes("FUNCTION"), bytes("RESTORE"), dump, bytes("FLUSH"));
        session.check(bytes("FUNCTION"), bytes("RESTORE"), dump, bytes("bad"));
        session.check("FUNCTION", "FLUSH");
        session.check(bytes("FUNCTION"), bytes("RESTORE"), dump, bytes("APPEND"));
        session.check("FCALL", "f", "0");
        String longLibrary = "#!lua name=big\n" + "-- a comment long enough to be worth compressing\n".repeat(20)
                + "redis.register_function('big', function() return 'big' end)";
        load(session, longLibrary);
        session.check("FUNCTION", "DELETE", "mylib");
        // One library, so one order: the payload is compressed the same way, byte for byte.
        session.check("FUNCTION", "DUMP");

        // Each server restores the other's payload.
        byte[] fromReference = payload(session.referenceClient().call("FUNCTION", "DUMP"));
        byte[] fromCandidate = payload(session.candidateClient().call("FUNCTION", "DUMP"));
        session.check("FUNCTION", "FLUSH");
        assertEquals(Reply.status("OK"), session.candidateClient().call(bytes("FUNCTION"), bytes("RESTORE"),
                fromReference));
        assertEquals(Reply.status("OK"), session.referenceClient().call(bytes("FUNCTION"), bytes("RESTORE"),
                fromCandidate));
        session.check("FCALL", "big", "0");
        session.check(bytes("FUNCTION"), bytes("RESTORE"), java.util.HexFormat.of().parseHex("000a6f6b0a008c6effe55ecc558f"));
    }

    @Test
    void replicasReceiveLibraryChangesAndWhatFunctionsRan(DifferentialSession session) {
        try (ReplicationProbe reference = ReplicationProbe.attach(session.reference());
             ReplicationProbe candidate = ReplicationProbe.attach(session.candidate())) {
            load(session, LIB, "#!lua name=w\nredis.register_function('w', function(k) redis.call('set', k[1], '1') "
                    + "redis.call('incr', k[1]) return 1 end)");
            session.check("FUNCTION", "LOAD", "REPLACE", LIB);
            session.check("FUNCTION", "LOAD", LIB);
            session.check("FCALL", "w", "1", "k");
            session.check("FCALL", "f", "0");
            session.check("FUNCTION", "DELETE", "w");
            byte[] dump = payload(session.check("FUNCTION", "DUMP"));
            session.check(bytes("FUNCTION"), bytes("RESTORE"), dump, bytes("REPLACE"));
            session.check("FUNCTION", "FLUSH", "sync");
            session.check("FUNCTION", "FLUSH");
            List<String> marker = List.of("SET", "propagation-marker", "end");
            session.check(marker.toArray(String[]::new));
            assertEquals(reference.until(marker), candidate.until(marker));
        }
    }
}
