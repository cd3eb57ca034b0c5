package dev.clusteremu.server.keyspace;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.junit.jupiter.api.Test;

import dev.clusteremu.server.rdb.Intset;

class SetValueTest {
    private static final long MAX = 512;

    private static byte[] b(String s) {
        return s.getBytes(ISO_8859_1);
    }

    private static List<String> members(SetValue s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            out.add(new String(s.memberAt(i), ISO_8859_1));
        }
        return out;
    }

    @Test
    void aNewSetIsAnIntsetOnlyForAnIntegerFirstMember() {
        assertEquals(SetValue.Encoding.INTSET, SetValue.createFor(b("-12")).encoding());
        assertEquals(SetValue.Encoding.HASHTABLE, SetValue.createFor(b("012")).encoding());
        assertEquals(SetValue.Encoding.HASHTABLE, SetValue.createFor(b("9223372036854775808")).encoding());
    }

    @Test
    void anIntsetIsSortedAndAnswersMembershipByValue() {
        SetValue s = SetValue.createIntset();
        for (String m : List.of("5", "-3", "100", "5")) {
            s.add(b(m), MAX);
        }
        assertEquals(List.of("-3", "5", "100"), members(s));
        assertTrue(s.contains(b("100")));
        assertFalse(s.contains(b("0100")));
        assertFalse(s.contains(b("x")));
        assertFalse(s.remove(b("x")));
        assertEquals("intset", s.encodingName());
    }

    @Test
    void anIntsetWidensForLargeMembersAndNeverNarrows() {
        SetValue s = SetValue.createIntset();
        s.add(b("1"), MAX);
        assertEquals(Intset.WIDTH_16, s.intsetWidth());
        s.add(b("-2147483649"), MAX);
        assertEquals(Intset.WIDTH_64, s.intsetWidth());
        s.remove(b("-2147483649"));
        assertEquals(Intset.WIDTH_64, s.intsetWidth());
        assertArrayEquals(new long[] {1}, Arrays.copyOf(s.intsetMembers(), s.size()));
    }

    @Test
    void anIntsetConvertsForANonIntegerOrPastTheLimitAndNeverBack() {
        SetValue s = SetValue.createIntset();
        s.add(b("1"), 2);
        s.add(b("2"), 2);
        assertEquals(SetValue.Encoding.INTSET, s.encoding());
        s.add(b("3"), 2);
        assertEquals(SetValue.Encoding.HASHTABLE, s.encoding());
        s.remove(b("3"));
        assertEquals(SetValue.Encoding.HASHTABLE, s.encoding());
        SetValue t = SetValue.createIntset();
        t.add(b("1"), MAX);
        t.add(b("a"), MAX);
        assertEquals(SetValue.Encoding.HASHTABLE, t.encoding());
        assertTrue(t.contains(b("1")));
    }

    @Property
    void everyEncodingHoldsWhatASetHolds(@ForAll @Size(max = 80) List<@IntRange(max = 40) Integer> ops,
                                         @ForAll @IntRange(min = 0, max = 6) int intsetLimit) {
        SetValue s = SetValue.createIntset();
        Set<String> model = new HashSet<>();
        for (int op : ops) {
            String member = op % 9 == 8 ? "m" + op % 4 : Integer.toString(op % 13 - 6);
            if (op >= 30) {
                assertEquals(model.remove(member), s.remove(b(member)));
            } else {
                assertEquals(model.add(member), s.add(b(member), intsetLimit));
            }
            assertEquals(model.size(), s.size());
            assertTrue(model.stream().allMatch(m -> s.contains(b(m))));
        }
        assertEquals(model, new HashSet<>(members(s)));
    }
}
