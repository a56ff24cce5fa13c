package dev.duet.columnstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The column store on its own: commits applied by hand (as the sync would), scans at every
 * snapshot compared with a model of the table at that snapshot, with the open segment only and with
 * segments sealed every few rows; reopen from the manifest; zone-map skipping.
 */
class ColumnStoreTest {
    static final TableDef T = TableDef.builder("t")
            .column("id", DataType.BIGINT)
            .column("name", DataType.TEXT)
            .column("n", DataType.INTEGER)
            .primaryKey("id").build().withId(7);

    @TempDir
    Path dir;
    final RootAllocator root = new RootAllocator();

    @AfterEach
    void allocatorEndsAtZero() {
        assertEquals(0, root.getAllocatedMemory());
        root.close();
    }

    /** Model: per snapshot, the table's rows by id. */
    final List<TreeMap<Long, Object[]>> history = new ArrayList<>();
    final TreeMap<Long, Object[]> live = new TreeMap<>();
    long ts;

    void begin(ColumnStore cs) {
        ts++;
        assertTrue(cs.beginCommit(ts));
    }

    /**
     * Every commit's operations (a row to put followed by whether its key was new, or {id} to
     * delete), by commit timestamp: replayed into a reopened store.
     */
    final TreeMap<Long, List<Object[]>> log = new TreeMap<>();

    /** Puts a row as the sync would: an INSERT (a key no live row has) says so, so that the store needs no key map for it. */
    void put(ColumnStore cs, long id, String name, Integer n) {
        Object[] row = {id, name, n};
        boolean newKey = !live.containsKey(id);
        cs.put(T.id(), T.keyCodec().encode(new Object[] {id}), T.rowCodec().encode(row), newKey);
        live.put(id, row);
        log.computeIfAbsent(ts, k -> new ArrayList<>()).add(new Object[] {id, name, n, newKey});
    }

    void delete(ColumnStore cs, long id) {
        cs.delete(T.id(), T.keyCodec().encode(new Object[] {id}));
        live.remove(id);
        log.computeIfAbsent(ts, k -> new ArrayList<>()).add(new Object[] {id});
    }

    /** Applies the logged commits the store has not (it skips those at or below its watermark), as the sync's replay would; commit 1 creates T. */
    void replayLog(ColumnStore cs) {
        replayLog(cs, ts);
    }

    /** {@link #replayLog(ColumnStore)} of the commits up to {@code upTo} only. */
    void replayLog(ColumnStore cs, long upTo) {
        for (long t = 1; t <= upTo; t++) {
            if (!cs.beginCommit(t)) {
                continue;
            }
            if (t == 1) {
                cs.createTable(T);
            }
            for (Object[] op : log.getOrDefault(t, List.of())) {
                byte[] key = T.keyCodec().encode(new Object[] {op[0]});
                if (op.length == 1) {
                    cs.delete(T.id(), key);
                } else {
                    cs.put(T.id(), key, T.rowCodec().encode(Arrays.copyOf(op, 3)), (Boolean) op[3]);
                }
            }
            cs.endCommit(t * 100);
        }
    }

    /** One commit putting ids {@code [from, to)}. */
    void putRange(ColumnStore cs, long from, long to) {
        begin(cs);
        if (ts == 1) {
            cs.createTable(T);
        }
        for (long id = from; id < to; id++) {
            put(cs, id, "r" + id + "@" + ts, (int) ts);
        }
        end(cs);
    }

    /** Holds the seal thread before the file of the {@code nth} seal (1-based) until released; counts the seals it saw. */
    static final class SealGate implements Sealer.BeforeWrite {
        final int nth;
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();

        SealGate(int nth) {
            this.nth = nth;
        }

        @Override
        public void beforeWrite(Sealer.Job job) {
            if (seen.incrementAndGet() == nth) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** Closes {@code cs} on another thread while the gate holds a seal, releasing the gate only once the store is closed. */
    static void closeWhileHeld(ColumnStore cs, SealGate gate) throws InterruptedException {
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread closer = new Thread(() -> {
            try {
                cs.close();
            } catch (Throwable e) {
                errors.add(e);
            }
        }, "closer");
        closer.start();
        while (true) { // until close() has begun: it then waits for the held seal before freeing any rows
            try {
                cs.checkUsable();
                Thread.onSpinWait();
            } catch (DuetException closed) {
                break;
            }
        }
        gate.release.countDown();
        closer.join();
        if (!errors.isEmpty()) {
            throw new AssertionError("close failed (an Arrow allocator that does not end at zero fails it)", errors.get(0));
        }
    }

    void end(ColumnStore cs) {
        cs.endCommit(ts * 100);
        while (history.size() <= ts) {
            history.add(new TreeMap<>(live));
        }
    }

    int batchSize = 3;

    List<Object[]> scan(ColumnStore cs, long snapshot, int[] columns, List<ZonePredicate> predicates) {
        List<Object[]> out = new ArrayList<>();
        try (QueryContext ctx = new QueryContext(root, 1L << 30); ColumnScan scan = cs.scan(ctx, T.id(), snapshot, columns, predicates)) {
            ctx.setBatchSize(batchSize);
            for (VectorSchemaRoot b = scan.next(); b != null; b = scan.next()) {
                assertTrue(b.getRowCount() > 0);
                out.addAll(Batches.rows(b));
            }
        }
        if (columns.length > 0 && columns[0] == 0) {
            out.sort(Comparator.comparing(r -> (Long) r[0]));
        }
        return out;
    }

    void checkAllSnapshots(ColumnStore cs) {
        checkSnapshots(cs, 1);
    }

    void checkSnapshots(ColumnStore cs, int step) {
        for (int s = history.size() - 1; s >= 1; s -= step) {
            List<Object[]> expected = new ArrayList<>(history.get(s).values());
            List<Object[]> actual = scan(cs, s, new int[] {0, 1, 2}, List.of());
            assertEquals(expected.size(), actual.size(), "rows at snapshot " + s);
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(Arrays.asList(expected.get(i)), Arrays.asList(actual.get(i)), "snapshot " + s);
            }
        }
    }

    void workload(ColumnStore cs, int commits) {
        workload(cs, commits, 30, 5);
    }

    void workload(ColumnStore cs, int commits, int ids, int maxOps) {
        java.util.Random random = new java.util.Random(42);
        for (int c = 0; c < commits; c++) {
            begin(cs);
            if (ts == 1) {
                cs.createTable(T);
            }
            int ops = 1 + random.nextInt(maxOps);
            for (int i = 0; i < ops; i++) {
                long id = random.nextInt(ids);
                int what = random.nextInt(10);
                if (what < 2 && live.containsKey(id)) {
                    delete(cs, id);
                } else {
                    put(cs, id, random.nextInt(4) == 0 ? null : "v" + random.nextInt(1000), random.nextInt(3) == 0 ? null : random.nextInt(50));
                }
            }
            end(cs);
        }
    }

    /**
     * The rows of {@code scans} scans sharing one {@link ScanMorsels} (in-memory segments cut
     * every {@code morselRows} rows), each on its own thread under its own worker context; sorted
     * by id. Also checks the scans together read and skipped as many row groups as {@code serial}.
     */
    List<Object[]> parallelScan(ColumnStore cs, long snapshot, List<ZonePredicate> predicates, int scans, int morselRows)
            throws Exception {
        List<Object[]> out = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(scans);
        try (QueryContext ctx = new QueryContext(root, 1L << 30)) {
            ctx.setBatchSize(batchSize);
            List<QueryContext> workers = new ArrayList<>();
            try (ScanMorsels morsels = cs.morsels(T.id(), snapshot, new int[] {0, 1, 2}, predicates, morselRows)) {
                List<java.util.concurrent.Future<List<Object[]>>> results = new ArrayList<>();
                for (int i = 0; i < scans; i++) {
                    QueryContext worker = ctx.newWorker("worker-" + i);
                    workers.add(worker);
                    ColumnScan scan = morsels.newScan(worker);
                    results.add(pool.submit(() -> {
                        List<Object[]> rows = new ArrayList<>();
                        try (scan) {
                            for (VectorSchemaRoot b = scan.next(); b != null; b = scan.next()) {
                                assertTrue(b.getRowCount() > 0);
                                rows.addAll(Batches.rows(b));
                            }
                        }
                        return rows;
                    }));
                }
                for (java.util.concurrent.Future<List<Object[]>> r : results) {
                    out.addAll(r.get());
                }
            } finally {
                for (QueryContext w : workers) {
                    w.close(); // fails if a scan left memory in its worker's allocator
                }
            }
        } finally {
            pool.shutdownNow();
        }
        out.sort(Comparator.comparing(r -> (Long) r[0]));
        return out;
    }

    @Test
    void scansSharingMorselsOnSeveralThreadsReadEachVisibleRowOnce() throws Exception {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(12).withRowGroupRows(3);
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            workload(cs, 80, 60, 6);
            cs.awaitSeals();
            assertTrue(cs.sealedSegmentCount(T.id()) > 3, "segments were sealed");
            for (int s = history.size() - 1; s >= 1; s -= 3) {
                List<Object[]> expected = new ArrayList<>(history.get(s).values());
                List<Object[]> actual = parallelScan(cs, s, List.of(), 3, 2);
                assertEquals(expected.size(), actual.size(), "rows at snapshot " + s);
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(Arrays.asList(expected.get(i)), Arrays.asList(actual.get(i)), "snapshot " + s);
                }
            }
            // zone maps skip the same row groups as a serial scan's
            List<ZonePredicate> idAbove = List.of(new ZonePredicate(0, ZonePredicate.Op.GE, 40L));
            long skippedBefore = cs.rowGroupsSkipped();
            List<Object[]> serial = scan(cs, ts, new int[] {0, 1, 2}, idAbove);
            long serialSkipped = cs.rowGroupsSkipped() - skippedBefore;
            assertTrue(serialSkipped > 0, "the predicate skips row groups");
            skippedBefore = cs.rowGroupsSkipped();
            List<Object[]> parallel = parallelScan(cs, ts, idAbove, 3, 2);
            assertEquals(serialSkipped, cs.rowGroupsSkipped() - skippedBefore);
            assertEquals(serial.size(), parallel.size());
            for (int i = 0; i < serial.size(); i++) {
                assertEquals(Arrays.asList(serial.get(i)), Arrays.asList(parallel.get(i)));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1_000_000, 4})
    void scansSeeExactlyEachSnapshot(int sealRows) {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(sealRows).withRowGroupRows(3);
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            workload(cs, 60);
            checkAllSnapshots(cs);
            if (sealRows < 100) {
                cs.awaitSeals(); // up to MAX_SEALS_IN_FLIGHT segments may still be frozen
                assertTrue(cs.sealedSegmentCount(T.id()) > 3, "segments were sealed");
            }
            // a projection in another order, and an empty one
            List<Object[]> names = scan(cs, ts, new int[] {2, 0}, List.of());
            assertEquals(live.size(), names.size());
            assertEquals(live.size(), scan(cs, ts, new int[0], List.of()).size());
        }
    }

    /**
     * Scans copy runs of visible rows: long runs across byte boundaries of the validity bitmaps,
     * cut by deletes and by rows committed after the snapshot, in batches of odd sizes.
     */
    @ParameterizedTest
    @ValueSource(ints = {1_000_000, 700})
    void longVisibleRunsAreCopiedExactly(int sealRows) {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(sealRows).withRowGroupRows(100);
        batchSize = 1001;
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            workload(cs, 400, 3000, 40);
            if (sealRows < 1000) {
                cs.awaitSeals(); // up to MAX_SEALS_IN_FLIGHT segments may still be frozen
                assertTrue(cs.sealedSegmentCount(T.id()) > 3, "segments were sealed");
            }
            checkSnapshots(cs, 37);
            assertEquals(live.size(), scan(cs, ts, new int[] {2, 1}, List.of()).size());
        }
    }

    /**
     * The scan cache: the same rows with it off, with a budget far too small (every chunk evicted
     * while or right after a scan uses it) and with the default; chunks are decoded once, then
     * found; the budget holds once no scan runs; the store frees everything on close (the
     * allocator checks in close and in QueryContext.close would fail otherwise).
     */
    @ParameterizedTest
    @ValueSource(longs = {0, 2_000, ColumnStoreOptions.DEFAULT_SCAN_CACHE_BYTES})
    void scanCacheGivesTheSameRowsWithinItsBudget(long budget) {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(300).withRowGroupRows(64)
                .withScanCacheBytes(budget);
        batchSize = 257;
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            workload(cs, 300, 2000, 20);
            cs.awaitSeals(); // up to MAX_SEALS_IN_FLIGHT segments may still be frozen
            assertTrue(cs.sealedSegmentCount(T.id()) > 2, "segments were sealed");
            SegmentCache cache = cs.segmentCache();
            checkSnapshots(cs, 23);
            long misses = cache.misses();
            long hits = cache.hits();
            List<Object[]> again = scan(cs, ts, new int[] {0, 1, 2}, List.of());
            assertEquals(live.size(), again.size());
            if (budget == 0) {
                assertEquals(0, cache.hits() + cache.misses(), "a cache that is off is not asked");
            } else if (budget == ColumnStoreOptions.DEFAULT_SCAN_CACHE_BYTES) {
                assertTrue(misses > 0, "chunks were decoded into the cache");
                assertEquals(misses, cache.misses(), "a second scan of the same snapshot decodes nothing");
                assertTrue(cache.hits() > hits, "and finds its chunks in the cache");
            } else {
                assertTrue(cache.misses() > misses, "a tiny budget keeps nothing for long");
            }
            assertTrue(cache.bytes() <= budget, "cached " + cache.bytes() + " bytes, budget " + budget);
        }
    }

    /**
     * Row groups the snapshot sees whole are lent from the cache, not copied: the lent bytes are
     * accounted to the query's allocator while its batch holds them, the batch stays readable
     * after another query evicts its chunks (a budget of one chunk), and once the query frees it
     * the query's allocator is back at zero and the cache within its budget. A row group with a
     * row deleted after the first snapshot is lent at that snapshot and copied at the later one.
     */
    @Test
    void lentRowGroupsOutliveEvictionAndAreAccountedToTheQuery() {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(100).withRowGroupRows(10)
                .withScanCacheBytes(300);
        batchSize = 4;
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            putRange(cs, 0, 100);
            long whole = ts;
            cs.awaitSeals();
            assertEquals(1, cs.sealedSegmentCount(T.id()));
            begin(cs);
            delete(cs, 13);
            end(cs);
            SegmentCache cache = cs.segmentCache();
            try (QueryContext ctx = new QueryContext(root, 1L << 30);
                    ColumnScan held = cs.scan(ctx, T.id(), whole, new int[] {0, 1, 2}, List.of())) {
                VectorSchemaRoot first = held.next();
                assertEquals(10, first.getRowCount(), "a whole row group, not batch-size pieces of it");
                assertTrue(ctx.allocator().getAllocatedMemory() > 0, "lent bytes are the query's");
                List<Object[]> before = Batches.rows(first);
                // another query reads every row group, evicting the held chunks from the cache
                assertEquals(99, scan(cs, ts, new int[] {0, 1, 2}, List.of()).size());
                assertEquals(100, scan(cs, whole, new int[] {0, 1, 2}, List.of()).size());
                List<Object[]> after = Batches.rows(first);
                assertEquals(before.size(), after.size());
                for (int i = 0; i < before.size(); i++) {
                    assertEquals(Arrays.asList(before.get(i)), Arrays.asList(after.get(i)));
                    assertEquals(Arrays.asList(history.get((int) whole).get((Long) after.get(i)[0])),
                            Arrays.asList(after.get(i)));
                }
                int rows = first.getRowCount();
                for (VectorSchemaRoot b = held.next(); b != null; b = held.next()) {
                    rows += b.getRowCount();
                }
                assertEquals(100, rows);
            }
            assertTrue(cache.bytes() <= 300, "cached " + cache.bytes() + " bytes");
            checkSnapshots(cs, 1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1_000_000, 4})
    void reopenResumesFromTheManifest(int sealRows) {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(sealRows).withRowGroupRows(3);
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            workload(cs, 40);
            cs.persist();
            assertEquals(ts, cs.replayFromTs());
            assertEquals(ts * 100, cs.replayFromLsn());
        }
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            assertEquals(ts, cs.watermarkTs());
            checkAllSnapshots(cs);
            // replaying an old commit is a no-op
            assertTrue(!cs.beginCommit(ts));
            workload(cs, 20);
            checkAllSnapshots(cs);
        }
    }

    @Test
    void unpersistedCommitsAreReplayedNotDuplicated() {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(5).withRowGroupRows(2);
        // Record every commit so that it can be replayed into the reopened store.
        List<Object[][]> log = new ArrayList<>();
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            java.util.Random random = new java.util.Random(7);
            for (int c = 0; c < 50; c++) {
                begin(cs);
                List<Object[]> ops = new ArrayList<>();
                if (ts == 1) {
                    cs.createTable(T);
                }
                for (int i = 0; i < 3; i++) {
                    long id = random.nextInt(12);
                    if (random.nextInt(4) == 0 && live.containsKey(id)) {
                        delete(cs, id);
                        ops.add(new Object[] {id});
                    } else {
                        String name = "x" + random.nextInt(100);
                        put(cs, id, name, (int) ts);
                        ops.add(new Object[] {id, name, (int) ts});
                    }
                }
                end(cs);
                log.add(ops.toArray(new Object[0][]));
            }
            // no persist: as after a crash, only what seals wrote is on disk
        }
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            long from = cs.watermarkTs();
            assertTrue(from < ts, "some commits are only in the open segment");
            for (long t = 1; t <= ts; t++) {
                if (!cs.beginCommit(t)) {
                    assertTrue(t <= from);
                    continue;
                }
                if (t == 1) {
                    cs.createTable(T);
                }
                for (Object[] op : log.get((int) t - 1)) {
                    byte[] key = T.keyCodec().encode(new Object[] {op[0]});
                    if (op.length == 1) {
                        cs.delete(T.id(), key);
                    } else {
                        cs.put(T.id(), key, T.rowCodec().encode(op));
                    }
                }
                cs.endCommit(t * 100);
            }
            checkAllSnapshots(cs);
        }
    }

    @Test
    void zoneMapsSkipRowGroups() {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(100).withRowGroupRows(10);
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            begin(cs);
            cs.createTable(T);
            for (long id = 0; id < 100; id++) {
                put(cs, id, "n" + id, (int) id);
            }
            end(cs);
            cs.awaitSeals();
            assertEquals(1, cs.sealedSegmentCount(T.id()));
            long before = cs.rowGroupsSkipped();
            List<Object[]> rows = scan(cs, ts, new int[] {0, 2}, List.of(new ZonePredicate(0, ZonePredicate.Op.GE, 85L)));
            // only the row groups that may hold id >= 85 are read: 80..89 and 90..99
            assertEquals(20, rows.size());
            assertEquals(8, cs.rowGroupsSkipped() - before);
            rows = scan(cs, ts, new int[] {0}, List.of(new ZonePredicate(2, ZonePredicate.Op.EQ, 1000)));
            assertEquals(0, rows.size());
        }
    }

    @Test
    void compactionDropsRowsNoSnapshotSeesAndKeepsFilesOfRunningScans() throws Exception {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(10).withRowGroupRows(4).withCompactFraction(0.6);
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            begin(cs);
            cs.createTable(T);
            end(cs);
            for (int c = 0; c < 3; c++) {
                begin(cs);
                for (long id = c * 10; id < c * 10 + 10; id++) {
                    put(cs, id, "r" + id, (int) id);
                }
                end(cs);
            }
            cs.awaitSeals();
            assertEquals(3, cs.sealedSegmentCount(T.id()));
            begin(cs);
            for (long id = 0; id < 7; id++) {
                delete(cs, id);
            }
            end(cs);
            long deletedAt = ts;
            assertEquals(0, cs.compact(deletedAt - 1), "no row is deleted before the horizon");
            // a scan that began before the compaction keeps reading the old file
            List<Object[]> seen = new ArrayList<>();
            Path oldFile;
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
                oldFile = files.filter(f -> f.getFileName().toString().equals(Segment.fileName(T.id(), 1))).findFirst().orElseThrow();
            }
            try (QueryContext ctx = new QueryContext(root, 1L << 30); ColumnScan early = cs.scan(ctx, T.id(), deletedAt, new int[] {0}, List.of())) {
                assertEquals(1, cs.compact(deletedAt));
                assertTrue(java.nio.file.Files.exists(oldFile), "the running scan still needs the old file");
                for (VectorSchemaRoot b = early.next(); b != null; b = early.next()) {
                    seen.addAll(Batches.rows(b));
                }
            }
            assertEquals(live.size(), seen.size());
            cs.persist();
            assertTrue(!java.nio.file.Files.exists(oldFile), "the old file goes once no scan reads it");
            assertEquals(1, cs.segmentsCompacted());
            DuetException older = assertThrows(DuetException.class, () -> scan(cs, deletedAt - 1, new int[] {0}, List.of()));
            assertEquals("55000", older.state().code(), "a snapshot older than the compaction horizon is refused");
            // the key map follows the rows to the new segment
            begin(cs);
            put(cs, 7, "again", 7);
            delete(cs, 8);
            end(cs);
            for (long snap = deletedAt; snap <= ts; snap++) {
                List<Object[]> expected = new ArrayList<>(history.get((int) snap).values());
                List<Object[]> actual = scan(cs, snap, new int[] {0, 1, 2}, List.of());
                assertEquals(expected.size(), actual.size(), "snapshot " + snap);
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(Arrays.asList(expected.get(i)), Arrays.asList(actual.get(i)));
                }
            }
            cs.persist();
        }
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            List<Object[]> expected = new ArrayList<>(live.values());
            List<Object[]> actual = scan(cs, ts, new int[] {0, 1, 2}, List.of());
            assertEquals(expected.size(), actual.size());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(Arrays.asList(expected.get(i)), Arrays.asList(actual.get(i)));
            }
        }
    }

    /**
     * A compaction rewrites on its own thread while commits go on: deletes and updates of rows of
     * the segment being rewritten that land meanwhile must reach the new segment when the sync
     * installs it, the key map must follow the rows, and a reopened store must read the same.
     */
    @Test
    void backgroundCompactionCarriesOverDeletesAndUpdatesAppliedWhileItRan() throws Exception {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(10).withRowGroupRows(4).withCompactFraction(0.5);
        SealGate gate = new SealGate(1);
        long horizon;
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            cs.beforeCompactionWrite(gate);
            begin(cs);
            cs.createTable(T);
            end(cs);
            for (int c = 0; c < 2; c++) {
                begin(cs);
                for (long id = c * 10; id < c * 10 + 10; id++) {
                    put(cs, id, "r" + id, (int) id);
                }
                end(cs);
            }
            cs.awaitSeals();
            begin(cs);
            for (long id = 0; id < 6; id++) {
                delete(cs, id);
            }
            end(cs);
            horizon = ts;
            assertEquals(1, cs.startCompaction(horizon), "segment 1 has 6 of 10 rows deleted");
            gate.entered.await();
            assertEquals(0, cs.startCompaction(horizon), "one round at a time");
            // while the rewrite is held: delete, update and re-delete rows it is copying
            begin(cs);
            delete(cs, 6);
            put(cs, 7, "updated", 70);
            end(cs);
            begin(cs);
            put(cs, 8, "updated", 80);
            delete(cs, 15);
            end(cs);
            gate.release.countDown();
            cs.awaitCompactions();
            assertEquals(1, cs.segmentsCompacted());
            assertEquals(2, cs.sealedSegmentCount(T.id()));
            // the key map points at the rewritten rows: these change them again
            begin(cs);
            delete(cs, 9);
            put(cs, 8, "again", 88);
            put(cs, 3, "back", 3);
            end(cs);
            for (long snap = horizon; snap <= ts; snap++) {
                assertRows(history.get((int) snap), scan(cs, snap, new int[] {0, 1, 2}, List.of()), "snapshot " + snap);
            }
            DuetException older = assertThrows(DuetException.class, () -> scan(cs, horizon - 1, new int[] {0}, List.of()));
            assertEquals("55000", older.state().code());
            cs.persist();
        }
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            replayLog(cs);
            assertRows(live, scan(cs, ts, new int[] {0, 1, 2}, List.of()), "after reopen");
        }
    }

    private static void assertRows(TreeMap<Long, Object[]> expected, List<Object[]> actual, String where) {
        assertEquals(expected.size(), actual.size(), where);
        int i = 0;
        for (Object[] row : expected.values()) {
            assertEquals(Arrays.asList(row), Arrays.asList(actual.get(i++)), where);
        }
    }

    @Test
    void scansWhileASealIsInFlightSeeExactlyTheirSnapshotAndDeletesLandInTheFrozenSegment() throws Exception {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(10).withRowGroupRows(3);
        SealGate gate = new SealGate(1);
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            cs.beforeSealWrite(gate);
            putRange(cs, 0, 6);
            putRange(cs, 6, 12); // 12 rows: frozen, its file held back
            gate.entered.await();
            assertEquals(1, cs.sealsInFlight());
            assertEquals(0, cs.sealedSegmentCount(T.id()));
            checkAllSnapshots(cs);
            // deletes and updates of frozen rows, inserts into the new open segment
            begin(cs);
            delete(cs, 2);
            put(cs, 7, "updated", 70);
            put(cs, 100, "new", 1);
            end(cs);
            begin(cs);
            delete(cs, 100);
            put(cs, 3, "updated", 30);
            end(cs);
            checkAllSnapshots(cs);
            // a scan that fixed its segments while the segment is frozen, read after the file replaced it
            List<Object[]> early = new ArrayList<>();
            long earlyAt = ts - 1;
            try (QueryContext ctx = new QueryContext(root, 1L << 30);
                    ColumnScan scan = cs.scan(ctx, T.id(), earlyAt, new int[] {0, 1, 2}, List.of())) {
                gate.release.countDown();
                cs.awaitSeals();
                assertEquals(1, cs.sealedSegmentCount(T.id()));
                assertEquals(0, cs.sealsInFlight());
                for (VectorSchemaRoot b = scan.next(); b != null; b = scan.next()) {
                    early.addAll(Batches.rows(b));
                }
            }
            early.sort(Comparator.comparing(r -> (Long) r[0]));
            List<Object[]> expected = new ArrayList<>(history.get((int) earlyAt).values());
            assertEquals(expected.size(), early.size());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(Arrays.asList(expected.get(i)), Arrays.asList(early.get(i)));
            }
            checkAllSnapshots(cs);
            cs.persist();
        }
        // the deletes that reached the frozen segment were persisted with its file
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            assertEquals(ts, cs.watermarkTs());
            checkAllSnapshots(cs);
        }
    }

    /**
     * Inserts alone leave the table without a key map; the first UPDATE builds it from every row
     * the store holds (a sealed segment's file, a frozen segment whose file is held back, the open
     * segment, and rows of the current batch not yet published), and the updates and deletes of
     * that commit find their old rows in each of them.
     */
    @Test
    void insertsNeedNoKeyMapAndTheFirstUpdateBuildsItFromEverySegment() throws Exception {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(10).withRowGroupRows(3);
        SealGate gate = new SealGate(2);
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            try {
                firstUpdateBuildsTheKeyMap(cs, gate);
            } finally {
                gate.release.countDown(); // a failure must not leave close() waiting for the held seal
            }
        }
    }

    private void firstUpdateBuildsTheKeyMap(ColumnStore cs, SealGate gate) throws InterruptedException {
        cs.beforeSealWrite(gate);
        putRange(cs, 0, 10); // sealed
        cs.awaitSeals();
        putRange(cs, 10, 20); // frozen, its file held back
        gate.entered.await();
        putRange(cs, 20, 25); // the open segment
        assertEquals(1, cs.sealedSegmentCount(T.id()));
        assertEquals(1, cs.sealsInFlight());
        assertFalse(cs.hasKeyMap(T.id()), "inserts need no key map");
        assertEquals(0, cs.keyMapsBuilt());
        cs.beginBatch();
        begin(cs);
        put(cs, 30, "new", 30); // appended, not published yet when the next commit builds the map
        end(cs);
        assertFalse(cs.hasKeyMap(T.id()));
        begin(cs);
        put(cs, 30, "updated", 31);
        assertTrue(cs.hasKeyMap(T.id()), "the first UPDATE built the key map");
        put(cs, 3, "updated", 3);
        put(cs, 12, "updated", 12);
        put(cs, 22, "updated", 22);
        delete(cs, 5);
        delete(cs, 14);
        delete(cs, 21);
        put(cs, 40, "new", 40);
        end(cs);
        cs.endBatch();
        assertEquals(1, cs.keyMapsBuilt());
        checkAllSnapshots(cs);
        gate.release.countDown();
        cs.awaitSeals();
        // the map's positions are still right once the frozen rows are in their file
        begin(cs);
        put(cs, 12, "again", 120);
        put(cs, 3, "again", 30);
        put(cs, 40, "updated", 41);
        delete(cs, 30);
        delete(cs, 22);
        end(cs);
        checkAllSnapshots(cs);
        assertEquals(1, cs.keyMapsBuilt());
    }

    /**
     * Opening a store reads no key column: the map is built when the replay meets the table's
     * first UPDATE or DELETE, from the sealed files and the rows replayed into the open segment so
     * far; later commits find their old rows through it.
     */
    @Test
    void afterARestartTheReplaysFirstUpdateBuildsTheKeyMap() {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(5).withRowGroupRows(2);
        long insertsUpTo;
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            for (long id = 0; id < 20; id += 5) {
                putRange(cs, id, id + 5); // sealed, one segment per commit
            }
            cs.awaitSeals();
            putRange(cs, 20, 22); // only in the open segment: replayed
            insertsUpTo = ts;
            begin(cs);
            put(cs, 3, "updated", 3);
            delete(cs, 7);
            end(cs);
            begin(cs);
            put(cs, 21, "updated", 21);
            end(cs);
            assertTrue(cs.hasKeyMap(T.id()));
            // no persist: as after a crash, the WAL (the log here) holds the last commits
        }
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            assertFalse(cs.hasKeyMap(T.id()), "open reads no key column");
            assertTrue(cs.watermarkTs() < insertsUpTo, "the inserts into the open segment are replayed");
            replayLog(cs, insertsUpTo);
            assertFalse(cs.hasKeyMap(T.id()), "replayed inserts need no key map");
            replayLog(cs);
            assertTrue(cs.hasKeyMap(T.id()), "the replayed UPDATE built the key map");
            assertEquals(1, cs.keyMapsBuilt());
            checkSnapshots(cs, 1);
            begin(cs);
            put(cs, 0, "again", 0);
            put(cs, 3, "again", 30);
            put(cs, 21, "again", 210);
            delete(cs, 20);
            end(cs);
            checkAllSnapshots(cs);
        }
    }

    /**
     * Compaction of a table without a key map moves no keys; the map built afterwards reads the
     * rewritten segment. A map built while a rewrite is in flight names the old segment's rows,
     * and the install moves those entries to the new one.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void compactionBeforeAndAfterTheKeyMapIsBuilt(boolean buildWhileRewriting) throws Exception {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(10).withRowGroupRows(4).withCompactFraction(0.5);
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            putRange(cs, 0, 10);
            putRange(cs, 10, 20);
            cs.awaitSeals();
            begin(cs);
            for (long id = 0; id < 6; id++) {
                delete(cs, id);
            }
            end(cs);
            cs.persist();
        }
        SealGate gate = new SealGate(1);
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            assertFalse(cs.hasKeyMap(T.id()));
            long horizon = ts;
            if (buildWhileRewriting) {
                cs.beforeCompactionWrite(gate);
                assertEquals(1, cs.startCompaction(horizon));
                try {
                    gate.entered.await();
                    begin(cs);
                    put(cs, 7, "updated", 70); // builds the map from the segment being rewritten
                    end(cs);
                    assertTrue(cs.hasKeyMap(T.id()));
                } finally {
                    gate.release.countDown(); // a failure must not leave close() waiting for the held rewrite
                }
                cs.awaitCompactions();
            } else {
                assertEquals(1, cs.compact(horizon));
                assertFalse(cs.hasKeyMap(T.id()), "compaction without a key map builds none");
            }
            assertEquals(1, cs.segmentsCompacted());
            // through positions in the rewritten segment (moved there, or read from it)
            begin(cs);
            put(cs, 8, "updated", 80);
            delete(cs, 9);
            put(cs, 15, "updated", 150);
            end(cs);
            begin(cs);
            put(cs, 7, "again", 700);
            delete(cs, 6);
            end(cs);
            assertTrue(cs.hasKeyMap(T.id()));
            for (long snap = horizon; snap <= ts; snap++) {
                assertRows(history.get((int) snap), scan(cs, snap, new int[] {0, 1, 2}, List.of()), "snapshot " + snap);
            }
            cs.persist();
        }
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            assertRows(live, scan(cs, ts, new int[] {0, 1, 2}, List.of()), "after reopen");
            begin(cs);
            put(cs, 8, "after reopen", 8);
            delete(cs, 7);
            end(cs);
            assertRows(live, scan(cs, ts, new int[] {0, 1, 2}, List.of()), "after reopen and more writes");
        }
    }

    @Test
    void aManifestWrittenDuringReplayKeepsATablesPersistedWatermark() {
        // Another table's unsealed row keeps the replay start (commit 1) below T's persisted
        // watermark (commit 4). A manifest written while the replay is still below T's watermark
        // must not lower it: T's segments already hold commit 4's rows and deletes, and a lower
        // watermark would drop commit 4's deletes from the delete vectors on the next open while
        // its rows stay in the segment files, so an updated key's old version would stay visible.
        TableDef u = TableDef.builder("u").column("id", DataType.BIGINT).primaryKey("id").build().withId(8);
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(2).withRowGroupRows(2);
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            begin(cs);
            cs.createTable(T);
            cs.createTable(u);
            end(cs);
            begin(cs);
            cs.put(u.id(), u.keyCodec().encode(new Object[] {1L}), u.rowCodec().encode(new Object[] {1L}));
            end(cs);
            begin(cs); // commit 3: T's first segment
            put(cs, 1, "v1", 1);
            put(cs, 2, "two", 2);
            end(cs);
            cs.awaitSeals();
            begin(cs); // commit 4: updates 1 (a delete in the first segment), T's second segment
            put(cs, 1, "v2", 2);
            put(cs, 3, "three", 3);
            end(cs);
            cs.awaitSeals();
            assertEquals(1, cs.replayFromTs(), "u's open segment holds the replay start back");
            // kill: u's row is only in the WAL
        }
        try (ColumnStore reopened = ColumnStore.open(dir, options)) {
            replayLog(reopened, 3); // the replay stops short of T's persisted watermark...
            reopened.persist(); // ...when a manifest is written (as the sync's persist or a seal would)
            // kill again
        }
        try (ColumnStore reopened = ColumnStore.open(dir, options)) {
            replayLog(reopened);
            checkAllSnapshots(reopened);
        }
    }

    @Test
    void aManifestWrittenWhileASealIsInFlightReplaysItsRowsAfterACrash() throws Exception {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(5).withRowGroupRows(2);
        SealGate gate = new SealGate(2);
        ColumnStore cs = ColumnStore.open(dir, options);
        cs.beforeSealWrite(gate);
        putRange(cs, 0, 5); // commit 1: frozen, sealed freely
        putRange(cs, 5, 10); // commit 2: frozen, held
        gate.entered.await(); // the first file is written (one seal thread, in order)
        // Installs the first seal and writes the manifest, unless commit 2's end did both already:
        // endCommit installs the seals that are done, and the seal thread may finish the first first.
        cs.installSeals();
        cs.awaitManifests(); // written on the manifest thread
        assertEquals(1, cs.sealedSegmentCount(T.id()));
        assertEquals(1, cs.replayFromTs(), "the manifest replays from before the rows whose file is in flight");
        begin(cs);
        delete(cs, 1); // a row of the sealed segment
        delete(cs, 6); // a row of the frozen one
        put(cs, 8, "updated", 80);
        end(cs);
        assertTrue(!cs.installSeals(), "nothing more to install while the second seal is held");
        // kill: the held file is never installed; the manifest lists the first segment only
        closeWhileHeld(cs, gate);
        try (ColumnStore reopened = ColumnStore.open(dir, options)) {
            assertEquals(1, reopened.watermarkTs());
            assertEquals(1, reopened.sealedSegmentCount(T.id()));
            replayLog(reopened);
            checkAllSnapshots(reopened);
            reopened.persist();
        }
        try (ColumnStore reopened = ColumnStore.open(dir, options)) {
            assertEquals(ts, reopened.watermarkTs());
            checkAllSnapshots(reopened);
        }
    }

    /**
     * While the seal thread is held, small segments freeze without the applying thread waiting,
     * up to {@link ColumnStore#MAX_SEALS_IN_FLIGHT} of them (had it waited sooner, this test would
     * hang on the held seal); the next freeze waits for the oldest seal and goes on once released.
     */
    @Test
    void smallSegmentsFreezeWithoutWaitingUpToTheInFlightCap() throws Exception {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(4).withRowGroupRows(2);
        int cap = ColumnStore.MAX_SEALS_IN_FLIGHT;
        assertTrue(cap > ColumnStore.MIN_SEALS_IN_FLIGHT);
        SealGate gate = new SealGate(1);
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            cs.beforeSealWrite(gate);
            for (int i = 0; i < cap; i++) {
                putRange(cs, i * 4L, i * 4L + 4); // each commit fills and freezes one segment
            }
            gate.entered.await();
            assertEquals(cap, cs.sealsInFlight());
            checkAllSnapshots(cs);
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread applier = new Thread(() -> {
                try {
                    putRange(cs, cap * 4L, cap * 4L + 4);
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "applier");
            applier.start();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (applier.getState() != Thread.State.WAITING && applier.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(Thread.State.WAITING, applier.getState(), "the freeze past the cap waits for the held seal");
            assertEquals(cap, cs.sealsInFlight());
            gate.release.countDown();
            applier.join();
            assertTrue(errors.isEmpty(), () -> "the applier failed: " + errors);
            cs.awaitSeals();
            assertEquals(cap + 1, cs.sealedSegmentCount(T.id()));
            checkAllSnapshots(cs);
        }
    }

    @Test
    void closeWhileSealsAreInFlightFreesEverything() throws Exception {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(4).withRowGroupRows(2);
        SealGate gate = new SealGate(1);
        ColumnStore cs = ColumnStore.open(dir, options);
        cs.beforeSealWrite(gate);
        putRange(cs, 0, 4); // frozen, its file being written (held)
        putRange(cs, 4, 8); // frozen, its file not started
        gate.entered.await();
        assertEquals(2, cs.sealsInFlight());
        checkAllSnapshots(cs);
        closeWhileHeld(cs, gate);
        // as after a crash: nothing was persisted; the replay rebuilds it
        try (ColumnStore reopened = ColumnStore.open(dir, options)) {
            assertEquals(0, reopened.watermarkTs());
            replayLog(reopened);
            reopened.awaitSeals();
            assertEquals(2, reopened.sealedSegmentCount(T.id()));
            checkAllSnapshots(reopened);
        }
    }

    @Test
    void dropWhileASealIsInFlight() throws Exception {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(4).withRowGroupRows(2);
        SealGate gate = new SealGate(1);
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            cs.beforeSealWrite(gate);
            putRange(cs, 0, 4);
            gate.entered.await();
            Path file = dir.resolve(Segment.fileName(T.id(), 1));
            begin(cs);
            cs.dropTable(T.id());
            end(cs);
            assertTrue(cs.tableIds().isEmpty());
            gate.release.countDown();
            cs.awaitSeals();
            assertTrue(!java.nio.file.Files.exists(file), "the file of the dropped table's segment is deleted once written");
            cs.persist();
        }
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            assertTrue(cs.tableIds().isEmpty());
        }
    }

    @Test
    void aFailedSealStopsTheStoreWithItsError() {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withSealRows(4).withRowGroupRows(2);
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            cs.beforeSealWrite(job -> {
                throw DuetException.of(dev.duet.core.SqlState.IO_ERROR, "disk full (injected)");
            });
            putRange(cs, 0, 4);
            DuetException e = assertThrows(DuetException.class, cs::awaitSeals);
            assertEquals("58030", e.state().code());
            assertTrue(e.getMessage().contains("disk full (injected)"), e.getMessage());
        }
    }

    @Test
    void scanOfAFutureSnapshotTimesOut() {
        ColumnStoreOptions options = ColumnStoreOptions.defaults().withScanWait(Duration.ofMillis(50));
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            begin(cs);
            cs.createTable(T);
            end(cs);
            DuetException e = assertThrows(DuetException.class, () -> scan(cs, ts + 1, new int[] {0}, List.of()));
            assertEquals("55000", e.state().code());
        }
    }
}
