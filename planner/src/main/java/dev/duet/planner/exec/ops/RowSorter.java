package dev.duet.planner.exec.ops;

import dev.duet.core.exec.RadixSort;
import dev.duet.core.exec.HeapReservation;
/**
 * Sorts row ids by their {@link NormalizedSortKeys}, stably. Each row's first eight key bytes (an
 * unsigned long) travel with its id through an LSD radix sort, one pass per byte that is not the
 * same in every row; runs of rows that tie on those bytes are then put in order by a merge sort
 * that compares the rest of their keys (and strings longer than their prefix). An optional
 * sequence number per id breaks remaining ties (TopN uses arrival order). Small inputs skip the
 * radix passes and merge-sort directly.
 */
final class RowSorter {
    private static final int INSERTION_SORT_MAX = 24;
    /** Below this many rows the merge sort alone is faster than radix passes. */
    private static final int RADIX_MIN = 512;

    private final NormalizedSortKeys encoding;
    private final byte[] keys;
    private final NormalizedSortKeys.RowLocator rows;
    private final long[] sequence;
    private final boolean firstWordDecides;

    private RowSorter(NormalizedSortKeys encoding, byte[] keys, NormalizedSortKeys.RowLocator rows, long[] sequence) {
        this.encoding = encoding;
        this.keys = keys;
        this.rows = rows;
        this.sequence = sequence;
        this.firstWordDecides = encoding.rowWidth == 8 && !encoding.hasStrings() && sequence == null;
    }

    /**
     * Sorts {@code ids[0..n)}: each id is a row position in {@code keys}, whose row {@code rows}
     * locates. Scratch arrays are charged to {@code memory}.
     */
    static void sort(NormalizedSortKeys encoding, byte[] keys, int[] ids, int n, NormalizedSortKeys.RowLocator rows,
            long[] sequence, HeapReservation memory) {
        if (n < 2) {
            return;
        }
        long scratch = 24L * n + (n >= RADIX_MIN ? 8 * 256 * 8 : 0);
        memory.add(scratch);
        try {
            long[] first = new long[n];
            for (int i = 0; i < n; i++) {
                first[i] = encoding.firstWord(keys, ids[i]);
            }
            RowSorter sorter = new RowSorter(encoding, keys, rows, sequence);
            if (n < RADIX_MIN) {
                long[] auxFirst = first.clone();
                int[] auxIds = java.util.Arrays.copyOf(ids, n);
                sorter.mergeSort(auxFirst, auxIds, first, ids, 0, n);
                return;
            }
            long[] auxFirst = new long[n];
            int[] auxIds = new int[n];
            if (RadixSort.sort(first, ids, auxFirst, auxIds, n)) {
                System.arraycopy(auxFirst, 0, first, 0, n);
                System.arraycopy(auxIds, 0, ids, 0, n);
            }
            if (!sorter.firstWordDecides) {
                sorter.sortTies(first, ids, auxFirst, auxIds, n);
            }
        } finally {
            memory.release(scratch);
        }
    }

    /** Sorts each run of equal first words by the rest of the key (the runs keep input order so far). */
    private void sortTies(long[] first, int[] ids, long[] auxFirst, int[] auxIds, int n) {
        int start = 0;
        while (start < n) {
            long f = first[start];
            int end = start + 1;
            while (end < n && first[end] == f) {
                end++;
            }
            if (end - start > 1) {
                System.arraycopy(first, start, auxFirst, start, end - start);
                System.arraycopy(ids, start, auxIds, start, end - start);
                mergeSort(auxFirst, auxIds, first, ids, start, end);
            }
            start = end;
        }
    }

    private int compare(long fa, int a, long fb, int b) {
        if (fa != fb) {
            return Long.compareUnsigned(fa, fb);
        }
        if (firstWordDecides) {
            return 0;
        }
        int c = encoding.compare(keys, a, rows, keys, b, rows);
        if (c == 0 && sequence != null) {
            c = Long.compare(sequence[a], sequence[b]);
        }
        return c;
    }

    /** Sorts src[lo, hi) into dst[lo, hi); on entry both hold the same elements. */
    private void mergeSort(long[] srcF, int[] srcI, long[] dstF, int[] dstI, int lo, int hi) {
        int length = hi - lo;
        if (length <= INSERTION_SORT_MAX) {
            for (int i = lo + 1; i < hi; i++) {
                long f = dstF[i];
                int id = dstI[i];
                int j = i - 1;
                while (j >= lo && compare(dstF[j], dstI[j], f, id) > 0) {
                    dstF[j + 1] = dstF[j];
                    dstI[j + 1] = dstI[j];
                    j--;
                }
                dstF[j + 1] = f;
                dstI[j + 1] = id;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        mergeSort(dstF, dstI, srcF, srcI, lo, mid);
        mergeSort(dstF, dstI, srcF, srcI, mid, hi);
        if (compare(srcF[mid - 1], srcI[mid - 1], srcF[mid], srcI[mid]) <= 0) {
            System.arraycopy(srcF, lo, dstF, lo, length);
            System.arraycopy(srcI, lo, dstI, lo, length);
            return;
        }
        for (int i = lo, p = lo, q = mid; i < hi; i++) {
            if (q >= hi || (p < mid && compare(srcF[p], srcI[p], srcF[q], srcI[q]) <= 0)) {
                dstF[i] = srcF[p];
                dstI[i] = srcI[p++];
            } else {
                dstF[i] = srcF[q];
                dstI[i] = srcI[q++];
            }
        }
    }
}
