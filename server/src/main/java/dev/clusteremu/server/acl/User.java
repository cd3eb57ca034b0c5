package dev.clusteremu.server.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * An ACL user (acl.c's user with its root selector): enabled or not, its password hashes or nopass, and
 * what it may touch: every command or none, every key or those matching its key patterns, every channel
 * or those matching its channel patterns. Rules are applied with {@link AclUsers#setUser}.
 */
public final class User {
    /** The payload sanitization flag (sanitize-payload / skip-sanitize-payload), unset on a new user. */
    enum Sanitize { UNSET, SANITIZE, SKIP }

    final String name;
    boolean enabled;
    boolean nopass;
    Sanitize sanitize = Sanitize.UNSET;
    /** SHA-256 hex digests, in the order added, without duplicates. */
    final List<String> passwords = new ArrayList<>();
    boolean allCommands;
    boolean allKeys;
    final List<String> keyPatterns = new ArrayList<>();
    boolean allChannels;
    final List<String> channelPatterns = new ArrayList<>();

    User(String name) {
        this.name = name;
    }

    /** The user's name, case-sensitive. */
    public String name() {
        return name;
    }

    /** Whether one can authenticate as this user (on). */
    public boolean isEnabled() {
        return enabled;
    }

    /** Whether any password authenticates this user (nopass). */
    public boolean isNopass() {
        return nopass;
    }

    /** Whether the user may use every channel (allchannels), for pub/sub permission checks. */
    public boolean hasAllChannels() {
        return allChannels;
    }

    /** The user's channel patterns, for pub/sub permission checks. */
    public List<String> channelPatterns() {
        return List.copyOf(channelPatterns);
    }

    /** A copy to stage changes on: ACL SETUSER applies all of its rules or none. */
    User copy(String newName) {
        User u = new User(newName);
        u.enabled = enabled;
        u.nopass = nopass;
        u.sanitize = sanitize;
        u.passwords.addAll(passwords);
        u.allCommands = allCommands;
        u.allKeys = allKeys;
        u.keyPatterns.addAll(keyPatterns);
        u.allChannels = allChannels;
        u.channelPatterns.addAll(channelPatterns);
        return u;
    }

    /** Takes over every setting of {@code other} (ACLCopyUser). */
    void assign(User other) {
        enabled = other.enabled;
        nopass = other.nopass;
        sanitize = other.sanitize;
        passwords.clear();
        passwords.addAll(other.passwords);
        allCommands = other.allCommands;
        allKeys = other.allKeys;
        keyPatterns.clear();
        keyPatterns.addAll(other.keyPatterns);
        allChannels = other.allChannels;
        channelPatterns.clear();
        channelPatterns.addAll(other.channelPatterns);
    }
}
