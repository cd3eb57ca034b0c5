package dev.clusteremu.server.scripting.lua;

import java.util.Arrays;

/**
 * A Lua table laid out exactly as Lua 5.1's ltable.c lays it out: an array part for the keys 1..n and a
 * hash part of 2^k nodes with chained scatter (Brent's variation: a colliding key that is not in its main
 * position is moved to a free node taken from the top), resized by the same rehash that counts integer
 * keys per power-of-two slice to size the array part.
 *
 * <p>Why copy the layout rather than use a HashMap: the layout is the iteration order. {@code next},
 * {@code pairs}, cjson.encode and cmsgpack.pack visit keys in node order, and the length operator's border
 * search depends on which keys live in the array part; a script can return either, so they must come out
 * as Redis's Lua gives them. Keys of tables, functions and other objects hash by identity, as C Lua hashes
 * their addresses: their order is arbitrary there too.
 *
 * <p>Redis patches Lua with read-only tables (lua_enablereadonlytable): the globals and the libraries are
 * locked, and every write to a locked table fails with "Attempt to modify a readonly table".
 */
public final class LuaTable extends LuaRef {
    /** MAXBITS of ltable.c: the array part and the node vector hold at most 2^26 entries. */
    private static final int MAXBITS = 26;
    private static final int MAXASIZE = 1 << MAXBITS;
    private static final Object[] NO_ARRAY = new Object[0];

    private Object[] array = NO_ARRAY;
    /** The hash part; null for Lua's shared dummy node (no hash part at all). */
    private Object[] keys;
    private Object[] vals;
    private int[] next;
    private int lastfree;
    private LuaTable metatable;
    private boolean readonly;

    public LuaTable() {
    }

    /** luaH_new(narray, nhash): what a table constructor preallocates for its items. */
    public LuaTable(int narray, int nhash) {
        setArrayVector(narray);
        setNodeVector(nhash);
    }

    public LuaTable metatable() {
        return metatable;
    }

    /** Sets the metatable (lua_setmetatable), refused on a read-only table. */
    public void setMetatable(LuaTable mt) {
        checkWritable();
        this.metatable = mt;
    }

    public boolean isReadonly() {
        return readonly;
    }

    /** lua_enablereadonlytable. */
    public void setReadonly(boolean readonly) {
        this.readonly = readonly;
    }

    private void checkWritable() {
        if (readonly) {
            throw LuaError.runtime("Attempt to modify a readonly table");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Reading
    // ------------------------------------------------------------------------------------------------

    /** luaH_get: the value under {@code key}, or null. */
    public Object get(Object key) {
        if (key instanceof LuaString s) {
            return getStr(s);
        }
        if (key instanceof Double d) {
            double n = d;
            int k = (int) n;
            if (k == n) {
                return getInt(k);
            }
        }
        if (key == null || keys == null) {
            return null;
        }
        int i = mainPosition(key);
        do {
            if (rawEquals(keys[i], key)) {
                return vals[i];
            }
            i = next[i];
        } while (i >= 0);
        return null;
    }

    /** luaH_getnum. */
    public Object getInt(int k) {
        if (k - 1 >= 0 && k - 1 < array.length) {
            return array[k - 1];
        }
        if (keys == null) {
            return null;
        }
        double n = k;
        int i = hashNum(n, keys.length);
        do {
            if (keys[i] instanceof Double d && d == n) {
                return vals[i];
            }
            i = next[i];
        } while (i >= 0);
        return null;
    }

    /** luaH_getstr. */
    public Object getStr(LuaString key) {
        if (keys == null) {
            return null;
        }
        int i = key.luaHash() & (keys.length - 1);
        do {
            if (key.equals(keys[i])) {
                return vals[i];
            }
            i = next[i];
        } while (i >= 0);
        return null;
    }

    /** The value under the string {@code key} given as Java text. */
    public Object get(String key) {
        return getStr(LuaString.of(key));
    }

    /** Where {@code key} is in the hash part, or -1. */
    private int findNode(Object key) {
        if (keys == null) {
            return -1;
        }
        int i = mainPosition(key);
        do {
            if (rawEquals(keys[i], key)) {
                return i;
            }
            i = next[i];
        } while (i >= 0);
        return -1;
    }

    /** luaO_rawequalObj for keys: numbers by value, strings by content, the rest by identity. */
    static boolean rawEquals(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Double x) {
            return b instanceof Double y && x.doubleValue() == y.doubleValue();
        }
        if (a instanceof LuaString || a instanceof Boolean) {
            return a.equals(b);
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------
    // Writing
    // ------------------------------------------------------------------------------------------------

    /** rawset: stores {@code val} (nil too) under {@code key}, creating the key if absent, as luaH_set. */
    public void rawset(Object key, Object val) {
        checkWritable();
        put(key, val);
    }

    /** rawseti. */
    public void rawset(int k, Object val) {
        checkWritable();
        putInt(k, val);
    }

    /** rawset with a Java text key. */
    public void rawset(String key, Object val) {
        rawset(LuaString.of(key), val);
    }

    private void put(Object key, Object val) {
        if (key instanceof Double d) {
            double n = d;
            int k = (int) n;
            if (k == n) {
                putInt(k, val);
                return;
            }
            if (Double.isNaN(n)) {
                throw LuaError.runtime("table index is NaN");
            }
        } else if (key == null) {
            throw LuaError.runtime("table index is nil");
        }
        int i = findNode(key);
        if (i >= 0) {
            vals[i] = val;
        } else {
            newKey(key, val);
        }
    }

    private void putInt(int k, Object val) {
        if (k - 1 >= 0 && k - 1 < array.length) {
            array[k - 1] = val;
            return;
        }
        if (keys != null) {
            double n = k;
            int i = hashNum(n, keys.length);
            do {
                if (keys[i] instanceof Double d && d == n) {
                    vals[i] = val;
                    return;
                }
                i = next[i];
            } while (i >= 0);
        }
        newKey((double) k, val);
    }

    /**
     * newkey: inserts a key that is not present. If its main position is taken, the colliding node moves to
     * a free node when it is not in its own main position, else the new key takes the free node; with no
     * free node left the table is rehashed and the store done again.
     */
    private void newKey(Object key, Object val) {
        if (keys == null) {
            rehash(key);
            put(key, val);
            return;
        }
        int mp = mainPosition(key);
        if (vals[mp] != null) {
            int n = getFreePos();
            if (n < 0) {
                rehash(key);
                put(key, val);
                return;
            }
            int othern = mainPosition(keys[mp]);
            if (othern != mp) {
                while (next[othern] != mp) {
                    othern = next[othern];
                }
                next[othern] = n;
                keys[n] = keys[mp];
                vals[n] = vals[mp];
                next[n] = next[mp];
                next[mp] = -1;
                vals[mp] = null;
            } else {
                next[n] = next[mp];
                next[mp] = n;
                mp = n;
            }
        }
        keys[mp] = key;
        vals[mp] = val;
    }

    private int getFreePos() {
        while (lastfree > 0) {
            lastfree--;
            if (keys[lastfree] == null) {
                return lastfree;
            }
        }
        return -1;
    }

    private int mainPosition(Object key) {
        int size = keys.length;
        if (key instanceof LuaString s) {
            return s.luaHash() & (size - 1);
        }
        if (key instanceof Double d) {
            return hashNum(d, size);
        }
        if (key instanceof Boolean b) {
            return (b ? 1 : 0) & (size - 1);
        }
        return Integer.remainderUnsigned(LuaValues.address(key), (size - 1) | 1);
    }

    /** hashnum: the two 32-bit halves of the double added, modulo an odd size; 0 and -0 go to node 0. */
    private static int hashNum(double n, int size) {
        if (n == 0) {
            return 0;
        }
        long bits = Double.doubleToRawLongBits(n);
        int a = (int) bits + (int) (bits >>> 32);
        return Integer.remainderUnsigned(a, (size - 1) | 1);
    }

    // ------------------------------------------------------------------------------------------------
    // Rehash
    // ------------------------------------------------------------------------------------------------

    private static int ceilLog2(int x) {
        return x <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(x - 1);
    }

    /** arrayindex: the key as an array index, or -1. */
    private static int arrayIndex(Object key) {
        if (key instanceof Double d) {
            double n = d;
            int k = (int) n;
            if (k == n) {
                return k;
            }
        }
        return -1;
    }

    private static int countInt(Object key, int[] nums) {
        int k = arrayIndex(key);
        if (0 < k && k <= MAXASIZE) {
            nums[ceilLog2(k)]++;
            return 1;
        }
        return 0;
    }

    private int numUseArray(int[] nums) {
        int ause = 0;
        int i = 1;
        for (int lg = 0, ttlg = 1; lg <= MAXBITS; lg++, ttlg *= 2) {
            int lc = 0;
            int lim = ttlg;
            if (lim > array.length) {
                lim = array.length;
                if (i > lim) {
                    break;
                }
            }
            for (; i <= lim; i++) {
                if (array[i - 1] != null) {
                    lc++;
                }
            }
            nums[lg] += lc;
            ause += lc;
        }
        return ause;
    }

    private void rehash(Object extraKey) {
        int[] nums = new int[MAXBITS + 1];
        int nasize = numUseArray(nums);
        int totaluse = nasize;
        if (keys != null) {
            for (int i = keys.length - 1; i >= 0; i--) {
                if (vals[i] != null) {
                    nasize += countInt(keys[i], nums);
                    totaluse++;
                }
            }
        }
        nasize += countInt(extraKey, nums);
        totaluse++;
        // computesizes: the largest n (a power of 2) such that more than half of 1..n are in use.
        int a = 0;
        int na = 0;
        int n = 0;
        for (int i = 0, twotoi = 1; twotoi / 2 < nasize; i++, twotoi *= 2) {
            if (nums[i] > 0) {
                a += nums[i];
                if (a > twotoi / 2) {
                    n = twotoi;
                    na = a;
                }
            }
            if (a == nasize) {
                break;
            }
        }
        resize(n, totaluse - na);
    }

    private void setArrayVector(int size) {
        array = size == 0 ? NO_ARRAY : Arrays.copyOf(array, size);
    }

    private void setNodeVector(int size) {
        if (size == 0) {
            keys = null;
            vals = null;
            next = null;
            lastfree = 0;
            return;
        }
        int lsize = ceilLog2(size);
        if (lsize > MAXBITS) {
            throw LuaError.runtime("table overflow");
        }
        size = 1 << lsize;
        keys = new Object[size];
        vals = new Object[size];
        next = new int[size];
        Arrays.fill(next, -1);
        lastfree = size;
    }

    private void resize(int nasize, int nhsize) {
        int oldasize = array.length;
        Object[] oldKeys = keys;
        Object[] oldVals = vals;
        if (nasize > oldasize) {
            setArrayVector(nasize);
        }
        setNodeVector(nhsize);
        if (nasize < oldasize) {
            Object[] old = array;
            array = nasize == 0 ? NO_ARRAY : Arrays.copyOf(old, nasize);
            for (int i = nasize; i < oldasize; i++) {
                if (old[i] != null) {
                    putInt(i + 1, old[i]);
                }
            }
        }
        if (oldKeys != null) {
            for (int i = oldKeys.length - 1; i >= 0; i--) {
                if (oldVals[i] != null) {
                    put(oldKeys[i], oldVals[i]);
                }
            }
        }
    }

    /** The size of the array part. */
    int arraySize() {
        return array.length;
    }

    /** luaH_resizearray: what SETLIST does before storing more items than the constructor announced. */
    void resizeArray(int nasize) {
        resize(nasize, keys == null ? 0 : keys.length);
    }

    // ------------------------------------------------------------------------------------------------
    // Traversal and length
    // ------------------------------------------------------------------------------------------------

    /**
     * luaH_next: the entry after {@code key} (nil = the first) as {key, value}, or null at the end; the
     * array part first, then the nodes in order. A key not in the table is "invalid key to 'next'".
     */
    public Object[] next(Object key) {
        int i = findIndex(key);
        for (i++; i < array.length; i++) {
            if (array[i] != null) {
                return new Object[] {(double) (i + 1), array[i]};
            }
        }
        if (keys != null) {
            for (i -= array.length; i < keys.length; i++) {
                if (vals[i] != null) {
                    return new Object[] {keys[i], vals[i]};
                }
            }
        }
        return null;
    }

    private int findIndex(Object key) {
        if (key == null) {
            return -1;
        }
        int k = arrayIndex(key);
        if (0 < k && k <= array.length) {
            return k - 1;
        }
        int i = findNode(key);
        if (i < 0) {
            throw LuaError.runtime("invalid key to 'next'");
        }
        return i + array.length;
    }

    /** luaH_getn: a border (a non-nil t[n] with a nil t[n+1]), found the way Lua 5.1 searches. */
    public int length() {
        int j = array.length;
        if (j > 0 && array[j - 1] == null) {
            int i = 0;
            while (j - i > 1) {
                int m = (i + j) >>> 1;
                if (array[m - 1] == null) {
                    j = m;
                } else {
                    i = m;
                }
            }
            return i;
        }
        if (keys == null) {
            return j;
        }
        long i = j;
        long jj = i + 1;
        while (getInt((int) jj) != null) {
            i = jj;
            jj *= 2;
            if (jj > Integer.MAX_VALUE) {
                int n = 1;
                while (getInt(n) != null) {
                    n++;
                }
                return n - 1;
            }
        }
        while (jj - i > 1) {
            long m = (i + jj) / 2;
            if (getInt((int) m) == null) {
                jj = m;
            } else {
                i = m;
            }
        }
        return (int) i;
    }
}
