package dev.duet.planner.exec.join;

/**
 * The hash table of a hash join, over primitive arrays in bucket order: the entries of bucket
 * {@code b} are positions {@code [start[b], start[b + 1])} of {@link #entries}, entry {@code p}
 * being the pair {@code entries[2p]} (the build row's key, packed, or the hash of a wider key, see
 * {@link KeyColumns}) and {@code entries[2p + 1]} (the build row). A probe touches one
 * bucket-start pair and then consecutive entries, rather than following a chain through memory;
 * a key and its row share a cache line, so a match costs one miss rather than two. Rows with a NULL key are left out: they match nothing. Duplicate keys are
 * several entries of one bucket, in build order.
 *
 * <p>Built once, from the build side's exact row count (the whole build side is buffered first),
 * with at least two buckets per row so that buckets hold about one entry.
 */
final class JoinHashTable {
    /** Bucket {@code b}'s entries are {@code [start[b], start[b + 1])}; length buckets + 1. */
    final int[] start;
    /** Entries bucket by bucket: key, build row, key, build row, ... */
    final long[] entries;
    private final int mask;
    /** Whether keys are packed keys (mixed before bucketing) or hashes (already mixed). */
    private final boolean packed;

    /** Heap bytes a table over {@code rows} build rows takes, to reserve before building it. */
    static long bytesFor(int rows) {
        return (long) (bucketCount(rows) + 1) * Integer.BYTES + (long) rows * 2 * Long.BYTES;
    }

    private static int bucketCount(int rows) {
        long wanted = Math.max(16L, 2L * rows);
        if (wanted > 1 << 30) {
            return 1 << 30;
        }
        return Integer.highestOneBit((int) wanted - 1) << 1;
    }

    /** A table over build rows {@code [0, count)} with keys {@code rowKeys}; rows flagged in {@code nulls} are left out. */
    JoinHashTable(long[] rowKeys, boolean[] nulls, int count, boolean packed) {
        this.packed = packed;
        int buckets = bucketCount(count);
        this.mask = buckets - 1;
        int[] s = new int[buckets + 1];
        int entries = 0;
        for (int r = 0; r < count; r++) {
            if (!nulls[r]) {
                s[bucket(rowKeys[r])]++;
                entries++;
            }
        }
        // s[b] becomes the end of bucket b; placing rows from the last down moves it to the start.
        for (int b = 1; b < buckets; b++) {
            s[b] += s[b - 1];
        }
        s[buckets] = entries;
        long[] e = new long[2 * entries];
        for (int r = count - 1; r >= 0; r--) {
            if (!nulls[r]) {
                long k = rowKeys[r];
                int at = --s[bucket(k)];
                e[2 * at] = k;
                e[2 * at + 1] = r;
            }
        }
        this.entries = e;
        this.start = s;
    }

    int bucket(long key) {
        return (int) (packed ? KeyColumns.mix(key) : key) & mask;
    }
}
