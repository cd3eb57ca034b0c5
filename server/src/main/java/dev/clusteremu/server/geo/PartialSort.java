package dev.clusteremu.server.geo;

import java.util.Comparator;

/**
 * Redis's partial quicksort (pqsort.c): Bentley and McIlroy's quicksort ("Engineering a Sort Function",
 * as in the BSD libc) that only recurses into partitions overlapping a range of positions, so that those
 * positions end up holding what a full sort would put there while the rest stays partly unsorted. GEOSEARCH
 * with COUNT (and no ANY) uses it to find the nearest points.
 *
 * <p>The algorithm is not stable: which of several equally distant points fills the last positions, and
 * in which order equal points come out, depends on its exact pivot choices and swaps. Those are
 * reproduced here step for step (on element indices instead of byte pointers) so that such ties come out
 * as Redis returns them.
 */
public final class PartialSort {
    /** Below this many elements a partition is insertion-sorted. */
    private static final int INSERTION_SORT_BELOW = 7;
    /** Above this many elements the pivot is Tukey's ninther instead of a median of three. */
    private static final int NINTHER_ABOVE = 40;

    private PartialSort() {
    }

    /** pqsort: sorts {@code a} enough for positions {@code from} to {@code to} (inclusive) to be final. */
    public static <T> void sort(T[] a, Comparator<? super T> cmp, int from, int to) {
        sort(a, 0, a.length, cmp, from, to);
    }

    /**
     * Partitions {@code a[base, base+n)} around a pivot into [equal to pivot | less | greater | equal], moves
     * the equal runs to the middle, then sorts the "less" part when it overlaps [from, to] (recursively)
     * and the "greater" part the same way (by looping).
     */
    private static <T> void sort(T[] a, int base, int n, Comparator<? super T> cmp, int from, int to) {
        while (true) {
            if (n < INSERTION_SORT_BELOW) {
                for (int m = base + 1; m < base + n; m++) {
                    for (int l = m; l > base && cmp.compare(a[l - 1], a[l]) > 0; l--) {
                        swap(a, l, l - 1);
                    }
                }
                return;
            }
            int pivot = base + n / 2;
            if (n > INSERTION_SORT_BELOW) {
                int lo = base;
                int hi = base + n - 1;
                if (n > NINTHER_ABOVE) {
                    int d = n / 8;
                    lo = median3(a, lo, lo + d, lo + 2 * d, cmp);
                    pivot = median3(a, pivot - d, pivot, pivot + d, cmp);
                    hi = median3(a, hi - 2 * d, hi - d, hi, cmp);
                }
                pivot = median3(a, lo, pivot, hi, cmp);
            }
            swap(a, base, pivot);

            // a[base] is the pivot; [base+1, pa) and (pd, base+n) collect elements equal to it.
            int pa = base + 1;
            int pb = base + 1;
            int pc = base + n - 1;
            int pd = base + n - 1;
            while (true) {
                int r;
                while (pb <= pc && (r = cmp.compare(a[pb], a[base])) <= 0) {
                    if (r == 0) {
                        swap(a, pa, pb);
                        pa++;
                    }
                    pb++;
                }
                while (pb <= pc && (r = cmp.compare(a[pc], a[base])) >= 0) {
                    if (r == 0) {
                        swap(a, pc, pd);
                        pd--;
                    }
                    pc--;
                }
                if (pb > pc) {
                    break;
                }
                swap(a, pb, pc);
                pb++;
                pc--;
            }

            int end = base + n;
            int r = Math.min(pa - base, pb - pa);
            swapRuns(a, base, pb - r, r);
            r = Math.min(pd - pc, end - pd - 1);
            swapRuns(a, pb, end - r, r);

            int less = pb - pa;
            if (less > 1 && overlaps(base, less, from, to)) {
                sort(a, base, less, cmp, from, to);
            }
            int greater = pd - pc;
            if (greater > 1) {
                base = end - greater;
                n = greater;
                if (overlaps(base, n, from, to)) {
                    continue;
                }
            }
            return;
        }
    }

    /** Whether [start, start+length) and [from, to] share a position. */
    private static boolean overlaps(int start, int length, int from, int to) {
        return !((from < start && to < start) || (from >= start + length && to >= start + length));
    }

    /** med3: the index of the median of three elements, with the comparisons in Redis's order. */
    private static <T> int median3(T[] a, int i, int j, int k, Comparator<? super T> cmp) {
        if (cmp.compare(a[i], a[j]) < 0) {
            return cmp.compare(a[j], a[k]) < 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? k : i);
        }
        return cmp.compare(a[j], a[k]) > 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? i : k);
    }

    private static <T> void swap(T[] a, int i, int j) {
        T t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** vecswap: swaps the runs of {@code n} elements starting at {@code i} and at {@code j}, pairwise. */
    private static <T> void swapRuns(T[] a, int i, int j, int n) {
        for (int k = 0; k < n; k++) {
            swap(a, i + k, j + k);
        }
    }
}
