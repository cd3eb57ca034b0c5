package dev.clusteremu.server.net;

import dev.clusteremu.server.RedisNode;
import dev.clusteremu.server.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * One client connection's state ({@code client} in server.h): protocol version, name, the cluster flags
 * READONLY and ASKING, and the reply buffer being filled for the current batch of commands. Owned by the
 * node's event loop.
 */
public final class Client {
    private final long id;
    private final RedisNode node;
    private final Channel channel;
    private final long createdAt;
    private int protocol = 2;
    private String name = "";
    private boolean readonly;
    private boolean asking;
    private boolean closeAfterReply;
    private long lastInteraction;
    private String lastCommand = "NULL";
    private String libName = "";
    private String libVersion = "";
    private RespWriter reply;
    private long errorsReplied;

    public Client(long id, RedisNode node, Channel channel, long now) {
        this.id = id;
        this.node = node;
        this.channel = channel;
        this.createdAt = now;
        this.lastInteraction = now;
    }

    public long id() {
        return id;
    }

    public RedisNode node() {
        return node;
    }

    public Channel channel() {
        return channel;
    }

    public long createdAt() {
        return createdAt;
    }

    /** The writer for this command's reply; replies accumulate until the batch is flushed. */
    public RespWriter reply() {
        if (reply == null) {
            ByteBuf out = channel.alloc().ioBuffer();
            reply = new RespWriter(out, protocol);
            reply.setErrorListener(code -> {
                errorsReplied++;
                node.stats().errorReplied(code);
            });
        }
        return reply;
    }

    /** Takes the replies written so far (null if none), leaving a fresh buffer for the next ones. */
    ByteBuf takeReplies() {
        if (reply == null) {
            return null;
        }
        ByteBuf out = reply.buffer();
        reply = null;
        return out;
    }

    /** Error replies sent to this client so far: a command failed if it raised this. */
    public long errorsReplied() {
        return errorsReplied;
    }

    public int protocol() {
        return protocol;
    }

    /** Switches RESP version (HELLO): replies written from now on use it. */
    public void setProtocol(int protocol) {
        this.protocol = protocol;
        if (reply != null) {
            reply.setProtocol(protocol);
        }
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** READONLY: reads on a replica are served locally for slots its master owns. */
    public boolean isReadonly() {
        return readonly;
    }

    public void setReadonly(boolean readonly) {
        this.readonly = readonly;
    }

    /** ASKING: the next command may touch an importing slot. Cleared after that command. */
    public boolean isAsking() {
        return asking;
    }

    public void setAsking(boolean asking) {
        this.asking = asking;
    }

    /** QUIT or a protocol error: write what is pending, then close. */
    public void closeAfterReply() {
        closeAfterReply = true;
    }

    public boolean isClosingAfterReply() {
        return closeAfterReply;
    }

    public long lastInteraction() {
        return lastInteraction;
    }

    public void touch(long now, String command) {
        lastInteraction = now;
        lastCommand = command;
    }

    public String lastCommand() {
        return lastCommand;
    }

    public String libName() {
        return libName;
    }

    public void setLibName(String libName) {
        this.libName = libName;
    }

    public String libVersion() {
        return libVersion;
    }

    public void setLibVersion(String libVersion) {
        this.libVersion = libVersion;
    }
}
