package dev.clusteremu.server.scripting.lua;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A Lua string: an immutable byte sequence (Lua strings are 8-bit clean, as the values scripts read from
 * and write to Redis are). Equal strings are equal values, as Lua's interned strings are.
 *
 * <p>The hash is Lua 5.1's own (luaS_hash: seeded with the length, sampling at most 32 bytes from the end)
 * because the hash decides where a key lands in a table's node array, and so the order in which
 * {@code next} and {@code pairs} visit keys: a script that returns the keys of a table, or encodes it with
 * cjson, must see them in the order Redis's Lua would give.
 */
public final class LuaString implements Comparable<LuaString> {
    static final LuaString EMPTY = new LuaString(new byte[0]);

    private final byte[] bytes;
    private int hash;
    private boolean hashed;

    private LuaString(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A string holding {@code bytes} (not copied: the caller gives them up). */
    public static LuaString wrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new LuaString(bytes);
    }

    /** A string of the ISO-8859-1 bytes of {@code s}: one byte per char, as the engine's texts are. */
    public static LuaString of(String s) {
        return wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The bytes (shared: do not modify). */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    /** Byte {@code i} as 0..255. */
    public int byteAt(int i) {
        return bytes[i] & 0xff;
    }

    /** Bytes [from, to) as a new string. */
    public LuaString substring(int from, int to) {
        return wrap(Arrays.copyOfRange(bytes, from, to));
    }

    /** luaS_hash of Lua 5.1. */
    int luaHash() {
        if (!hashed) {
            int l = bytes.length;
            int h = l;
            int step = (l >> 5) + 1;
            for (int l1 = l; l1 >= step; l1 -= step) {
                h = h ^ ((h << 5) + (h >>> 2) + (bytes[l1 - 1] & 0xff));
            }
            hash = h;
            hashed = true;
        }
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof LuaString s && luaHash() == s.luaHash() && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return luaHash();
    }

    /** l_strcmp in the C locale: unsigned byte order, a prefix first. */
    @Override
    public int compareTo(LuaString o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    /** The bytes as ISO-8859-1 text. */
    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
