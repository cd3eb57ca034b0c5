package dev.clusteremu.server.net;

import java.util.ArrayList;
import java.util.List;

/**
 * One client's CLIENT TRACKING settings (the CLIENT_TRACKING_* flags, client_tracking_redirection and
 * client_tracking_prefixes): where invalidations go, whether it is in broadcast mode with which prefixes,
 * OPTIN / OPTOUT with the CLIENT CACHING override for the next command, NOLOOP, and whether its
 * redirection target went away.
 */
public final class Tracking {
    final long redirect;
    final boolean bcast;
    final boolean optin;
    final boolean optout;
    final boolean noloop;
    /** BCAST prefixes, sorted as a rax lists them; one empty prefix when none were given. */
    final List<byte[]> prefixes;
    /** CLIENT CACHING yes (OPTIN) or no (OPTOUT) was given for the next command (CLIENT_TRACKING_CACHING). */
    boolean caching;
    /** The redirection target disconnected (CLIENT_TRACKING_BROKEN_REDIR). */
    boolean brokenRedirect;

    Tracking(long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop, List<byte[]> prefixes) {
        this.redirect = redirect;
        this.bcast = bcast;
        this.optin = optin;
        this.optout = optout;
        this.noloop = noloop;
        this.prefixes = new ArrayList<>(prefixes);
    }

    /** The client invalidations are redirected to (0 for none). */
    public long redirect() {
        return redirect;
    }

    public boolean isBcast() {
        return bcast;
    }

    public boolean isOptin() {
        return optin;
    }

    public boolean isOptout() {
        return optout;
    }

    public boolean isNoloop() {
        return noloop;
    }

    public boolean isCaching() {
        return caching;
    }

    public boolean isBrokenRedirect() {
        return brokenRedirect;
    }

    /** The BCAST prefixes (empty outside BCAST mode). */
    public List<byte[]> prefixes() {
        return prefixes;
    }

    /** CLIENT CACHING: overrides OPTIN / OPTOUT for the next command or transaction. */
    public void setCaching(boolean caching) {
        this.caching = caching;
    }
}
