package dev.clusteremu.server.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The partial quicksort leaves the asked positions as a full sort would. */
class PartialSortTest {

    @Property(tries = 300)
    void theWindowHoldsWhatAFullSortPutsThere(@ForAll @Size(max = 120) List<@IntRange(min = 0, max = 9) Integer> values,
                                              @ForAll @IntRange(min = 0, max = 119) int start,
                                              @ForAll @IntRange(min = 0, max = 119) int span) {
        Integer[] partial = values.toArray(Integer[]::new);
        Integer[] full = partial.clone();
        Arrays.sort(full);
        if (partial.length == 0) {
            return;
        }
        int from = start % partial.length;
        int to = from + span % (partial.length - from);
        PartialSort.sort(partial, Comparator.naturalOrder(), from, to);
        assertArrayEquals(Arrays.copyOfRange(full, from, to + 1), Arrays.copyOfRange(partial, from, to + 1));
    }

    @Property(tries = 100)
    void aWindowFromTheStartIsSortedAsCountWants(
            @ForAll @Size(max = 200) List<@IntRange(min = -50, max = 50) Integer> values,
            @ForAll @IntRange(min = 1, max = 200) int count) {
        Integer[] partial = values.toArray(Integer[]::new);
        Integer[] full = partial.clone();
        Arrays.sort(full, Comparator.reverseOrder());
        int n = Math.min(count, partial.length);
        if (n == 0) {
            return;
        }
        PartialSort.sort(partial, Comparator.reverseOrder(), 0, n - 1);
        assertArrayEquals(Arrays.copyOfRange(full, 0, n), Arrays.copyOfRange(partial, 0, n));
    }
}
