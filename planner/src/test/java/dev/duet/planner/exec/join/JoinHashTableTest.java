package dev.duet.planner.exec.join;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.exec.HeapReservation;
import dev.duet.core.exec.QueryContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * {@link JoinHashTable}'s layouts against a map of lists: which layout the keys' range picks, and
 * that every lookup and chain gives exactly the build rows with the key, in build order, with
 * NULL rows left out and keys outside the range (below, above, at the ends of the long range)
 * finding nothing.
 */
class JoinHashTableTest extends OperatorTestBase {

    /** Builds a table over {@code keys} (NULL where {@code nulls}) and checks it against a reference map for {@code probes}. */
    private JoinHashTable check(long[] keys, boolean[] nulls, long[] probes, boolean packed) {
        JoinHashTable serial = check(keys, nulls, probes, packed, null, 1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int threads : new int[] {2, 4}) {
                // built in parts on several threads (when large enough): the same layout and answers
                JoinHashTable parts = check(keys, nulls, probes, packed, pool, threads);
                assertEquals(serial.direct(), parts.direct());
                assertEquals(serial.unique(), parts.unique());
                assertEquals(serial.bytes(), parts.bytes());
            }
        } finally {
            pool.shutdown();
        }
        return serial;
    }

    private JoinHashTable check(long[] keys, boolean[] nulls, long[] probes, boolean packed, Executor pool, int threads) {
        QueryContext ctx = context(1024);
        try (HeapReservation memory = new HeapReservation(ctx, "test")) {
            JoinHashTable table = JoinHashTable.build(keys, nulls, keys.length, packed, memory, pool, threads);
            assertEquals(table.bytes(), memory.used(), "the table's arrays are reserved");
            Map<Long, List<Integer>> expected = new HashMap<>();
            for (int r = 0; r < keys.length; r++) {
                if (!nulls[r]) {
                    expected.computeIfAbsent(keys[r], k -> new ArrayList<>()).add(r);
                }
            }
            boolean[] probeNulls = new boolean[probes.length];
            for (int i = 0; i < probes.length; i += 7) {
                probeNulls[i] = true;
            }
            int[] first = new int[probes.length];
            int[] unfiltered = new int[probes.length];
            int passed = table.lookup(probes, probeNulls, probes.length, first, true);
            int found = table.lookup(probes, probeNulls, probes.length, unfiltered, false);
            assertArrayEquals(unfiltered, first, "the Bloom filter rules out no key the table holds");
            int candidates = 0;
            for (int f : first) {
                candidates += f != 0 ? 1 : 0;
            }
            assertEquals(candidates, found, "rows given a candidate");
            assertTrue(passed >= found && passed <= probes.length, passed + " rows past the filter");
            if (!table.filtered()) {
                assertEquals(found, passed, "no filter to consult");
            }
            for (int i = 0; i < probes.length; i++) {
                List<Integer> rows = new ArrayList<>();
                for (int r = first[i]; r != 0; r = table.unique() ? 0 : table.next(r - 1)) {
                    rows.add(r - 1);
                }
                List<Integer> want = probeNulls[i] ? List.of() : expected.getOrDefault(probes[i], List.of());
                assertEquals(want, rows, "build rows of key " + probes[i]);
            }
            return table;
        }
    }

    private static long[] probesAround(long[] keys, Random rnd) {
        long[] probes = new long[keys.length * 2 + 4];
        for (int i = 0; i < keys.length; i++) {
            probes[2 * i] = keys[i];
            probes[2 * i + 1] = keys[rnd.nextInt(keys.length)] + rnd.nextInt(5) - 2;
        }
        int n = probes.length;
        probes[n - 4] = Long.MIN_VALUE;
        probes[n - 3] = Long.MAX_VALUE;
        probes[n - 2] = -1;
        probes[n - 1] = 0;
        return probes;
    }

    @Test
    void denseKeysAreAddressedDirectlyWithChainsForRepeats() {
        Random rnd = new Random(1);
        long[] keys = new long[5000];
        boolean[] nulls = new boolean[keys.length];
        for (int r = 0; r < keys.length; r++) {
            keys[r] = -300 + rnd.nextInt(4000); // negative keys too; repeats
            nulls[r] = rnd.nextInt(20) == 0;
        }
        JoinHashTable t = check(keys, nulls, probesAround(keys, rnd), true);
        assertTrue(t.direct());
        assertFalse(t.unique());
    }

    @Test
    void denseUniqueKeysNeedNoChain() {
        long[] keys = new long[3000];
        for (int r = 0; r < keys.length; r++) {
            keys[r] = keys.length - r; // descending, unique
        }
        JoinHashTable t = check(keys, new boolean[keys.length], probesAround(keys, new Random(2)), true);
        assertTrue(t.direct());
        assertTrue(t.unique());
    }

    @Test
    void sparseKeysAreHashedAndLargeTablesFilterMisses() {
        Random rnd = new Random(3);
        long[] keys = new long[40_000]; // over the Bloom filter's threshold
        boolean[] nulls = new boolean[keys.length];
        long[] pool = new long[30_000];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = rnd.nextLong();
        }
        pool[0] = Long.MIN_VALUE;
        pool[1] = Long.MAX_VALUE;
        for (int r = 0; r < keys.length; r++) {
            keys[r] = pool[rnd.nextInt(pool.length)];
            nulls[r] = rnd.nextInt(50) == 0;
        }
        JoinHashTable t = check(keys, nulls, probesAround(keys, rnd), true);
        assertFalse(t.direct());
        assertFalse(t.unique());
        // The same longs as hashes of wider keys (not packed): never addressed directly.
        long[] small = new long[2000];
        for (int r = 0; r < small.length; r++) {
            small[r] = r / 2;
        }
        assertFalse(check(small, new boolean[small.length], probesAround(small, rnd), false).direct());
    }

    @Test
    void smallHashedTablesFilterMissesToo() {
        Random rnd = new Random(6);
        long[] keys = new long[64]; // a handful of sparse keys: hashed, with a filter of 16 words
        for (int r = 0; r < keys.length; r++) {
            keys[r] = 1 + rnd.nextInt(200_000);
        }
        long[] probes = new long[20_000];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = i % 50 == 0 ? keys[rnd.nextInt(keys.length)] : 1 + rnd.nextInt(200_000);
        }
        JoinHashTable t = check(keys, new boolean[keys.length], probes, true);
        assertFalse(t.direct());
        assertTrue(t.filtered());
        int[] out = new int[probes.length];
        int passed = t.lookup(probes, new boolean[probes.length], probes.length, out, true);
        assertTrue(passed < probes.length / 10, passed + " of " + probes.length + " mostly missing keys got past the filter");
    }

    @Test
    void largeTablesBuiltInPartsMatchTheReference() {
        Random rnd = new Random(7);
        // hashed, repeated keys, NULLs: past the threshold, so built in 2 and 4 parts by check()
        long[] keys = new long[3 * JoinHashTable.PARALLEL_MIN_ENTRIES];
        boolean[] nulls = new boolean[keys.length];
        for (int r = 0; r < keys.length; r++) {
            keys[r] = rnd.nextLong() >> rnd.nextInt(30);
            if (r % 3 == 1) {
                keys[r] = keys[rnd.nextInt(r)];
            }
            nulls[r] = rnd.nextInt(30) == 0;
        }
        JoinHashTable hashed = check(keys, nulls, probesAround(keys, rnd), true);
        assertFalse(hashed.direct());
        assertFalse(hashed.unique());
        // wide-key hashes whose home slots crowd the end of every region (and of the table), so
        // that many walks leave their region and are inserted after the parts
        long[] crowded = new long[JoinHashTable.PARALLEL_MIN_ENTRIES + 500];
        int slots = 4 * Integer.highestOneBit(crowded.length); // slotCount(): at least twice the entries, a power of two
        for (int r = 0; r < crowded.length; r++) {
            int region = rnd.nextInt(4) * (slots / 4);
            long home = region + (r % 2 == 0 ? slots / 4 - 1 - rnd.nextInt(64) : rnd.nextInt(slots / 4));
            crowded[r] = (rnd.nextLong() << 32) | home; // unpacked: the long is its own hash, home = low bits
            if (r % 5 == 4) {
                crowded[r] = crowded[r - 1];
            }
        }
        assertFalse(check(crowded, new boolean[crowded.length], probesAround(crowded, rnd), false).direct());
        // direct, with repeats
        long[] dense = new long[2 * JoinHashTable.PARALLEL_MIN_ENTRIES];
        for (int r = 0; r < dense.length; r++) {
            dense[r] = 5 + rnd.nextInt(dense.length);
        }
        assertTrue(check(dense, new boolean[dense.length], probesAround(dense, rnd), true).direct());
    }

    @Test
    void aRangeWiderThanALongIsHashed() {
        long[] keys = {Long.MIN_VALUE, Long.MAX_VALUE, 0, 5};
        JoinHashTable t = check(keys, new boolean[keys.length], probesAround(keys, new Random(4)), true);
        assertFalse(t.direct());
        assertTrue(t.unique());
    }

    @Test
    void onlyNullKeysMatchNothing() {
        long[] keys = {1, 2, 3};
        JoinHashTable t = check(keys, new boolean[] {true, true, true}, probesAround(keys, new Random(5)), true);
        assertFalse(t.direct());
    }
}
