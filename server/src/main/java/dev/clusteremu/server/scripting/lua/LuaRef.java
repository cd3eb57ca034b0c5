package dev.clusteremu.server.scripting.lua;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A Lua value with identity (table, function, userdata, thread). Each gets an address at creation, which
 * {@code tostring} prints ("table: 0x7f45e8c2cb00") and by which it hashes in tables, as C Lua uses the
 * object's pointer for both.
 */
public abstract class LuaRef {
    /** Addresses start where a 64-bit glibc heap typically maps and advance by a small allocation. */
    private static final AtomicLong NEXT_ADDRESS = new AtomicLong(0x7f45e8c00000L);

    private final long address = NEXT_ADDRESS.addAndGet(0x40);

    /** The pseudo pointer of this object. */
    public long address() {
        return address;
    }
}
