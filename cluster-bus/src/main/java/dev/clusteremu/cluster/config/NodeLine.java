package dev.clusteremu.cluster.config;

import dev.clusteremu.cluster.KeySlot;
import dev.clusteremu.cluster.SlotBitmap;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One node as a CLUSTER NODES line or a nodes.conf line describes it: the fields of
 * {@code clusterGenNodeDescription}, held exactly as they are printed. Immutable: the slot bitmap and the
 * open-slot maps are copied in and out.
 *
 * @param id           the 40-character node name
 * @param ip           the address without port; empty while a node does not know its own address yet
 *                     (Redis prints {@code :7000@17000} then), an IPv6 address keeps its colons
 * @param port         the client port
 * @param cport        the cluster bus port
 * @param hostname     the announced hostname, empty when absent ({@code null} is taken as absent)
 * @param flags        {@link dev.clusteremu.cluster.NodeFlags} bits; only the bits CLUSTER NODES names
 *                     survive a format and parse
 * @param masterId     the master's name for a replica, {@code null} where the line shows "-"
 * @param pingSent     unix ms of the pending ping, 0 if none
 * @param pongReceived unix ms of the last pong, 0 if none
 * @param configEpoch  the epoch to print; for a replica on CLUSTER NODES that is its master's, which the
 *                     caller substitutes (Redis does so in clusterGenNodeDescription)
 * @param connected    whether the line says "connected" (an outbound link exists, or myself)
 * @param slots        the slots the node serves
 * @param migrating    slot to target node name, for slots in MIGRATING state; Redis fills it only on
 *                     the myself line
 * @param importing    slot to source node name, for slots in IMPORTING state; myself line only as well
 */
public record NodeLine(
        String id,
        String ip,
        int port,
        int cport,
        String hostname,
        int flags,
        String masterId,
        long pingSent,
        long pongReceived,
        long configEpoch,
        boolean connected,
        SlotBitmap slots,
        SortedMap<Integer, String> migrating,
        SortedMap<Integer, String> importing) {

    /** Length of a node name ({@code CLUSTER_NAMELEN}): the hex of a SHA-1. */
    public static final int NAME_LENGTH = 40;

    /** Longest address text: {@code NET_IP_STR_LEN} is 46 bytes including the terminating NUL. */
    public static final int MAX_IP_LENGTH = 45;

    /**
     * Checks the invariants every printable line needs, so that whatever is formatted can be loaded
     * back; throws IllegalArgumentException naming the bad field.
     */
    public NodeLine {
        requireName(id, "id");
        if (masterId != null) {
            requireName(masterId, "masterId");
        }
        Objects.requireNonNull(ip, "ip");
        if (ip.length() > MAX_IP_LENGTH || ip.indexOf(',') >= 0 || hasWhitespace(ip)) {
            throw new IllegalArgumentException("ip must be at most " + MAX_IP_LENGTH
                    + " characters without commas or whitespace: '" + ip + "'");
        }
        hostname = hostname == null ? "" : hostname;
        if (hasWhitespace(hostname)) {
            throw new IllegalArgumentException("hostname must not contain whitespace: '" + hostname + "'");
        }
        requirePort(port, "port");
        requirePort(cport, "cport");
        slots = SlotBitmap.fromBytes(Objects.requireNonNull(slots, "slots").toBytes());
        migrating = openSlots(migrating, "migrating");
        importing = openSlots(importing, "importing");
    }

    /** A copy of the served slots. */
    @Override
    public SlotBitmap slots() {
        return SlotBitmap.fromBytes(slots.toBytes());
    }

    /** Whether {@code name} is a valid node name: exactly 40 characters of [a-z0-9] (verifyClusterNodeId). */
    public static boolean isValidName(String name) {
        if (name.length() != NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static void requireName(String name, String field) {
        if (name == null || !isValidName(name)) {
            throw new IllegalArgumentException(field + " must be 40 characters of [a-z0-9]: " + name);
        }
    }

    private static void requirePort(int port, String field) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(field + " out of range: " + port);
        }
    }

    private static boolean hasWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static SortedMap<Integer, String> openSlots(Map<Integer, String> slotToNode, String field) {
        Objects.requireNonNull(slotToNode, field);
        TreeMap<Integer, String> copy = new TreeMap<>();
        for (Map.Entry<Integer, String> e : slotToNode.entrySet()) {
            int slot = e.getKey();
            if (slot < 0 || slot >= KeySlot.SLOTS) {
                throw new IllegalArgumentException(field + " slot out of range: " + slot);
            }
            requireName(e.getValue(), field + " node");
            copy.put(slot, e.getValue());
        }
        return Collections.unmodifiableSortedMap(copy);
    }
}
