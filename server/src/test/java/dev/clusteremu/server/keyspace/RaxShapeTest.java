package dev.clusteremu.server.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import org.junit.jupiter.api.Test;

/**
 * The node count of a radix tree built by insertions only, computed from its keys ({@link
 * RaxShape#nodeCountOf}), against the tree the insertions build.
 */
class RaxShapeTest {

    @Test
    void anEmptyTreeIsItsHeadAndOneKeyIsARunAndALeaf() {
        assertEquals(1, RaxShape.nodeCountOf(List.of()));
        assertEquals(2, RaxShape.nodeCountOf(List.of(new StreamId(5, 0).encode())));
        RaxShape rax = new RaxShape();
        rax.insert(new StreamId(5, 0).encode());
        assertEquals(2, rax.nodeCount());
    }

    @Test
    void consecutiveIdsShareTheirRunUpToTheLastByte() {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            keys.add(new StreamId(7, i).encode());
        }
        // A run of 15 bytes, a node branching on the last byte, and three leaves.
        assertEquals(5, RaxShape.nodeCountOf(keys));
    }

    @Property(tries = 200)
    void insertionsInAnyOrderBuildTheTreeTheKeysDescribe(@ForAll @IntRange(min = 0, max = 60) int count,
                                                         @ForAll @IntRange(min = 2, max = 5) int alphabet,
                                                         @ForAll long seed) {
        Random random = new Random(seed);
        TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);
        while (keys.size() < count) {
            byte[] key = new byte[StreamId.ENCODED_SIZE];
            for (int i = 0; i < key.length; i++) {
                // Few distinct bytes, mostly zeros: keys share long prefixes and branch at every depth.
                key[i] = random.nextInt(4) == 0 ? (byte) (random.nextInt(alphabet) * 70) : 0;
            }
            keys.add(key);
        }
        List<byte[]> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, random);
        RaxShape rax = new RaxShape();
        shuffled.forEach(rax::insert);
        assertEquals(rax.nodeCount(), RaxShape.nodeCountOf(new ArrayList<>(keys)));
    }

    @Property(tries = 300)
    void removalsLeaveTheTreeTheRemainingKeysDescribe(@ForAll @IntRange(min = 1, max = 60) int count,
                                                      @ForAll @IntRange(min = 2, max = 5) int alphabet,
                                                      @ForAll long seed) {
        Random random = new Random(seed);
        TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);
        while (keys.size() < count) {
            byte[] key = new byte[StreamId.ENCODED_SIZE];
            for (int i = 0; i < key.length; i++) {
                key[i] = random.nextInt(4) == 0 ? (byte) (random.nextInt(alphabet) * 70) : 0;
            }
            keys.add(key);
        }
        RaxShape rax = new RaxShape();
        keys.forEach(rax::insert);
        List<byte[]> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, random);
        for (byte[] key : shuffled.subList(0, random.nextInt(count + 1))) {
            rax.remove(key);
            keys.remove(key);
            assertEquals(RaxShape.nodeCountOf(new ArrayList<>(keys)), rax.nodeCount());
        }
    }
}
