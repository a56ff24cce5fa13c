package dev.duet.rowstore;

import dev.duet.core.exec.RadixSort;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Sorts encoded keys into {@link VersionedTable#KEY_ORDER} (unsigned bytes, a prefix first) without
 * a comparison per pair: a least-significant-digit radix sort of each key's first sixteen bytes
 * ({@link RadixSort}: byte positions every key shares, such as the high bytes of ascending
 * integers, are skipped),
 * then a comparison sort only within runs of keys whose first sixteen bytes agree (longer keys,
 * or short keys that differ only in trailing zero bytes). Loading a checkpoint sorts every
 * row's key this way: a comparison sort of 6 million keys spent most of an SF 1 database's open
 * in {@code Arrays.compareUnsigned}.
 */
final class KeySort {
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Runs of equal prefixes up to this long are sorted by insertion. */
    private static final int INSERTION_RUN = 16;

    private KeySort() {
    }

    /** The positions of {@code keys[0..n)} in key order. */
    static int[] order(byte[][] keys, int n) {
        long[] hi = new long[n];
        long[] lo = new long[n];
        for (int i = 0; i < n; i++) {
            hi[i] = prefix(keys[i], 0);
            lo[i] = prefix(keys[i], 8);
        }
        // Least significant first: by the second eight bytes, then (stably) by the first eight.
        long[] sortKeys = lo.clone();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long[] auxKeys = new long[n];
        int[] auxOrder = new int[n];
        if (RadixSort.sort(sortKeys, order, auxKeys, auxOrder, n)) {
            System.arraycopy(auxOrder, 0, order, 0, n);
        }
        for (int i = 0; i < n; i++) {
            sortKeys[i] = hi[order[i]];
        }
        if (RadixSort.sort(sortKeys, order, auxKeys, auxOrder, n)) {
            System.arraycopy(auxKeys, 0, sortKeys, 0, n);
            System.arraycopy(auxOrder, 0, order, 0, n);
        }
        for (int from = 0; from < n;) {
            int to = from + 1;
            while (to < n && sortKeys[to] == sortKeys[from] && lo[order[to]] == lo[order[from]]) {
                to++;
            }
            if (to - from > 1) {
                sortRun(keys, order, from, to);
            }
            from = to;
        }
        return order;
    }

    /** Bytes {@code [at, at + 8)} of the key as an unsigned big-endian number, zero past its end. */
    static long prefix(byte[] key, int at) {
        if (key.length >= at + 8) {
            return (long) BIG_ENDIAN_LONG.get(key, at);
        }
        long p = 0;
        for (int i = at; i < at + 8; i++) {
            p = p << 8 | (i < key.length ? key[i] & 0xFF : 0);
        }
        return p;
    }

    private static void sortRun(byte[][] keys, int[] order, int from, int to) {
        if (to - from <= INSERTION_RUN) {
            for (int i = from + 1; i < to; i++) {
                int v = order[i];
                int j = i - 1;
                while (j >= from && Arrays.compareUnsigned(keys[order[j]], keys[v]) > 0) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = v;
            }
            return;
        }
        Integer[] run = new Integer[to - from];
        for (int i = from; i < to; i++) {
            run[i - from] = order[i];
        }
        Arrays.sort(run, (a, b) -> Arrays.compareUnsigned(keys[a], keys[b]));
        for (int i = from; i < to; i++) {
            order[i] = run[i - from];
        }
    }
}
