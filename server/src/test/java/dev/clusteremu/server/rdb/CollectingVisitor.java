package dev.clusteremu.server.rdb;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything a read reports, kept in order. */
class CollectingVisitor implements RdbVisitor<byte[]> {
    final Map<String, String> aux = new LinkedHashMap<>();
    final List<RdbKey> keys = new ArrayList<>();
    final List<byte[]> values = new ArrayList<>();
    final List<Integer> selectedDbs = new ArrayList<>();
    final List<long[]> resizes = new ArrayList<>();
    final List<byte[]> functions = new ArrayList<>();

    @Override
    public void aux(byte[] name, byte[] value) {
        aux.put(new String(name, UTF_8), new String(value, UTF_8));
    }

    @Override
    public void selectDb(int db) {
        selectedDbs.add(db);
    }

    @Override
    public void resizeDb(long dbSize, long expiresSize) {
        resizes.add(new long[] {dbSize, expiresSize});
    }

    @Override
    public void functionLibrary(byte[] code) {
        functions.add(code);
    }

    @Override
    public void keyValue(RdbKey key, byte[] value) {
        keys.add(key);
        values.add(value);
    }

    byte[] value(String key) {
        for (int i = 0; i < keys.size(); i++) {
            if (Arrays.equals(keys.get(i).key(), key.getBytes(ISO_8859_1))) {
                return values.get(i);
            }
        }
        throw new AssertionError("no key " + key);
    }

    RdbKey key(String key) {
        return keys.stream().filter(k -> Arrays.equals(k.key(), key.getBytes(ISO_8859_1))).findFirst()
                .orElseThrow();
    }
}
