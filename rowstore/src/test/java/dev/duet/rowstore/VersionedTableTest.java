package dev.duet.rowstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The two indexes of {@link VersionedTable} (the open-addressing hash table and the skip list of
 * slots) against a model, single-threaded, and under the single-writer protocol with lock-free
 * readers: while one thread inserts and removes keys (growing the hash table many times), readers
 * must always find every key that stays, see keys in strictly increasing order, and never find a
 * key that was never there.
 */
class VersionedTableTest {
    private static byte[] key(long k) {
        return ByteBuffer.allocate(8).putLong(k).array();
    }

    private static long value(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }

    private static List<Long> keys(Iterable<VersionedTable.Slot> slots) {
        List<Long> out = new ArrayList<>();
        for (VersionedTable.Slot s : slots) {
            out.add(value(s.key));
        }
        return out;
    }

    @Test
    void neighbouringKeysTakeNeighbouringCellsAndRunsSpread() {
        Set<Integer> runs = new HashSet<>();
        for (long k = 0; k < 800_000; k += 8) {
            int h = VersionedTable.hash(key(k));
            assertEquals(0, h & 7, "a run starts at a multiple of eight cells");
            for (int j = 1; j < 8; j++) {
                assertEquals(h + j, VersionedTable.hash(key(k + j)), "key " + (k + j));
            }
            runs.add(h >>> 3);
        }
        assertTrue(runs.size() > 99_900, "runs of 100,000 key groups share " + (100_000 - runs.size()) + " hashes");
        assertEquals(VersionedTable.hash(new byte[0]), VersionedTable.hash(new byte[0]));
    }

    @Test
    void bothIndexesMatchAModel() {
        for (VersionedTable table : List.of(new VersionedTable(1), VersionedTable.forIndex(2))) {
            Random random = new Random(3);
            TreeMap<Long, VersionedTable.Slot> model = new TreeMap<>();
            long ts = 0;
            for (int step = 0; step < 20_000; step++) {
                long k = random.nextInt(3000);
                VersionedTable.Slot s = table.slot(key(k));
                assertSame(model.get(k), s, "slot of " + k);
                if (s == null || random.nextInt(3) > 0) {
                    table.install(s, key(k), ++ts, key(k));
                    if (s == null) {
                        model.put(k, table.slot(key(k)));
                    }
                } else {
                    table.install(s, key(k), ++ts, null);
                    assertTrue(table.removeIfDead(s, ts));
                    table.removeIfDead(s, ts); // a second removal finds nothing to take out (the count below shows it)
                    model.remove(k);
                }
                if (step % 1000 == 0) {
                    assertEquals(List.copyOf(model.keySet()), keys(table.slots()));
                    assertEquals(model.size(), table.slotCount());
                    long a = random.nextInt(3000);
                    long b = a + random.nextInt(500);
                    assertEquals(List.copyOf(model.subMap(a, b).keySet()), keys(table.range(key(a), key(b))));
                    assertEquals(List.copyOf(model.headMap(b).keySet()), keys(table.range(null, key(b))));
                    assertEquals(List.copyOf(model.tailMap(a).keySet()), keys(table.range(key(a), null)));
                    assertEquals(List.of(), keys(table.range(key(b + 1), key(b))));
                }
            }
            for (long k = 0; k < 3000; k++) {
                assertSame(model.get(k), table.slot(key(k)));
            }
        }
    }

    @Test
    void aLoadedTableAppendsInKeyOrderAndTakesMoreKeys() {
        VersionedTable table = new VersionedTable(1, 100);
        List<Long> shuffled = new ArrayList<>();
        for (long k = 0; k < 5000; k += 2) {
            shuffled.add(k);
        }
        Collections.shuffle(shuffled, new Random(5));
        VersionedTable.Loaded loaded = new VersionedTable.Loaded();
        for (long k : shuffled) {
            loaded.add(key(k), key(k));
        }
        table.load(loaded, 1);
        for (long k = 1; k < 5000; k += 2) {
            table.install(null, key(k), 2, key(k));
        }
        List<Long> expected = new ArrayList<>();
        for (long k = 0; k < 5000; k++) {
            expected.add(k);
            assertNotNull(table.slot(key(k)));
        }
        assertEquals(expected, keys(table.slots()));
        assertNull(table.slot(key(5000)));
    }

    @Test
    void readersSeeAConsistentTableWhileTheWriterInsertsRemovesAndGrows() throws Exception {
        VersionedTable table = new VersionedTable(1);
        int stable = 4000;
        for (long k = 0; k < 2L * stable; k += 2) {
            table.install(null, key(k), 1, key(k));
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            int seed = r;
            Thread t = new Thread(() -> {
                Random random = new Random(seed);
                try {
                    while (!done.get()) {
                        long previous = -1;
                        int evens = 0;
                        for (VersionedTable.Slot s : table.slots()) {
                            long k = value(s.key);
                            if (k <= previous) {
                                throw new AssertionError("key " + k + " after " + previous);
                            }
                            previous = k;
                            if (k % 2 == 0) {
                                evens++;
                            } else if (k > 1_000_000) {
                                throw new AssertionError("a key never inserted: " + k);
                            }
                        }
                        if (evens != stable) {
                            throw new AssertionError("a scan saw " + evens + " of " + stable + " stable keys");
                        }
                        for (int i = 0; i < 200; i++) {
                            long k = 2L * random.nextInt(stable);
                            VersionedTable.Slot s = table.slot(key(k));
                            if (s == null || value(s.key) != k) {
                                throw new AssertionError("stable key " + k + " not found");
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            t.start();
            readers.add(t);
        }
        Random random = new Random(11);
        long ts = 1;
        for (int round = 0; round < 40 && failure.get() == null; round++) {
            List<VersionedTable.Slot> added = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                long k = 2L * random.nextInt(2 * stable) + 1;
                VersionedTable.Slot s = table.slot(key(k));
                table.install(s, key(k), ++ts, key(k));
                added.add(table.slot(key(k)));
            }
            for (VersionedTable.Slot s : added) {
                if (random.nextBoolean() && s.head.row != null) {
                    table.install(s, s.key, ++ts, null);
                    table.removeIfDead(s, ts);
                }
            }
        }
        done.set(true);
        for (Thread t : readers) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }
}
