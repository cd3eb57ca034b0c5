package dev.clusteremu.server.info;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import org.junit.jupiter.api.Test;

import dev.clusteremu.server.command.CommandSpec;
import dev.clusteremu.server.commands.Commands;
import dev.clusteremu.server.resp.RespWriter;

/** COMMAND DOCS entries, byte for byte as redis-server 7.0.15 writes them. */
class CommandDocsTest {

    private static String written(int protocol, CommandSpec spec) {
        ByteBuf out = Unpooled.buffer();
        try {
            CommandDocs.write(new RespWriter(out, protocol), spec);
            return new String(ByteBufUtil.getBytes(out), UTF_8);
        } finally {
            out.release();
        }
    }

    private static CommandSpec row(String name) {
        return CommandSpec.command(name, -2, "").handler((c, argv) -> { }).build();
    }

    @Test
    void historyNestedArgumentsAndTheirFlagsAsRedisWritesThem() {
        String key = "$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n";
        String seconds = "$4\r\nname\r\n$7\r\nseconds\r\n$4\r\ntype\r\n$7\r\ninteger\r\n";
        String condition = "$4\r\nname\r\n$9\r\ncondition\r\n$4\r\ntype\r\n$5\r\noneof\r\n$5\r\nsince\r\n$5\r\n7.0.0\r\n"
                + "$5\r\nflags\r\n";
        StringBuilder tokens2 = new StringBuilder();
        StringBuilder tokens3 = new StringBuilder();
        for (String token : new String[] {"NX", "XX", "GT", "LT"}) {
            String fields = "$4\r\nname\r\n$2\r\n" + token.toLowerCase() + "\r\n$4\r\ntype\r\n$10\r\npure-token\r\n"
                    + "$5\r\ntoken\r\n$2\r\n" + token + "\r\n";
            tokens2.append("*6\r\n").append(fields);
            tokens3.append("%3\r\n").append(fields);
        }
        String head = "$7\r\nsummary\r\n$35\r\nSet a key's time to live in seconds\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n"
                + "$5\r\ngroup\r\n$7\r\ngeneric\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$7\r\nhistory\r\n";
        String history = "*2\r\n$5\r\n7.0.0\r\n$41\r\nAdded options: `NX`, `XX`, `GT` and `LT`.\r\n$9\r\narguments\r\n*3\r\n";
        assertEquals("*12\r\n" + head + "*1\r\n" + history + "*6\r\n" + key + "*4\r\n" + seconds + "*10\r\n" + condition
                + "*1\r\n+optional\r\n$9\r\narguments\r\n*4\r\n" + tokens2, written(2, row("expire")));
        assertEquals("%6\r\n" + head + "~1\r\n" + history + "%3\r\n" + key + "%2\r\n" + seconds + "%5\r\n" + condition
                + "~1\r\n+optional\r\n$9\r\narguments\r\n*4\r\n" + tokens3, written(3, row("expire")));
    }

    @Test
    void deprecationAsRedisWritesIt() {
        String complexity = "O(N) where N is the length of the returned string. The complexity is ultimately determined"
                + " by the returned length, but because creating a substring from an existing string is very cheap,"
                + " it can be considered O(1) for small strings.";
        assertEquals("%8\r\n$7\r\nsummary\r\n$45\r\nGet a substring of the string stored at a key\r\n"
                + "$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$231\r\n" + complexity + "\r\n"
                + "$9\r\ndoc_flags\r\n~1\r\n+deprecated\r\n$16\r\ndeprecated_since\r\n$5\r\n2.0.0\r\n"
                + "$11\r\nreplaced_by\r\n$10\r\n`GETRANGE`\r\n$9\r\narguments\r\n*3\r\n"
                + "%3\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n"
                + "%2\r\n$4\r\nname\r\n$5\r\nstart\r\n$4\r\ntype\r\n$7\r\ninteger\r\n"
                + "%2\r\n$4\r\nname\r\n$3\r\nend\r\n$4\r\ntype\r\n$7\r\ninteger\r\n", written(3, row("substr")));
    }

    @Test
    void aContainerNestsTheSubcommandsItHas() {
        CommandSpec object = CommandSpec.command("object", -2, "")
                .sub(CommandSpec.command("encoding", 3, "readonly").handler((c, argv) -> { })).build();
        CommandSpec encoding = object.subcommands().get("encoding");
        assertEquals("%5\r\n$7\r\nsummary\r\n$45\r\nA container for object introspection commands\r\n"
                + "$5\r\nsince\r\n$5\r\n2.2.3\r\n$5\r\ngroup\r\n$7\r\ngeneric\r\n"
                + "$10\r\ncomplexity\r\n$22\r\nDepends on subcommand.\r\n$11\r\nsubcommands\r\n%1\r\n"
                + "$15\r\nobject|encoding\r\n" + written(3, encoding), written(3, object));
        assertTrue(written(3, encoding).startsWith("%5\r\n$7\r\nsummary\r\n$47\r\nInspect the internal encoding"),
                written(3, encoding));
    }

    @Test
    void aCommandRedisDoesNotDocumentHasNoDocs() {
        assertEquals("*0\r\n", written(2, row("emu-only")));
        assertEquals("%0\r\n", written(3, row("emu-only")));
    }

    @Test
    void everyCommandOfTheTableIsDocumented() {
        for (CommandSpec spec : Commands.table().all()) {
            assertTrue(written(3, spec).contains("$5\r\ngroup\r\n"), spec.fullName());
            for (CommandSpec sub : spec.subcommands().values()) {
                assertTrue(written(3, sub).contains("$5\r\ngroup\r\n"), sub.fullName());
            }
        }
    }
}
