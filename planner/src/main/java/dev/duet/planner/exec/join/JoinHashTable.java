package dev.duet.planner.exec.join;

import java.util.Arrays;

/**
 * The hash table of a hash join, over primitive arrays: bucket heads, and a chain through the build
 * rows. Build row {@code r} is in the chain of bucket {@code bucket(keys[r])}; its key (packed, or
 * the hash of a wider key, see {@link KeyColumns}) is {@code keys[r]}, and {@code next[r]} is the
 * next row of the same bucket, -1 at the end. Rows with a NULL key are in no chain: they match
 * nothing. Duplicate keys are simply several rows of one chain.
 *
 * <p>The table is sized once, from the build side's exact row count (it is built after the whole
 * build side is buffered): at least two buckets per row, so chains stay short.
 */
final class JoinHashTable {
    /** First row of each bucket's chain, -1 if empty; length a power of two. */
    final int[] heads;
    /** Next row in the same bucket's chain, -1 at the end. */
    final int[] next;
    /** Each build row's key (packed or hashed). */
    final long[] keys;
    private final int mask;
    /** Whether {@link #keys} are packed keys (mixed before bucketing) or hashes (already mixed). */
    private final boolean packed;

    /** Bytes {@link #build} will allocate for {@code rows} build rows, to reserve beforehand. */
    static long bytesFor(int rows) {
        return (long) bucketCount(rows) * Integer.BYTES + (long) rows * Integer.BYTES;
    }

    private static int bucketCount(int rows) {
        long wanted = Math.max(16L, 2L * rows);
        if (wanted > 1 << 30) {
            return 1 << 30;
        }
        return Integer.highestOneBit((int) wanted - 1) << 1;
    }

    /**
     * A table over {@code rows} build rows whose keys are {@code keys} (kept, not copied); rows
     * flagged in {@code nulls} are left out.
     */
    JoinHashTable(long[] keys, boolean[] nulls, int rows, boolean packed) {
        this.keys = keys;
        this.packed = packed;
        this.heads = new int[bucketCount(rows)];
        this.mask = heads.length - 1;
        this.next = new int[rows];
        Arrays.fill(heads, -1);
        // Inserting from the last row keeps each chain in build order.
        for (int r = rows - 1; r >= 0; r--) {
            if (nulls[r]) {
                next[r] = -1;
                continue;
            }
            int b = bucket(keys[r]);
            next[r] = heads[b];
            heads[b] = r;
        }
    }

    int bucket(long key) {
        return (int) (packed ? KeyColumns.mix(key) : key) & mask;
    }
}
