package dev.clusteremu.server.net;

import java.util.ArrayList;
import java.util.List;

import dev.clusteremu.server.info.ClientLine;

/**
 * The clients in MONITOR mode (server.monitors) and the line each command is shown to them as
 * (replicationFeedMonitors): {@code +<seconds>.<microseconds> [0 <ip:port>] "arg" "arg"...}, arguments
 * quoted and escaped as sdscatrepr does. Owned by the node's loop.
 */
public final class Monitors {
    private final List<Client> monitors = new ArrayList<>();

    /** MONITOR: {@code c} receives every command from now on. */
    public void add(Client c) {
        c.setMonitor(true);
        monitors.add(c);
    }

    /** The client left MONITOR mode (RESET) or disconnected. */
    public void remove(Client c) {
        if (monitors.remove(c)) {
            c.setMonitor(false);
        }
    }

    public boolean isEmpty() {
        return monitors.isEmpty();
    }

    /** Shows the command {@code argv} that {@code from} ran at {@code unixMicros} to every monitor. */
    public void feed(Client from, byte[][] argv, long unixMicros) {
        if (monitors.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("+");
        sb.append(unixMicros / 1_000_000).append('.');
        String micros = Long.toString(unixMicros % 1_000_000);
        sb.append("0".repeat(6 - micros.length())).append(micros);
        sb.append(" [0 ").append(from.isScript() ? "lua" : ClientLine.address(from.channel().remoteAddress()))
                .append("] ");
        for (int j = 0; j < argv.length; j++) {
            repr(sb, argv[j]);
            if (j != argv.length - 1) {
                sb.append(' ');
            }
        }
        sb.append("\r\n");
        byte[] line = sb.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (Client m : monitors) {
            m.reply().raw(line);
            m.requestFlush();
        }
    }

    /** sdscatrepr: a double-quoted string with \\, \", \n, \r, \t, \a, \b escaped and \xHH for the rest. */
    public static void repr(StringBuilder sb, byte[] s) {
        sb.append('"');
        for (byte b : s) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        sb.append('"');
    }
}
