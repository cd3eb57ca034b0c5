package dev.clusteremu.cluster.config;

import dev.clusteremu.cluster.NodeFlags;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The content of a nodes-&lt;port&gt;.conf file: one line per known node, then the epochs this node must
 * never forget across a restart ({@code clusterSaveConfig}, {@code clusterLoadConfig}).
 *
 * <p>The record holds the file as written. What the loader does with it afterwards is the caller's:
 * Redis resets a replica's configEpoch to 0, turns non-zero ping/pong times into "now", and raises
 * currentEpoch to the largest configEpoch of the file if it is smaller. Redis also leaves HANDSHAKE nodes
 * out when saving; {@link #render} writes whatever lines it is given.
 *
 * @param nodes         the node lines in file order; exactly one carries the myself flag, no id twice
 * @param currentEpoch  the cluster's current epoch as this node knows it
 * @param lastVoteEpoch the epoch of this node's last failover vote, so it cannot vote twice in one epoch
 *                      after a restart
 */
public record NodesConf(List<NodeLine> nodes, long currentEpoch, long lastVoteEpoch) {

    /**
     * Checks that the file would be loadable: Redis refuses a file without a myself line (and asserts on
     * a second one). Throws IllegalArgumentException otherwise.
     */
    public NodesConf {
        nodes = List.copyOf(nodes);
        Set<String> ids = new HashSet<>();
        int myselfCount = 0;
        for (NodeLine node : nodes) {
            if (!ids.add(node.id())) {
                throw new IllegalArgumentException("node " + node.id() + " appears twice");
            }
            if ((node.flags() & NodeFlags.MYSELF) != 0) {
                myselfCount++;
            }
        }
        if (myselfCount != 1) {
            throw new IllegalArgumentException("exactly one node must carry the myself flag, found "
                    + myselfCount);
        }
    }

    /** The line of the node that owns this file. */
    public NodeLine myself() {
        return nodes.stream().filter(n -> (n.flags() & NodeFlags.MYSELF) != 0).findFirst().orElseThrow();
    }

    /**
     * The file content exactly as redis-server 7.0 writes it: every line followed by "\n", then
     * {@code vars currentEpoch <n> lastVoteEpoch <n>} and a final "\n".
     */
    public static String render(NodesConf conf) {
        StringBuilder sb = new StringBuilder();
        for (NodeLine node : conf.nodes()) {
            sb.append(NodeLineFormat.format(node)).append('\n');
        }
        // Both epochs are printed with %llu.
        sb.append("vars currentEpoch ").append(Long.toUnsignedString(conf.currentEpoch()))
                .append(" lastVoteEpoch ").append(Long.toUnsignedString(conf.lastVoteEpoch()))
                .append('\n');
        return sb.toString();
    }

    /**
     * Reads a file's content, accepting what Redis 7.0's loader accepts: empty lines anywhere (Redis
     * pads with newlines when it rewrites a longer file in place), "\r\n" line ends, a "vars" line
     * anywhere and more than once, with keys in any case and unknown keys skipped. Epochs not given stay
     * 0. Unlike Redis, a node id appearing on two lines is refused rather than merged.
     *
     * <p>An empty text has no myself line and is refused here too; a zero-length file means "no
     * config yet", which {@link NodesConfFile#load} answers before parsing.
     *
     * @throws ConfigFormatException naming the line and what is wrong with it
     */
    public static NodesConf parse(String text) throws ConfigFormatException {
        List<NodeLine> nodes = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        long currentEpoch = 0;
        long lastVoteEpoch = 0;
        int myselfLine = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            // Only a truly empty line is skipped. A line of whitespace leaves Redis with no fields at all
            // and it does not start; "\r\n" line ends are fine since '\r' is a separator.
            if (lines[i].isEmpty()) {
                continue;
            }
            List<String> fields = NodeLineFormat.splitArgs(lines[i]);
            if (fields.isEmpty()) {
                throw new ConfigFormatException("line " + number + ": only whitespace");
            }
            if (fields.get(0).equalsIgnoreCase("vars")) {
                if (fields.size() % 2 == 0) {
                    throw new ConfigFormatException("line " + number + ": vars needs name value pairs");
                }
                for (int j = 1; j < fields.size(); j += 2) {
                    switch (fields.get(j).toLowerCase(Locale.ROOT)) {
                        case "currentepoch" -> currentEpoch = epoch(fields.get(j + 1), number);
                        case "lastvoteepoch" -> lastVoteEpoch = epoch(fields.get(j + 1), number);
                        default -> { } // Redis logs "Skipping unknown cluster config variable".
                    }
                }
                continue;
            }
            NodeLine node;
            try {
                node = NodeLineFormat.parse(fields);
            } catch (ConfigFormatException e) {
                throw new ConfigFormatException("line " + number + ": " + e.getMessage());
            }
            if (!ids.add(node.id())) {
                throw new ConfigFormatException("line " + number + ": node " + node.id() + " appears twice");
            }
            if ((node.flags() & NodeFlags.MYSELF) != 0) {
                if (myselfLine != 0) {
                    throw new ConfigFormatException("line " + number + ": myself again, already on line "
                            + myselfLine);
                }
                myselfLine = number;
            }
            nodes.add(node);
        }
        if (myselfLine == 0) {
            throw new ConfigFormatException("no line carries the myself flag");
        }
        return new NodesConf(nodes, currentEpoch, lastVoteEpoch);
    }

    private static long epoch(String text, int line) throws ConfigFormatException {
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new ConfigFormatException("line " + line + ": epoch '" + text + "' is not an unsigned number");
        }
    }
}
