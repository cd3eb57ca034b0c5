package dev.clusteremu.conformance;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MOVE and SWAPDB, which a cluster node refuses (it has database 0 only), and MODULE on a node without
 * modules, against redis-server 7.0 in cluster mode: replies, errors in Redis's order (arity first, then
 * routing for MOVE's key, then the command's own refusal), and the commands' COMMAND INFO.
 */
@ExtendWith(DifferentialExtension.class)
class DatabaseAndModuleCommandsDifferentialTest {

    @Test
    void moveAndSwapdbAreRefusedInClusterMode(DifferentialSession session) {
        session.check("SET", "foo", "bar");
        session.check("MOVE", "foo", "1");
        session.check("MOVE", "missing", "0");
        session.check("MOVE", "foo", "notanumber");
        session.check("MOVE", "foo");
        session.check("MOVE", "foo", "1", "2");
        session.check("SWAPDB", "0", "1");
        session.check("SWAPDB", "a", "b");
        session.check("SWAPDB", "0");
        session.check("GET", "foo");
        session.check("MULTI");
        session.check("MOVE", "foo", "1");
        session.check("SWAPDB", "0", "1");
        session.check("EXEC");
    }

    @Test
    void moduleAnswersAsANodeWithoutModules(DifferentialSession session) {
        session.check("MODULE", "LIST");
        session.check("MODULE", "HELP");
        session.check("MODULE", "LOAD", "/nonexistent/module.so");
        session.check("MODULE", "LOAD", "/nonexistent/module.so", "arg1", "arg2");
        session.check("MODULE", "LOADEX", "/nonexistent/module.so", "CONFIG", "a", "b", "ARGS", "x");
        session.check("MODULE", "UNLOAD", "mymodule");
        session.check("MODULE", "LIST", "extra");
        session.check("MODULE", "HELP", "extra");
        session.check("MODULE", "LOAD");
        session.check("MODULE", "UNLOAD");
        session.check("MODULE", "UNLOAD", "a", "b");
        session.check("MODULE", "NOSUCH");
        session.check("MODULE");
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.check("MODULE", "LIST");
        session.check("INFO", "modules");
    }

    @Test
    void commandsAreDescribedAsRedisDescribesThem(DifferentialSession session) {
        session.check("COMMAND", "INFO", "move", "swapdb", "module|list", "module|help", "module|load",
                "module|loadex", "module|unload");
        session.checkMasked(subcommandsUnordered(), "COMMAND", "INFO", "module");
        session.check("COMMAND", "GETKEYS", "MOVE", "key", "1");
        session.checkMasked(ReplyMasker.unordered(), "COMMAND", "LIST", "FILTERBY", "PATTERN", "module*");
        session.checkMasked(ReplyMasker.unordered(), "COMMAND", "LIST", "FILTERBY", "PATTERN", "*db*");
        session.checkMasked(ReplyMasker.unordered(), "COMMAND", "LIST", "FILTERBY", "ACLCAT", "keyspace");
    }

    /**
     * A container's COMMAND INFO lists its subcommands in the order of Redis's dict of them, a hash order:
     * the list is compared as a multiset.
     */
    static ReplyMasker subcommandsUnordered() {
        return reply -> {
            if (!(reply instanceof Reply.Array outer)) {
                return reply;
            }
            List<Reply> entries = new ArrayList<>();
            for (Reply entry : outer.elements()) {
                if (entry instanceof Reply.Array info && info.elements().size() == 10) {
                    List<Reply> fields = new ArrayList<>(info.elements());
                    fields.set(9, ReplyMasker.unordered().mask(fields.get(9)));
                    entries.add(new Reply.Array(fields));
                } else {
                    entries.add(entry);
                }
            }
            return new Reply.Array(entries);
        };
    }
}
