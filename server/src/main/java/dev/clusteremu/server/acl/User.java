package dev.clusteremu.server.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * An ACL user (acl.c's user): enabled or not, its password hashes or nopass, the payload sanitization flag,
 * and its selectors: the root selector first, changed by rules outside parentheses, then one per "(...)"
 * rule. A command runs if any selector allows it. Rules are applied with {@link AclUsers#setUser}.
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
    /** The root selector, then the others in the order they were added. */
    final List<Selector> selectors = new ArrayList<>();

    /** ACLCreateUser: off, no password, and a root selector that allows nothing. */
    User(String name, Selector root) {
        this.name = name;
        selectors.add(root);
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

    Selector root() {
        return selectors.get(0);
    }

    /** A copy to stage changes on: ACL SETUSER applies all of its rules or none. */
    User copy(String newName) {
        User u = new User(newName, root().copy());
        u.assign(this);
        return u;
    }

    /** ACLCopyUser: takes over every setting and selector of {@code other}; the name stays. */
    void assign(User other) {
        enabled = other.enabled;
        nopass = other.nopass;
        sanitize = other.sanitize;
        passwords.clear();
        passwords.addAll(other.passwords);
        selectors.clear();
        for (Selector s : other.selectors) {
            selectors.add(s.copy());
        }
    }
}
