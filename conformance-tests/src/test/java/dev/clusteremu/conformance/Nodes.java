package dev.clusteremu.conformance;

/** One-off queries to any node, real or emulated, on a fresh connection each. */
final class Nodes {
    private Nodes() {
    }

    static Reply call(RedisTarget target, String... argv) {
        try (RespClient c = RespClient.connect(target)) {
            return c.call(argv);
        }
    }

    /** One field of the node's CLUSTER INFO. */
    static String clusterInfo(RedisTarget target, String field) {
        for (String line : call(target, "CLUSTER", "INFO").asString().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new IllegalStateException("no " + field + " in CLUSTER INFO of " + target.description());
    }

    /** The line about node {@code id} in a CLUSTER NODES text, or "" if it has none. */
    static String nodesLine(String nodes, String id) {
        return nodes.lines().filter(l -> l.startsWith(id + " ")).findFirst().orElse("");
    }
}
