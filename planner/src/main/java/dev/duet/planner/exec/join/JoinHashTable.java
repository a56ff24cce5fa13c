package dev.duet.planner.exec.join;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.HeapReservation;
import java.util.concurrent.Executor;

/**
 * The hash table of a hash join, over primitive arrays. Each build row's key is one long (the key
 * itself when packed, else a hash of it, see {@link KeyColumns}); {@link #lookup} gives, for a
 * whole batch of probe keys in one loop, each key's first build row with that long, and
 * {@link #next} the following ones. Rows with a NULL key are left out: they match nothing.
 * Rows with equal longs come out in build order.
 *
 * <p>Two layouts, chosen when built from the keys' range:
 * <ul>
 * <li><b>direct</b>: packed keys that span a range no wider than the hashed layout's slot count
 *     times four (dense integer keys: TPC-H's suppliers, customers, all orders) are addressed by
 *     {@code key - min} in an int array: no hashing, no key comparison, one memory access;
 * <li><b>hashed</b>: open addressing with linear probing, the key (or hash) stored beside the
 *     row in one 16-byte slot, so a lookup costs one cache miss; at most half the slots are used.
 *     Beside the slots, a blocked Bloom filter of two bits per key (16 bits per key, at most
 *     512 KiB so that it stays in L2) answers most misses without touching them. For slots
 *     beyond the caches it saves the cache miss (TPC-H Q3, Q5: most line items find no order);
 *     for small tables it saves the branch: whether a probe's home slot is empty is a coin toss at
 *     half load, so a walk over the slots mispredicts about every other miss, while the filter's
 *     test is almost always "no" (TPC-H Q17: 6 million line items against 200 parts, Q8, Q19,
 *     Q20). The caller says per batch whether to consult it ({@link #lookup}): probes that mostly
 *     match gain nothing from it.
 * </ul>
 * Duplicate longs are chained through {@link #next}; a table without any
 * ({@link #unique()}) has no chain array, and a probe takes at most one candidate per row.
 *
 * <p>Built once from the build side's exact rows (the whole build side is buffered first); its
 * heap arrays are reserved against the query's memory limit before they are allocated.
 * Read-only once built, so parallel probes share it without locks ({@link SharedHashBuild}).
 */
final class JoinHashTable {
    private static final int BLOOM_MAX_WORDS = 1 << 16;
    /** Keys from which a build is split between threads (below, handing parts over costs more than it saves). */
    static final int PARALLEL_MIN_ENTRIES = 1 << 15;
    private static final int MAX_PARTS = 8;

    private final boolean packed;
    /** Direct layout: the smallest key; row + 1 of key {@code k}'s first build row at {@code first[k - min]}, 0 if none. */
    private final long min;
    private final int[] first;
    /** Hashed layout: key, row + 1, key, row + 1, ...; a row of 0 is an empty slot. Null when direct. */
    private final long[] slots;
    private final int mask;
    /** Blocked Bloom filter over the keys' hashes (hashed layout); null when direct. */
    private final long[] bloom;
    private final int bloomMask;
    /** Row + 1 of the next build row with the same long after row {@code r}, at {@code next[r]}; null if none repeat. */
    private final int[] next;
    private final long bytes;

    private JoinHashTable(boolean packed, long min, int[] first, long[] slots, long[] bloom, int[] next, long bytes) {
        this.packed = packed;
        this.min = min;
        this.first = first;
        this.slots = slots;
        this.mask = slots == null ? 0 : (slots.length >>> 1) - 1;
        this.bloom = bloom;
        this.bloomMask = bloom == null ? 0 : bloom.length - 1;
        this.next = next;
        this.bytes = bytes;
    }

    /**
     * A table over build rows {@code [0, count)} with keys {@code rowKeys} (packed keys or hashes,
     * as {@code packed} says); rows flagged in {@code nulls} are left out. Reserves its arrays in
     * {@code memory} first (53200 past the query's limit).
     */
    static JoinHashTable build(long[] rowKeys, boolean[] nulls, int count, boolean packed, HeapReservation memory) {
        return build(rowKeys, nulls, count, packed, memory, null, 1);
    }

    /**
     * {@link #build(long[], boolean[], int, boolean, HeapReservation)} on up to {@code threads}
     * threads: the calling one and {@code pool}'s (null: the calling thread alone). A table of at
     * least {@link #PARALLEL_MIN_ENTRIES} keys is built in parts that write disjoint parts of its
     * arrays, each part on its own thread ({@link BuildParts}): direct tables by key range;
     * hashed tables by the region of slots a key's home slot falls in (and the Bloom filter by
     * word), where a key whose walk would leave its region is left for one pass on the calling
     * thread afterwards, when every region is complete. Every row of one key has the same home
     * slot, so it falls in one part, which inserts it in the same order as a one-thread build:
     * chains keep build order, and the table is the same whichever thread built which part.
     */
    static JoinHashTable build(long[] rowKeys, boolean[] nulls, int count, boolean packed, HeapReservation memory,
            Executor pool, int threads) {
        int entries = 0;
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (int r = 0; r < count; r++) {
            if (!nulls[r]) {
                entries++;
                long k = rowKeys[r];
                lo = Math.min(lo, k);
                hi = Math.max(hi, k);
            }
        }
        int parts = pool == null || threads < 2 || entries < PARALLEL_MIN_ENTRIES
                ? 1 : Integer.highestOneBit(Math.min(threads, MAX_PARTS));
        int slotCount = slotCount(entries);
        long range = hi - lo; // negative when it overflows, or with no entries
        boolean direct = packed && entries > 0 && range >= 0 && range < 4L * slotCount;
        // The chain array is needed only if some long repeats; found while building, so reserved up front.
        long chainBytes = (long) count * Integer.BYTES;
        boolean[] repeats = new boolean[parts];
        if (direct) {
            int size = (int) range + 1;
            memory.add((long) size * Integer.BYTES + chainBytes);
            int[] first = new int[size];
            int[] next = new int[count];
            long lowest = lo;
            int perPart = (int) (((long) size + parts - 1) / parts);
            BuildParts.run(pool, parts, p -> {
                // this part's keys: first[from, to)
                int from = p * perPart;
                int to = (int) Math.min(size, (long) from + perPart);
                boolean repeated = false;
                for (int r = count - 1; r >= 0; r--) {
                    int at = (int) (rowKeys[r] - lowest);
                    if (!nulls[r] && at >= from && at < to) {
                        repeated |= first[at] != 0;
                        next[r] = first[at];
                        first[at] = r + 1;
                    }
                }
                repeats[p] = repeated;
            });
            return new JoinHashTable(true, lo, first, null, null, anyOf(repeats) ? next : null,
                    (long) size * Integer.BYTES + chainBytes);
        }
        // 16 bits a key (two of them set: about 1.5% false positives), at most 512 KiB so that it stays in L2.
        int bloomWords = Math.min(BLOOM_MAX_WORDS, Integer.highestOneBit(Math.max(1, entries / 4 - 1)) << 1);
        long tableBytes = (long) slotCount * 2 * Long.BYTES + (long) bloomWords * Long.BYTES + chainBytes;
        memory.add(tableBytes);
        long[] slots = new long[2 * slotCount];
        long[] bloom = new long[bloomWords];
        int[] next = new int[count];
        int m = slotCount - 1;
        int region = slotCount / parts;
        int wordsPerPart = Math.max(1, bloomWords / parts);
        int[][] left = new int[parts][];
        int[] leftCount = new int[parts];
        BuildParts.run(pool, parts, p -> {
            int regionStart = p * region;
            int regionEnd = regionStart + region;
            int wordStart = p * wordsPerPart;
            int wordEnd = p == parts - 1 ? bloomWords : wordStart + wordsPerPart;
            int[] out = new int[16];
            int outCount = 0;
            boolean repeated = false;
            for (int r = count - 1; r >= 0; r--) {
                if (nulls[r]) {
                    continue;
                }
                long k = rowKeys[r];
                long h = packed ? KeyColumns.mix(k) : k;
                int w = bloomWord(h) & (bloomWords - 1);
                if (w >= wordStart && w < wordEnd) {
                    bloom[w] |= bloomBits(h);
                }
                int s = (int) h & m;
                if (s < regionStart || s >= regionEnd) {
                    continue;
                }
                int at = insert(slots, next, s, regionEnd, k, r);
                if (at < 0) {
                    if (outCount == out.length) {
                        out = java.util.Arrays.copyOf(out, 2 * outCount);
                    }
                    out[outCount++] = r; // its walk reaches the next region: inserted once all are built
                } else {
                    repeated |= at > 0;
                }
            }
            left[p] = out;
            leftCount[p] = outCount;
            repeats[p] = repeated;
        });
        boolean repeated = anyOf(repeats);
        for (int p = 0; p < parts; p++) {
            // descending rows within a part, as every row of one key is in one part: chains keep build order
            for (int i = 0; i < leftCount[p]; i++) {
                int r = left[p][i];
                long k = rowKeys[r];
                int at = insert(slots, next, (int) (packed ? KeyColumns.mix(k) : k) & m, -1, k, r);
                repeated |= at > 0;
            }
        }
        return new JoinHashTable(packed, 0, null, slots, bloom, repeated ? next : null, tableBytes);
    }

    /**
     * Inserts build row {@code r} with long {@code k} walking from slot {@code s}, wrapping at the
     * table's end: 0 when it took an empty slot, 1 when it joined the chain of an equal long, -1
     * (nothing written) when the walk reached slot {@code stop} first (-1: never).
     */
    private static int insert(long[] slots, int[] next, int s, int stop, long k, int r) {
        int m = (slots.length >>> 1) - 1;
        while (true) {
            long row = slots[2 * s + 1];
            if (row == 0) {
                slots[2 * s] = k;
                slots[2 * s + 1] = r + 1;
                return 0;
            }
            if (slots[2 * s] == k) {
                next[r] = (int) row;
                slots[2 * s + 1] = r + 1;
                return 1;
            }
            if (++s == stop) {
                return -1; // before wrapping: the last region stops at the table's end too
            }
            s &= m;
        }
    }

    private static boolean anyOf(boolean[] flags) {
        for (boolean f : flags) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    /** Slots of the hashed layout: a power of two, at least twice the entries. */
    private static int slotCount(int entries) {
        long wanted = Math.max(16L, 2L * entries);
        if (wanted > 1 << 29) {
            // Two longs a slot must fit one Java array; the memory limit stops far smaller tables.
            throw DuetException.of(SqlState.OUT_OF_MEMORY,
                    "out of memory: a hash join's build side of %d rows is more than one hash table holds", entries);
        }
        return Integer.highestOneBit((int) wanted - 1) << 1;
    }

    private static int bloomWord(long h) {
        return (int) (h >>> 40);
    }

    /** Two bits of one word, from bits of the hash the slot index and the word do not use. */
    private static long bloomBits(long h) {
        return (1L << (int) (h >>> 32)) | (1L << (int) (h >>> 26));
    }

    /** Heap bytes of the table's arrays (reserved when it was built). */
    long bytes() {
        return bytes;
    }

    /** Whether no two build rows share a long: every probe row has at most one candidate. */
    boolean unique() {
        return next == null;
    }

    /** Whether the table addresses keys directly (for tests and EXPLAIN-level diagnostics). */
    boolean direct() {
        return slots == null;
    }

    /** Row + 1 of the build row after {@code row} with the same long, or 0 at the end of the chain. */
    int next(int row) {
        return next[row];
    }

    /** Whether {@link #lookup} can consult a Bloom filter (the hashed layout has one; the direct one needs none). */
    boolean filtered() {
        return bloom != null;
    }

    /**
     * For {@code i < count}: {@code out[i]} = row + 1 of the first build row whose long equals
     * {@code keys[i]}, or 0 if there is none or {@code nulls[i]}. With {@code filter} (and a
     * {@linkplain #filtered() filter to consult}) keys the Bloom filter rules out skip the slots.
     *
     * @return the rows that got past the filter when it was consulted, else the rows given a
     *         candidate: what a caller needs to tell whether the filter pays for this probe side
     */
    int lookup(long[] keys, boolean[] nulls, int count, int[] out, boolean filter) {
        if (slots == null) {
            return lookupDirect(keys, nulls, count, out);
        }
        return filter ? lookupFiltered(keys, nulls, count, out) : lookupHashed(keys, nulls, count, out);
    }

    private int lookupDirect(long[] keys, boolean[] nulls, int count, int[] out) {
        int[] first = this.first;
        long min = this.min;
        long size = first.length;
        int found = 0;
        for (int i = 0; i < count; i++) {
            long at = keys[i] - min;
            // Unsigned comparison: keys below min wrap to huge values and fail too.
            int r = !nulls[i] && Long.compareUnsigned(at, size) < 0 ? first[(int) at] : 0;
            out[i] = r;
            found += r != 0 ? 1 : 0;
        }
        return found;
    }

    private int lookupHashed(long[] keys, boolean[] nulls, int count, int[] out) {
        int found = 0;
        for (int i = 0; i < count; i++) {
            int r = nulls[i] ? 0 : find(keys[i]);
            out[i] = r;
            found += r != 0 ? 1 : 0;
        }
        return found;
    }

    private int lookupFiltered(long[] keys, boolean[] nulls, int count, int[] out) {
        long[] bloom = this.bloom;
        int bloomMask = this.bloomMask;
        boolean packed = this.packed;
        int passed = 0;
        for (int i = 0; i < count; i++) {
            long k = keys[i];
            long h = packed ? KeyColumns.mix(k) : k;
            long bits = bloomBits(h);
            if (nulls[i] || (bloom[bloomWord(h) & bloomMask] & bits) != bits) {
                out[i] = 0;
            } else {
                passed++;
                out[i] = findHashed(k, h);
            }
        }
        return passed;
    }

    private int find(long k) {
        return findHashed(k, packed ? KeyColumns.mix(k) : k);
    }

    private int findHashed(long k, long h) {
        long[] slots = this.slots;
        int s = (int) h & mask;
        while (true) {
            long row = slots[2 * s + 1];
            if (row == 0) {
                return 0;
            }
            if (slots[2 * s] == k) {
                return (int) row;
            }
            s = (s + 1) & mask;
        }
    }
}
