package dev.clusteremu.server.replication;

/** RESP spelled out in tests. */
final class Resp {
    private Resp() {
    }

    /** A command as a multibulk, as a master writes it into the stream. */
    static String command(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }
}
