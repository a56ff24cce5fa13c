package dev.duet.planner.exec.ops;

import org.apache.arrow.vector.FieldVector;

/**
 * Sorts row ids by their {@link NormalizedSortKeys}: a stable merge sort that moves each row's
 * first eight key bytes (as a long) along with its id, so that most comparisons read two
 * adjacent longs; only ties on them look at the rest of the key (and at strings). An optional
 * sequence number per id breaks remaining ties (TopN uses arrival order).
 */
final class RowSorter {
    private static final int INSERTION_SORT_MAX = 24;

    private final NormalizedSortKeys encoding;
    private final byte[] keys;
    private final FieldVector[][] batches;
    private final int[] batchOf;
    private final int[] rowOf;
    private final long[] sequence;
    private final boolean firstWordDecides;

    private RowSorter(NormalizedSortKeys encoding, byte[] keys, FieldVector[][] batches, int[] batchOf, int[] rowOf,
            long[] sequence) {
        this.encoding = encoding;
        this.keys = keys;
        this.batches = batches;
        this.batchOf = batchOf;
        this.rowOf = rowOf;
        this.sequence = sequence;
        this.firstWordDecides = encoding.rowWidth == 8 && !encoding.hasStrings() && sequence == null;
    }

    /**
     * Sorts {@code ids[0..n)}: each id is a row position in {@code keys} and lives at row
     * {@code rowOf[id]} of batch {@code batchOf[id]}. Scratch arrays are charged to {@code memory}.
     */
    static void sort(NormalizedSortKeys encoding, byte[] keys, int[] ids, int n, FieldVector[][] batches, int[] batchOf,
            int[] rowOf, long[] sequence, HeapReservation memory) {
        if (n < 2) {
            return;
        }
        long scratch = 20L * n;
        memory.add(scratch);
        try {
            long[] first = new long[n];
            for (int i = 0; i < n; i++) {
                first[i] = encoding.firstWord(keys, ids[i]);
            }
            long[] auxFirst = first.clone();
            int[] auxIds = java.util.Arrays.copyOf(ids, n);
            new RowSorter(encoding, keys, batches, batchOf, rowOf, sequence).mergeSort(auxFirst, auxIds, first, ids, 0, n);
        } finally {
            memory.release(scratch);
        }
    }

    private int compare(long fa, int a, long fb, int b) {
        if (fa != fb) {
            return Long.compareUnsigned(fa, fb);
        }
        if (firstWordDecides) {
            return 0;
        }
        int c = encoding.compare(keys, a, keys, b, batches, batchOf[a], rowOf[a], batchOf[b], rowOf[b]);
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
