package dev.clusteremu.server.migrate;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.config.KeyspaceEvents;
import dev.clusteremu.server.keyspace.Keyspace;
import dev.clusteremu.server.keyspace.RedisObject;
import dev.clusteremu.server.net.Client;
import dev.clusteremu.server.resp.RedisNumbers;

/**
 * The transfer half of MIGRATE (migrateCommand after its argument checks): sends the keys to the target
 * as one pipeline of RESTORE-ASKING commands, reads one reply per key, and deletes each key the target
 * acknowledged unless COPY. It blocks the node's loop for up to the timeout per operation, as MIGRATE
 * blocks redis-server: the node serves nobody meanwhile, so no command of its clients ever sees a key
 * that is half moved.
 */
public final class KeyTransfer {
    /** The pipeline goes out in 64 KB writes, each allowed the whole timeout. */
    private static final int WRITE_CHUNK = 64 * 1024;
    /** Replies are read into Redis's 1024-byte buffers: at most 1023 bytes of a line are kept. */
    private static final int REPLY_LINE_MAX = 1023;

    private static final byte[] AUTH = "AUTH".getBytes(ISO_8859_1);
    private static final byte[] SELECT = "SELECT".getBytes(ISO_8859_1);
    private static final byte[] RESTORE_ASKING = "RESTORE-ASKING".getBytes(ISO_8859_1);
    private static final byte[] REPLACE = "REPLACE".getBytes(ISO_8859_1);

    /**
     * What to migrate where, as MIGRATE's arguments gave it.
     *
     * @param host the target host, as given (also the cache key)
     * @param port the target port, as given
     * @param dbId the target db, SELECTed when the cached connection is not known to be on it
     * @param timeoutMs the timeout of each connect, write and read
     * @param copy COPY: keep the local keys
     * @param replace REPLACE: overwrite existing keys on the target
     * @param username AUTH2's user name, or null
     * @param password AUTH's or AUTH2's password, or null for no AUTH
     */
    public record Target(String host, String port, long dbId, long timeoutMs, boolean copy, boolean replace,
            byte[] username, byte[] password) {
    }

    private KeyTransfer() {
    }

    /**
     * Moves {@code keys} (found live, with {@code values}) to the target and writes MIGRATE's reply: +OK,
     * the target's first error as "ERR Target instance replied with error: ...", or an IOERR. A failure on a
     * socket that may have gone stale is retried once on a new connection, but only when it is not a
     * timeout and before any key was acknowledged, so no key is ever restored twice.
     */
    public static void run(Client c, Target target, List<byte[]> keys, List<RedisObject> values) {
        MigrateSocketCache cache = MigrateSocketCache.of(c.node());
        boolean mayRetry = true;
        while (true) {
            MigrateSocketCache.CachedSocket cs;
            try {
                cs = cache.get(target.host(), target.port(), target.timeoutMs());
            } catch (IOException e) {
                c.reply().error("IOERR error or timeout connecting to the client");
                return;
            }
            Attempt attempt = new Attempt(c, target, cs);
            attempt.send(keys, values);
            if (attempt.outcome == Outcome.DONE) {
                return;
            }
            cache.close(target.host(), target.port());
            if (attempt.outcome == Outcome.RETRY && mayRetry) {
                mayRetry = false;
                continue;
            }
            c.reply().error("IOERR error or timeout " + (attempt.writeError ? "writing" : "reading")
                    + " to target instance");
            return;
        }
    }

    private enum Outcome {
        /** A reply was written: +OK or the target's error, possibly after a socket error mid-way. */
        DONE,
        /** The socket failed before anything was acknowledged, for a reason other than a timeout. */
        RETRY,
        /** The socket failed and retrying could restore keys twice, or it timed out. */
        FAIL
    }

    /** One try of the transfer over one connection. */
    private static final class Attempt {
        private final Client client;
        private final RedisNode node;
        private final Target target;
        private final MigrateSocketCache.CachedSocket cs;
        private Outcome outcome;
        private boolean writeError;

        Attempt(Client client, Target target, MigrateSocketCache.CachedSocket cs) {
            this.client = client;
            this.node = client.node();
            this.target = target;
            this.cs = cs;
        }

        void send(List<byte[]> keys, List<RedisObject> values) {
            Keyspace keyspace = node.keyspace();
            ByteArrayOutputStream cmd = new ByteArrayOutputStream();
            boolean auth = target.password() != null;
            if (auth) {
                if (target.username() != null) {
                    writeCommand(cmd, AUTH, target.username(), target.password());
                } else {
                    writeCommand(cmd, AUTH, target.password());
                }
            }
            boolean select = cs.lastDbId != target.dbId();
            if (select) {
                writeCommand(cmd, SELECT, RedisNumbers.toBytes(target.dbId()));
            }
            // A key found live may have expired since: it is left out, as it would be gone on arrival.
            List<byte[]> sent = new ArrayList<>(keys.size());
            long now = node.now();
            for (int j = 0; j < keys.size(); j++) {
                byte[] key = keys.get(j);
                long ttl = 0;
                long expireAt = keyspace.getExpire(key);
                if (expireAt != -1) {
                    ttl = expireAt - now;
                    if (ttl < 0) {
                        continue;
                    }
                    ttl = Math.max(ttl, 1);
                }
                sent.add(key);
                byte[] payload = DumpSerializer.dump(values.get(j));
                if (target.replace()) {
                    writeCommand(cmd, RESTORE_ASKING, key, RedisNumbers.toBytes(ttl), payload, REPLACE);
                } else {
                    writeCommand(cmd, RESTORE_ASKING, key, RedisNumbers.toBytes(ttl), payload);
                }
            }

            if (!write(cmd.toByteArray())) {
                return;
            }
            byte[] authReply = null;
            byte[] selectReply = null;
            try {
                if (auth) {
                    authReply = readLine();
                }
                if (select) {
                    selectReply = readLine();
                }
            } catch (IOException e) {
                fail(e);
                return;
            }
            readRestoreReplies(sent, authReply, selectReply);
        }

        /**
         * Reads one reply per RESTORE-ASKING. An error from AUTH or SELECT fails every key, as it means the
         * RESTOREs ran elsewhere or not at all; only the first error is reported. Acknowledged keys are
         * deleted here (through the keyspace, so replication sees a DEL) unless COPY.
         */
        private void readRestoreReplies(List<byte[]> sent, byte[] authReply, byte[] selectReply) {
            List<byte[]> deleted = new java.util.ArrayList<>();
            boolean errorFromTarget = false;
            IOException socketError = null;
            int j;
            for (j = 0; j < sent.size(); j++) {
                byte[] reply;
                try {
                    reply = readLine();
                } catch (IOException e) {
                    socketError = e;
                    break;
                }
                byte[] error = isError(authReply) ? authReply : isError(selectReply) ? selectReply
                        : isError(reply) ? reply : null;
                if (error != null) {
                    if (!errorFromTarget) {
                        errorFromTarget = true;
                        cs.lastDbId = -1;
                        replyTargetError(error);
                    }
                } else if (!target.copy()) {
                    node.keyspace().delete(sent.get(j));
                    node.notifications().notify(KeyspaceEvents.GENERIC, "del", sent.get(j));
                    node.stats().changes(1);
                    deleted.add(sent.get(j));
                }
            }
            if (!deleted.isEmpty()) {
                // Replicas must not MIGRATE again: the command propagates as a DEL of the keys the target
                // acknowledged, and only of those.
                byte[][] del = new byte[deleted.size() + 1][];
                del[0] = "DEL".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                for (int k = 0; k < deleted.size(); k++) {
                    del[k + 1] = deleted.get(k);
                }
                client.rewriteCommandVector(del);
            }
            if (socketError != null && !errorFromTarget) {
                fail(socketError);
                if (j > 0) {
                    // Some keys were acknowledged: a retry could restore them twice.
                    outcome = Outcome.FAIL;
                }
                return;
            }
            if (!errorFromTarget) {
                cs.lastDbId = target.dbId();
                client.reply().ok();
            }
            outcome = Outcome.DONE;
            if (socketError != null) {
                MigrateSocketCache.of(node).close(target.host(), target.port());
            }
        }

        private void replyTargetError(byte[] line) {
            ByteArrayOutputStream msg = new ByteArrayOutputStream();
            msg.writeBytes("ERR Target instance replied with error: ".getBytes(ISO_8859_1));
            msg.write(line, 1, line.length - 1);
            client.reply().error(msg.toByteArray());
        }

        private boolean write(byte[] bytes) {
            try {
                for (int pos = 0; pos < bytes.length; pos += WRITE_CHUNK) {
                    cs.conn.write(bytes, pos, Math.min(WRITE_CHUNK, bytes.length - pos), target.timeoutMs());
                }
                return true;
            } catch (IOException e) {
                writeError = true;
                fail(e);
                return false;
            }
        }

        private byte[] readLine() throws IOException {
            return cs.conn.readLine(REPLY_LINE_MAX, target.timeoutMs());
        }

        /** A socket failure: retried once unless it was a timeout (Redis checks errno != ETIMEDOUT). */
        private void fail(IOException e) {
            outcome = e instanceof SocketTimeoutException ? Outcome.FAIL : Outcome.RETRY;
        }
    }

    /** A reply line is an error when it starts with '-' (Redis tests buf[0] == '-'). */
    private static boolean isError(byte[] line) {
        return line != null && line.length > 0 && line[0] == '-';
    }

    /** Appends one command as a RESP array of bulk strings. */
    private static void writeCommand(ByteArrayOutputStream out, byte[]... args) {
        out.write('*');
        out.writeBytes(RedisNumbers.toBytes(args.length));
        out.write('\r');
        out.write('\n');
        for (byte[] arg : args) {
            out.write('$');
            out.writeBytes(RedisNumbers.toBytes(arg.length));
            out.write('\r');
            out.write('\n');
            out.writeBytes(arg);
            out.write('\r');
            out.write('\n');
        }
    }
}
