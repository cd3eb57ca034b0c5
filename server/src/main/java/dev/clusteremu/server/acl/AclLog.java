package dev.clusteremu.server.acl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;

/**
 * The ACL log (acl.c's ACLLog): the latest refusals, newest first - commands, keys and channels a user
 * may not use, and failed authentications - for ACL LOG. A refusal like one of the last ten entries
 * (same reason, context, object and user, within a minute) bumps that entry's count and moves it to the
 * front instead of adding one, so a client retrying in a loop doesn't flood the log; beyond
 * acllog-max-len entries the oldest go. Owned by the node's loop.
 */
public final class AclLog {
    /** ACL_LOG_GROUPING_MAX_TIME_DELTA: how close in time two refusals must be to share an entry. */
    private static final long GROUPING_MAX_DELTA_MS = 60_000;
    /** How many of the newest entries a refusal is compared with. */
    private static final int GROUPING_SCAN = 10;

    /** Why a command was refused (ACL_DENIED_*), as ACL LOG names it. */
    public enum Reason {
        COMMAND("command"), KEY("key"), CHANNEL("channel"), AUTH("auth");

        private final String wireName;

        Reason(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** Where the refused command ran (ACL_LOG_CTX_*): on its own, or inside a transaction. */
    public enum Context {
        TOPLEVEL("toplevel"), MULTI("multi"), LUA("lua");

        private final String wireName;

        Context(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** One entry: a refusal, how many times it happened recently, and the latest client it happened to. */
    public static final class Entry {
        private final Reason reason;
        private final Context context;
        private final byte[] object;
        private final String username;
        private long count = 1;
        private long createdMs;
        private String clientInfo;

        private Entry(Reason reason, Context context, byte[] object, String username, long createdMs,
                String clientInfo) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.createdMs = createdMs;
            this.clientInfo = clientInfo;
        }

        public long count() {
            return count;
        }

        public Reason reason() {
            return reason;
        }

        public Context context() {
            return context;
        }

        /** The command's full name, the key or channel, or the authenticating command's name as typed. */
        public byte[] object() {
            return object.clone();
        }

        public String username() {
            return username;
        }

        /** When the entry was last updated, Unix ms. */
        public long createdMs() {
            return createdMs;
        }

        /** The client's CLIENT LIST line when the entry was last updated. */
        public String clientInfo() {
            return clientInfo;
        }

        /** ACLLogMatchEntry: the same refusal, close enough in time to count as a repeat. */
        private boolean matches(Reason r, Context c, byte[] o, String u, long nowMs) {
            return reason == r && context == c && Math.abs(createdMs - nowMs) <= GROUPING_MAX_DELTA_MS
                    && Arrays.equals(object, o) && username.equals(u);
        }
    }

    private final LinkedList<Entry> entries = new LinkedList<>();

    /**
     * addACLLogEntry: records a refusal at {@code nowMs}, grouping it with a recent equal one, then trims
     * the log to {@code maxLen} entries.
     */
    public void add(Reason reason, Context context, byte[] object, String username, String clientInfo, long nowMs,
            long maxLen) {
        int scanned = 0;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext() && scanned < GROUPING_SCAN; scanned++) {
            Entry e = it.next();
            if (e.matches(reason, context, object, username, nowMs)) {
                it.remove();
                e.count++;
                e.createdMs = nowMs;
                e.clientInfo = clientInfo;
                entries.addFirst(e);
                return;
            }
        }
        entries.addFirst(new Entry(reason, context, object.clone(), username, nowMs, clientInfo));
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    /** ACL LOG RESET. */
    public void reset() {
        entries.clear();
    }

    /** The {@code count} newest entries (all of them when there are fewer), newest first. */
    public List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (out.size() >= count) {
                break;
            }
            out.add(e);
        }
        return out;
    }
}
