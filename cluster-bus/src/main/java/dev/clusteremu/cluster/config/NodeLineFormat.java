package dev.clusteremu.cluster.config;

import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.cluster.NodeFlags;
import dev.clusteremu.cluster.SlotBitmap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one-line description of a node shared by CLUSTER NODES and nodes.conf
 * ({@code clusterGenNodeDescription} to write, the node part of {@code clusterLoadConfig} to read):
 * <pre>
 * &lt;id&gt; &lt;ip&gt;:&lt;port&gt;@&lt;cport&gt;[,&lt;hostname&gt;] &lt;flags&gt; &lt;master|-&gt; &lt;ping_sent&gt; &lt;pong_recv&gt;
 *     &lt;epoch&gt; &lt;connected|disconnected&gt;[ slot| first-last]...[ [slot-&gt;-id]| [slot-&lt;-id]]...
 * </pre>
 *
 * <p>Reading accepts what the Redis 7.0 loader accepts, with one difference: numbers must be decimal
 * numbers, where Redis's atoi/strtoull would read garbage such as "x" as 0 or "-5" as the range 0-5.
 */
public final class NodeLineFormat {

    /** The bus port of a node whose address has no "@cport" (nodes.conf before Redis 4.0). */
    private static final int CLUSTER_PORT_INCR = 10000;

    private NodeLineFormat() {
    }

    /** The line exactly as Redis 7.0 prints it, without the trailing newline. */
    public static String format(NodeLine node) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(node.id()).append(' ')
                .append(node.ip()).append(':').append(node.port()).append('@').append(node.cport());
        if (!node.hostname().isEmpty()) {
            sb.append(',').append(node.hostname());
        }
        sb.append(' ').append(NodeFlags.describe(node.flags()))
                .append(' ').append(node.masterId() == null ? "-" : node.masterId())
                .append(' ').append(node.pingSent())
                .append(' ').append(node.pongReceived())
                // %U in Redis: the epoch is an unsigned 64-bit counter.
                .append(' ').append(Long.toUnsignedString(node.configEpoch()))
                .append(' ').append(node.connected() ? "connected" : "disconnected");
        appendSlotRanges(sb, node.slots());
        appendOpenSlots(sb, node.migrating(), node.importing());
        return sb.toString();
    }

    /**
     * Reads one line (surrounding whitespace and a line terminator are ignored).
     *
     * @throws ConfigFormatException when Redis would refuse the line, saying which field is wrong
     */
    public static NodeLine parse(String line) throws ConfigFormatException {
        return parse(splitArgs(line));
    }

    /**
     * Splits a line into whitespace-separated fields, as sdssplitargs does for the unquoted text Redis
     * writes (its separators are the isspace() characters).
     */
    static List<String> splitArgs(String line) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && isSpace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < line.length() && !isSpace(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                fields.add(line.substring(start, i));
            }
        }
        return fields;
    }

    /** Reads a node line already split into fields. */
    static NodeLine parse(List<String> fields) throws ConfigFormatException {
        // "Regular config lines have at least eight fields": everything before the slots is mandatory.
        if (fields.size() < 8) {
            throw new ConfigFormatException("a node line needs at least 8 fields, got " + fields.size());
        }
        String id = name(fields.get(0), "node id");

        // ip:port[@cport][,hostname]. The hostname is cut at the first comma before the address is read,
        // and the port follows the last colon, so IPv6 addresses need no brackets.
        String address = fields.get(1);
        String hostname = "";
        int comma = address.indexOf(',');
        if (comma >= 0) {
            hostname = address.substring(comma + 1);
            address = address.substring(0, comma);
        }
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigFormatException("address '" + fields.get(1) + "' has no ':port'");
        }
        String ip = address.substring(0, colon);
        if (ip.length() > NodeLine.MAX_IP_LENGTH) {
            throw new ConfigFormatException("ip '" + ip + "' is longer than " + NodeLine.MAX_IP_LENGTH
                    + " characters");
        }
        String ports = address.substring(colon + 1);
        int at = ports.indexOf('@');
        int port = port(at < 0 ? ports : ports.substring(0, at), "port");
        // Files written before Redis 4.0 have no "@cport": the bus then sits at the default offset.
        int cport = at < 0 ? port + CLUSTER_PORT_INCR : port(ports.substring(at + 1), "bus port");
        if (cport > 65535) {
            throw new ConfigFormatException("port " + port + " has no bus port " + cport + " in range");
        }

        // Redis compares flag names case-insensitively and panics on an unknown one, including the empty
        // name a trailing comma leaves.
        String flagField = fields.get(2);
        int flags = flagField.endsWith(",") ? -1 : NodeFlags.parse(flagField.toLowerCase(Locale.ROOT));
        if (flags < 0) {
            throw new ConfigFormatException("unknown flag in '" + flagField + "'");
        }

        // Redis takes any field starting with '-' as "no master".
        String master = fields.get(3);
        String masterId = master.startsWith("-") ? null : name(master, "master id");

        long pingSent = signed(fields.get(4), "ping_sent");
        long pongReceived = signed(fields.get(5), "pong_received");
        long configEpoch = unsigned(fields.get(6), "config epoch");
        // Redis's loader never reads the link state field, so any word is accepted.
        boolean connected = fields.get(7).equals("connected");

        SlotBitmap slots = new SlotBitmap();
        SortedMap<Integer, String> migrating = new TreeMap<>();
        SortedMap<Integer, String> importing = new TreeMap<>();
        for (String token : fields.subList(8, fields.size())) {
            if (token.startsWith("[")) {
                readOpenSlot(token, migrating, importing);
                continue;
            }
            int dash = token.indexOf('-');
            int start = slot(dash < 0 ? token : token.substring(0, dash), token);
            int stop = dash < 0 ? start : slot(token.substring(dash + 1), token);
            // A range written backwards ("10-5") is accepted and adds nothing, as in Redis's loader.
            for (int s = start; s <= stop; s++) {
                slots.set(s);
            }
        }
        return new NodeLine(id, ip, port, cport, hostname, flags, masterId, pingSent, pongReceived,
                configEpoch, connected, slots, migrating, importing);
    }

    /** "[slot->-id]" marks a slot migrating to id, "[slot-<-id]" a slot importing from id. */
    private static void readOpenSlot(String token, SortedMap<Integer, String> migrating,
                                     SortedMap<Integer, String> importing) throws ConfigFormatException {
        int dash = token.indexOf('-');
        if (!token.endsWith("]") || dash < 0 || dash + 3 > token.length() - 1) {
            throw new ConfigFormatException("open slot '" + token + "' is not [slot->-id] or [slot-<-id]");
        }
        int slot = slot(token.substring(1, dash), token);
        String arrow = token.substring(dash, dash + 3);
        String node = name(token.substring(dash + 3, token.length() - 1), "open slot node id");
        switch (arrow) {
            case "->-" -> migrating.put(slot, node);
            case "-<-" -> importing.put(slot, node);
            default -> throw new ConfigFormatException("open slot '" + token
                    + "' is not [slot->-id] or [slot-<-id]");
        }
    }

    /** Slots as Redis groups them: a run of one slot as "5", a longer run as "0-5460", in slot order. */
    private static void appendSlotRanges(StringBuilder sb, SlotBitmap slots) {
        int slot = 0;
        while (slot < KeySlot.SLOTS) {
            if (!slots.get(slot)) {
                slot++;
                continue;
            }
            int start = slot;
            while (slot < KeySlot.SLOTS && slots.get(slot)) {
                slot++;
            }
            sb.append(' ').append(start);
            if (slot - 1 > start) {
                sb.append('-').append(slot - 1);
            }
        }
    }

    /**
     * Open slots in slot order. Redis walks all slots and prints the migrating target, else the importing
     * source, so a slot somehow in both states shows only as migrating.
     */
    private static void appendOpenSlots(StringBuilder sb, SortedMap<Integer, String> migrating,
                                        SortedMap<Integer, String> importing) {
        TreeSet<Integer> open = new TreeSet<>(migrating.keySet());
        open.addAll(importing.keySet());
        for (int slot : open) {
            String target = migrating.get(slot);
            if (target != null) {
                sb.append(" [").append(slot).append("->-").append(target).append(']');
            } else {
                sb.append(" [").append(slot).append("-<-").append(importing.get(slot)).append(']');
            }
        }
    }

    private static String name(String text, String what) throws ConfigFormatException {
        if (!NodeLine.isValidName(text)) {
            throw new ConfigFormatException(what + " '" + text + "' is not 40 characters of [a-z0-9]");
        }
        return text;
    }

    private static int port(String text, String what) throws ConfigFormatException {
        if (!isDigits(text, 5) || Integer.parseInt(text) > 65535) {
            throw new ConfigFormatException(what + " '" + text + "' is not a number in 0-65535");
        }
        return Integer.parseInt(text);
    }

    private static int slot(String text, String token) throws ConfigFormatException {
        if (!isDigits(text, 5) || Integer.parseInt(text) >= KeySlot.SLOTS) {
            throw new ConfigFormatException("slot '" + token + "' is not a number in 0-"
                    + (KeySlot.SLOTS - 1));
        }
        return Integer.parseInt(text);
    }

    private static long signed(String text, String what) throws ConfigFormatException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ConfigFormatException(what + " '" + text + "' is not a number");
        }
    }

    private static long unsigned(String text, String what) throws ConfigFormatException {
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new ConfigFormatException(what + " '" + text + "' is not an unsigned number");
        }
    }

    private static boolean isDigits(String text, int maxLength) {
        if (text.isEmpty() || text.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The isspace() set of the C locale, which sdssplitargs splits on. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }
}
