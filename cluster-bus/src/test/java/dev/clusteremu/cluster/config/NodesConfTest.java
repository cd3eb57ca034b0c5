package dev.clusteremu.cluster.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.clusteremu.cluster.NodeFlags.MASTER;
import static dev.clusteremu.cluster.NodeFlags.MYSELF;
import static dev.clusteremu.cluster.config.NodeLineFormatTest.line;
import static dev.clusteremu.cluster.config.NodeLineFormatTest.slots;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NodesConfTest {

    private static final String A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    /** nodes.conf as redis-server 7.0.15 wrote it, in a 4-node cluster with open slots and a failed master. */
    private static final String REDIS_FILE = """
            062053994d8f2b2a7de03dcd80595dfe0e112425 127.0.0.1:7221@17221,node-b.example master - 0 1795593357851 2 \
            connected 5461-10922
            fc4b84fed53cf0cc7570144acdd77656d949a086 127.0.0.1:7223@17223 slave,nofailover \
            9a6cba576d3e8d7b449ab5e8c99fb4c56eb44a12 0 1795593357648 1 connected
            9a6cba576d3e8d7b449ab5e8c99fb4c56eb44a12 127.0.0.1:7220@17220 myself,master - 0 1795593357000 1 connected \
            0-5460 [10->-dfe77fb54dc9c388473e3788101038aa6d7d377b] [5460->-062053994d8f2b2a7de03dcd80595dfe0e112425] \
            [16000-<-dfe77fb54dc9c388473e3788101038aa6d7d377b]
            dfe77fb54dc9c388473e3788101038aa6d7d377b 127.0.0.1:7222@17222 master,fail - 1795593356639 1795593356135 3 \
            disconnected 10923-16383
            vars currentEpoch 3 lastVoteEpoch 0
            """;

    @Test
    void redisFileParsesAndRendersBackByteForByte() throws Exception {
        NodesConf conf = NodesConf.parse(REDIS_FILE);
        assertEquals(4, conf.nodes().size());
        assertEquals("9a6cba576d3e8d7b449ab5e8c99fb4c56eb44a12", conf.myself().id());
        assertEquals(3, conf.currentEpoch());
        assertEquals(0, conf.lastVoteEpoch());
        assertEquals(REDIS_FILE, NodesConf.render(conf));
    }

    @Test
    void renderEndsWithVarsLineAndNewline() {
        NodesConf conf = new NodesConf(List.of(
                line(A, "127.0.0.1", 7000, 17000, "", MYSELF | MASTER, null, 0, 0, 7, true, slots(0, 16383)),
                line(B, "127.0.0.1", 7001, 17001, "", MASTER, null, 0, 0, 0, false, slots())), 7, 2);
        assertEquals(A + " 127.0.0.1:7000@17000 myself,master - 0 0 7 connected 0-16383\n"
                + B + " 127.0.0.1:7001@17001 master - 0 0 0 disconnected\n"
                + "vars currentEpoch 7 lastVoteEpoch 2\n", NodesConf.render(conf));
    }

    @Test
    void toleratesWhatRedisTolerates() throws Exception {
        // Newline padding left by an interrupted in-place rewrite, CRLF line ends, vars in any case, anywhere,
        // more than once, with unknown keys, and a last line without newline.
        String text = "VARS currentepoch 9 futureKnob 1\r\n\n"
                + A + " 127.0.0.1:7000@17000 myself,master - 0 0 7 connected 0-16383\r\n"
                + "\n\n"
                + "vars lastVoteEpoch 4 currentEpoch 8\n"
                + B + " 127.0.0.1:7001@17001 master - 0 0 0 disconnected";
        NodesConf conf = NodesConf.parse(text);
        assertEquals(List.of(A, B), conf.nodes().stream().map(NodeLine::id).toList());
        assertEquals(8, conf.currentEpoch());
        assertEquals(4, conf.lastVoteEpoch());
    }

    @Test
    void epochsDefaultToZeroWithoutVarsLine() throws Exception {
        NodesConf conf = NodesConf.parse(A + " :7000@17000 myself,master - 0 0 0 connected\n");
        assertEquals(0, conf.currentEpoch());
        assertEquals(0, conf.lastVoteEpoch());
    }

    @Test
    void refusesWhatRedisRefuses() {
        String myself = A + " :7000@17000 myself,master - 0 0 0 connected\n";
        assertRefused("no line carries the myself flag", "");
        assertRefused("no line carries the myself flag", "\n\nvars currentEpoch 1 lastVoteEpoch 0\n");
        assertRefused("line 2: myself again, already on line 1",
                myself + B + " :7001@17001 myself,master - 0 0 0 connected\n");
        assertRefused("line 2: only whitespace", myself + "   \n");
        assertRefused("line 2: vars needs name value pairs", myself + "vars currentEpoch 1 lastVoteEpoch\n");
        assertRefused("line 2: epoch 'x' is not an unsigned number", myself + "vars currentEpoch x\n");
        assertRefused("line 2: unknown flag in 'master,bogus'", myself + B + " :1@2 master,bogus - 0 0 0 connected\n");
        assertRefused("line 2: node " + A + " appears twice", myself + A + " :1@2 master - 0 0 0 connected\n");
    }

    @Test
    void recordRefusesAConfigRedisCouldNotLoad() {
        NodeLine master = line(A, "", 7000, 17000, "", MASTER, null, 0, 0, 0, true, slots());
        assertThrows(IllegalArgumentException.class, () -> new NodesConf(List.of(master), 0, 0));
    }

    private static void assertRefused(String message, String text) {
        ConfigFormatException e = assertThrows(ConfigFormatException.class, () -> NodesConf.parse(text));
        assertEquals(message, e.getMessage());
    }
}
