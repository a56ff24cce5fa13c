package dev.duet.sync;

import static dev.duet.sync.SyncTestSupport.assertSameAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.columnstore.ColumnStore;
import dev.duet.columnstore.ColumnStoreOptions;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.RowStore;
import dev.duet.rowstore.RowStoreOptions;
import dev.duet.rowstore.Transaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync through a real, file-backed row store: random inserts, updates and deletes on several
 * tables of every type (NULLs included), DDL through the feed, restarts in the middle; at every
 * snapshot taken along the way the column store holds exactly the row store's rows.
 */
class ColumnSyncTest {
    /** A bound for scans waiting on the sync, generous for a loaded machine (the first seal in a JVM loads Parquet and Hadoop). */
    static final java.time.Duration WAIT = java.time.Duration.ofMinutes(1);
    @TempDir
    Path dir;
    final RootAllocator root = new RootAllocator();
    final Random random = new Random(20261121);

    RowStore rows;
    ColumnStore columns;
    ColumnSync sync;

    @AfterEach
    void tearDown() {
        closeAll();
        assertEquals(0, root.getAllocatedMemory());
        root.close();
    }

    void openAll(int sealRows) {
        rows = RowStore.open(dir.resolve("db"), RowStoreOptions.defaults().withWalSegmentBytes(64 * 1024));
        columns = ColumnStore.open(dir.resolve("columns"), ColumnStoreOptions.defaults().withSealRows(sealRows).withRowGroupRows(16).withScanWait(WAIT));
        // a clean close persists everything: the next open replays nothing
        sync = ColumnSync.start(rows, columns, SyncOptions.defaults().withClosePersistBytes(0).withCompactEveryCommits(8));
    }

    void closeAll() {
        if (sync != null) {
            sync.close();
            sync = null;
        }
        if (columns != null) {
            columns.close();
            columns = null;
        }
        if (rows != null) {
            rows.close();
            rows = null;
        }
    }

    static TableDef allTypes(String name, boolean primaryKey) {
        TableDef.Builder b = TableDef.builder(name).column("id", DataType.BIGINT);
        for (int i = 0; i < SyncTestSupport.TYPES.length; i++) {
            b.column("c" + i, SyncTestSupport.TYPES[i]);
        }
        if (primaryKey) {
            b.primaryKey("id");
        }
        return b.build();
    }

    Object[] randomRow(TableDef t, long id) {
        Object[] row = new Object[t.columnCount()];
        row[0] = id;
        for (int i = 1; i < row.length; i++) {
            row[i] = SyncTestSupport.value(random, t.column(i).type());
        }
        return row;
    }

    /** One random transaction of a few writes to the tables named. */
    void randomCommit(List<String> tables) {
        try (Transaction tx = rows.begin()) {
            int n = 1 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                String name = tables.get(random.nextInt(tables.size()));
                TableDef t = tx.table(name);
                long id = random.nextInt(60);
                int what = random.nextInt(10);
                if (t.primaryKeyLength() > 1) {
                    int k = random.nextInt(40);
                    String s = "s" + (k % 3);
                    if (tx.get(name, k, s) == null) {
                        tx.insert(name, k, s, random.nextInt(5) == 0 ? null : random.nextDouble());
                    } else if (what < 3) {
                        tx.delete(name, k, s);
                    } else {
                        tx.update(name, new Object[] {k, s}, Map.of("v", random.nextDouble()));
                    }
                } else if (t.hasPrimaryKey()) {
                    Row existing = tx.get(name, id);
                    if (existing == null) {
                        tx.insert(name, randomRow(t, id));
                    } else if (what < 3) {
                        tx.delete(name, id);
                    } else {
                        Map<String, Object> changes = new HashMap<>();
                        int col = 1 + random.nextInt(t.columnCount() - 1);
                        changes.put(t.column(col).name(), SyncTestSupport.value(random, t.column(col).type()));
                        tx.update(name, new Object[] {id}, changes);
                    }
                } else if (what < 7) {
                    tx.insert(name, randomRow(t, id));
                } else {
                    for (Row r : tx.scan(name)) {
                        if (random.nextInt(4) == 0) {
                            tx.delete(r);
                            break;
                        }
                    }
                }
            }
            tx.commit();
        }
    }

    void createTable(TableDef def) {
        try (Transaction tx = rows.begin()) {
            tx.createTable(def);
            tx.commit();
        }
    }

    /** Runs {@code commits} random commits; every few, checks a snapshot at once and keeps it for a later check. */
    void run(int commits, List<String> tables, List<Transaction> snapshots) {
        for (int i = 0; i < commits; i++) {
            randomCommit(tables);
            if (i % 7 == 0) {
                Transaction snap = rows.begin(true);
                // freshness: the commit just made is visible to a column scan at once (the scan waits for the watermark)
                assertSameAt(snap, columns, root);
                snapshots.add(snap);
            }
        }
    }

    @Test
    void columnStoreEqualsRowStoreAtEverySnapshotAcrossRestarts() throws Exception {
        openAll(40);
        createTable(allTypes("a", true));
        createTable(allTypes("c", false));
        createTable(TableDef.builder("b").column("k", DataType.INTEGER).column("s", DataType.TEXT)
                .column("v", DataType.DOUBLE).primaryKey("k", "s").build());
        List<Transaction> snapshots = new ArrayList<>();
        run(120, List.of("a", "c"), snapshots);
        try (Transaction tx = rows.begin()) {
            for (int k = 0; k < 30; k++) {
                tx.insert("b", k, "s" + (k % 3), k * 1.5);
            }
            tx.commit();
        }
        run(60, List.of("a", "b", "c"), snapshots);
        for (Transaction snap : snapshots) {
            assertSameAt(snap, columns, root);
            snap.close();
        }
        snapshots.clear();
        // the sync installs each file when the seal thread has written it (several may be in flight)
        long aId = rows.catalog().table("public", "a").id();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (columns.sealedSegmentCount(aId) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(columns.sealedSegmentCount(aId) > 0, "segments of a were sealed");

        // clean restart: resumes from the persisted watermark, nothing replayed twice
        closeAll();
        openAll(40);
        assertEquals(rows.lastCommitTimestamp(), columns.replayFromTs(), "the clean close persisted every commit");
        try (Transaction snap = rows.begin(true)) {
            assertSameAt(snap, columns, root);
        }
        // DDL through the feed: a new table, a dropped one
        createTable(allTypes("d", true));
        try (Transaction tx = rows.begin()) {
            tx.dropTable("b");
            tx.commit();
        }
        run(80, List.of("a", "c", "d"), snapshots);
        for (Transaction snap : snapshots) {
            assertSameAt(snap, columns, root);
            snap.close();
        }
        snapshots.clear();
        assertTrue(rows.catalog().findTable("public", "b") == null);
        assertTrue(columns.tableIds().size() == 3, "b's column storage is gone: " + columns.tableIds());
        closeAll();
        openAll(40);
        try (Transaction snap = rows.begin(true)) {
            assertSameAt(snap, columns, root);
        }
    }

    @Test
    void restartWithoutPersistingReplaysTheWalFromTheWatermark() {
        openAll(25);
        createTable(allTypes("a", true));
        createTable(allTypes("c", false));
        List<Transaction> snapshots = new ArrayList<>();
        run(100, List.of("a", "c"), snapshots);
        snapshots.forEach(Transaction::close);
        snapshots.clear();
        // the column store is not persisted: its open segments exist only in memory
        long replayFrom = columns.replayFromLsn();
        assertTrue(replayFrom < columns.watermarkLsn(), "part of the applied log is not persisted");
        crashReopenAndGoOn(snapshots);
    }

    @Test
    void scansRunConcurrentlyWithCommitsAndSeals() throws Exception {
        openAll(20);
        createTable(allTypes("a", true));
        createTable(allTypes("c", false));
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread reader = new Thread(() -> {
                try {
                    while (!done.get()) {
                        try (Transaction snap = rows.begin(true)) {
                            assertSameAt(snap, columns, root);
                        }
                        checks.incrementAndGet();
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "reader-" + i);
            reader.start();
            readers.add(reader);
        }
        try {
            for (int i = 0; i < 150 && errors.isEmpty(); i++) {
                randomCommit(List.of("a", "c"));
            }
        } finally {
            done.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("a concurrent scan failed", errors.get(0));
        }
        assertTrue(checks.get() > 0, "the readers compared snapshots");
        columns.awaitWatermark(rows.lastCommitTimestamp(), WAIT); // the sync seals as it applies, behind the commits
        assertTrue(columns.segmentsSealed() > 3, "segments were sealed during the commits the readers raced");
    }

    @Test
    void anIdleSyncInstallsAFinishedSealAndMovesWalRetention() {
        openAll(30);
        createTable(allTypes("a", true));
        try (Transaction tx = rows.begin()) {
            for (long id = 0; id < 30; id++) {
                tx.insert("a", randomRow(tx.table("a"), id));
            }
            tx.commit(); // fills the open segment: frozen at the end of this commit, sealed in the background
        }
        long last = rows.lastCommitTimestamp();
        columns.awaitWatermark(last, WAIT);
        // no further commit: only the seal thread's wake-up can make the sync install the file
        long deadline = System.nanoTime() + WAIT.toNanos();
        // (the manifest thread writes the manifest, wakes the sync, which then moves the retention)
        while ((columns.replayFromTs() < last || rows.walRetention().position(ColumnSync.CONSUMER) != columns.replayFromLsn())
                && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        assertEquals(last, columns.replayFromTs(), "the manifest lists the sealed file, so the WAL is needed from the watermark only");
        assertEquals(1, columns.sealedSegmentCount(rows.catalog().table("public", "a").id()));
        assertEquals(0, columns.sealsInFlight());
        assertEquals(columns.replayFromLsn(), rows.walRetention().position(ColumnSync.CONSUMER), "the retention moved with the manifest");
        try (Transaction snap = rows.begin(true)) {
            assertSameAt(snap, columns, root);
        }
    }

    @Test
    void asyncDurability() {
        rows = RowStore.open(dir.resolve("db"), RowStoreOptions.defaults().withFsync(false));
        columns = ColumnStore.open(dir.resolve("columns"), ColumnStoreOptions.defaults().withSealRows(30).withScanWait(WAIT));
        sync = ColumnSync.start(rows, columns, SyncOptions.defaults());
        createTable(allTypes("a", true));
        List<Transaction> snapshots = new ArrayList<>();
        // each scan waits until the background flush made its snapshot durable and the sync applied it
        run(60, List.of("a"), snapshots);
        for (Transaction snap : snapshots) {
            assertSameAt(snap, columns, root);
            snap.close();
        }
    }

    /**
     * A commit whose puts start a key map's growth and nothing after it: the sync finishes the
     * growth while idle, so the map does not keep its old table (the 11th key of a 16-slot map
     * starts a growth that its own put does not finish). An UPDATE of the first row builds the
     * map (inserts alone need none), with room for its one key.
     */
    @Test
    void finishesAKeyMapsGrowthWhenWritesStop() throws Exception {
        openAll(1000);
        createTable(TableDef.builder("g").column("k", DataType.INTEGER).column("v", DataType.TEXT).primaryKey("k").build());
        try (Transaction tx = rows.begin()) {
            tx.insert("g", 0, "v0");
            tx.commit();
        }
        try (Transaction tx = rows.begin()) {
            tx.update("g", new Object[] {0}, Map.of("v", "updated"));
            tx.commit();
        }
        try (Transaction tx = rows.begin()) {
            for (int k = 1; k < 11; k++) {
                tx.insert("g", k, "v" + k);
            }
            tx.commit();
        }
        try (Transaction snap = rows.begin(true)) {
            assertSameAt(snap, columns, root); // the sync applied the commit
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (columns.keyMapsGrowing() && System.nanoTime() < deadline) {
            Thread.sleep(1); // a racy read of the sync thread's state, only to wait: checked below after the join
        }
        sync.close(); // joins the sync thread
        sync = null;
        assertEquals(1, columns.keyMapsBuilt(), "the UPDATE built g's key map");
        assertFalse(columns.keyMapsGrowing(), "the idle sync finished the key map's growth");
    }

    /**
     * Bulk runs and INSERTs, into a table with a primary key and into one keyed by row ids, build
     * no key map; the first UPDATE or DELETE of each table builds its map from sealed, in-flight
     * and open segments, and the column store equals the row store at every snapshot before and
     * after, and after a restart whose replay meets those commits again.
     */
    @Test
    void appendOnlyTablesHaveNoKeyMapUntilTheirFirstUpdateOrDelete() throws Exception {
        openAll(25);
        createTable(allTypes("a", true));
        createTable(allTypes("c", false));
        List<Transaction> snapshots = new ArrayList<>();
        try (dev.duet.rowstore.Appender appender = rows.appender("a", 20)) {
            TableDef a = appender.table();
            for (long id = 0; id < 60; id++) {
                appender.appendRow(randomRow(a, id));
            }
        }
        for (int c = 0; c < 8; c++) {
            try (Transaction tx = rows.begin()) {
                TableDef a = tx.table("a");
                TableDef ct = tx.table("c");
                for (int i = 0; i < 5; i++) {
                    tx.insert("a", randomRow(a, 60 + c * 5 + i));
                    tx.insert("c", randomRow(ct, c * 5 + i));
                }
                tx.commit();
            }
            Transaction snap = rows.begin(true);
            assertSameAt(snap, columns, root);
            snapshots.add(snap);
        }
        long aId = rows.catalog().table("public", "a").id();
        assertTrue(columns.sealedSegmentCount(aId) > 0 || columns.sealsInFlight() > 0, "a has segments beyond the open one");
        assertEquals(0, columns.keyMapsBuilt(), "inserts and bulk runs need no key map");
        try (Transaction tx = rows.begin()) {
            tx.update("a", new Object[] {3L}, Map.of("c3", 33L)); // a bulk-loaded row
            tx.update("a", new Object[] {98L}, Map.of("c3", 98L)); // in the open segment
            tx.delete("a", 40L);
            tx.commit();
        }
        try (Transaction snap = rows.begin(true)) {
            assertSameAt(snap, columns, root);
        }
        assertEquals(1, columns.keyMapsBuilt(), "a's first UPDATE built its key map, c has none");
        try (Transaction tx = rows.begin()) {
            int n = 0;
            for (Row r : tx.scan("c")) {
                if (n++ % 9 == 0) {
                    tx.delete(r); // by row id
                }
            }
            tx.update("a", new Object[] {3L}, Map.of("c3", 333L));
            tx.commit();
        }
        try (Transaction snap = rows.begin(true)) {
            assertSameAt(snap, columns, root);
        }
        assertEquals(2, columns.keyMapsBuilt(), "c's first DELETE built its key map");
        run(40, List.of("a", "c"), snapshots);
        for (Transaction snap : snapshots) {
            assertSameAt(snap, columns, root);
            snap.close();
        }
        snapshots.clear();
        // a crash: the replay from the persisted watermark meets inserts, updates and deletes again
        crashReopenAndGoOn(snapshots);
    }

    @Test
    void appliesCommitsBeforeTheLogIsDurableButForcesTheLogBeforePersisting() {
        // async durability whose background flush never comes during the test
        rows = RowStore.open(dir.resolve("db"), RowStoreOptions.defaults().withFsync(false).withAsyncFlushInterval(java.time.Duration.ofHours(1)));
        columns = ColumnStore.open(dir.resolve("columns"), ColumnStoreOptions.defaults().withScanWait(WAIT));
        sync = ColumnSync.start(rows, columns, SyncOptions.defaults().withClosePersistBytes(0));
        createTable(allTypes("a", true));
        for (int i = 0; i < 40; i++) {
            randomCommit(List.of("a"));
        }
        try (Transaction snap = rows.begin(true)) {
            // the scan waits for the sync to reach the snapshot: it must not wait for the log
            assertSameAt(snap, columns, root);
        }
        assertTrue(rows.durableLsn() < rows.walEndLsn(), "the log is still not durable: " + rows.durableLsn() + " < " + rows.walEndLsn());
        assertEquals(rows.walEndLsn(), columns.watermarkLsn(), "the column store applied every commit");
        sync.close(); // persists (close-persist threshold 0): the manifest must not outrun the log
        sync = null;
        assertTrue(rows.durableLsn() >= columns.watermarkLsn(),
                "the log was forced before the manifest: durable " + rows.durableLsn() + ", manifest " + columns.watermarkLsn());
    }

    /**
     * Waits (bounded) until the sync has recorded the lag of {@code total} commits since it opened:
     * a commit's lag is recorded just after the watermark covers it, so a watermark wait alone may
     * return first. More than {@code total} is still seen by the caller's exact count.
     */
    private LagHistogram.Snapshot awaitLagCount(long total) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        LagHistogram.Snapshot now = sync.commitLag().snapshot();
        while (now.count() < total && System.nanoTime() < deadline) {
            Thread.sleep(1);
            now = sync.commitLag().snapshot();
        }
        return now;
    }

    @Test
    void commitLagCountsEveryFedCommitFromItsCommitToTheWatermark() throws Exception {
        // the commits below are made while the sync is held: no backpressure, or they would wait for it
        openWith(SyncOptions.defaults().withMaxLag(java.time.Duration.ofHours(1)), 1000);
        createTable(allTypes("a", true));
        // the creation is recorded when it is applied: wait for it so that it is not counted as held
        LagHistogram.Snapshot before = awaitLagCount(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        sync.beforeApply(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        int commits = 25;
        for (int i = 0; i < commits; i++) {
            randomCommit(List.of("a"));
        }
        long committed = System.nanoTime();
        Thread.sleep(150);
        long released = System.nanoTime();
        release.countDown();
        LagHistogram.Snapshot held = awaitLagCount(before.count() + commits).since(before);
        // every commit was made before the release and applied after it
        assertEquals(commits, held.count());
        assertTrue(held.percentileNanos(0) >= released - committed, "smallest lag " + held.percentileNanos(0) + " ns, held " + (released - committed));
        sync.beforeApply(() -> { });
        LagHistogram.Snapshot mark = sync.commitLag().snapshot();
        for (int i = 0; i < 10; i++) {
            randomCommit(List.of("a"));
        }
        assertEquals(10, awaitLagCount(mark.count() + 10).since(mark).count());
        assertEquals(commits + 10 + 1, sync.commitLag().snapshot().count(), "the table's creation counts too");
    }

    @Test
    void aColumnStoreAddedToACheckpointedDatabaseIsLoadedFromASnapshot() {
        rows = RowStore.open(dir.resolve("db"), RowStoreOptions.defaults().withWalSegmentBytes(4096));
        createTable(allTypes("a", true));
        createTable(allTypes("c", false));
        for (int i = 0; i < 80; i++) {
            randomCommit(List.of("a", "c"));
        }
        rows.checkpoint();
        assertTrue(dev.duet.rowstore.wal.WalReader.open(rows.walDirectory()).firstSegmentBase() > 0,
                "the checkpoint deleted the start of the log");
        Transaction old = rows.begin(true);
        randomCommit(List.of("a", "c"));
        columns = ColumnStore.open(dir.resolve("columns"), ColumnStoreOptions.defaults().withSealRows(40).withScanWait(WAIT));
        sync = ColumnSync.start(rows, columns, SyncOptions.defaults());
        List<Transaction> snapshots = new ArrayList<>();
        run(40, List.of("a", "c"), snapshots);
        for (Transaction snap : snapshots) {
            assertSameAt(snap, columns, root);
            snap.close();
        }
        snapshots.clear();
        // the snapshot taken before the load is older than what the column store holds
        dev.duet.core.DuetException e = org.junit.jupiter.api.Assertions.assertThrows(dev.duet.core.DuetException.class,
                () -> assertSameAt(old, columns, root));
        assertEquals("55000", e.state().code());
        old.close();
        closeAll();
        openAll(40);
        try (Transaction snap = rows.begin(true)) {
            assertSameAt(snap, columns, root);
        }
    }

    @Test
    void inMemoryDatabase() {
        rows = RowStore.inMemory(RowStoreOptions.defaults());
        columns = ColumnStore.temporary(ColumnStoreOptions.defaults().withSealRows(30).withScanWait(WAIT));
        sync = ColumnSync.start(rows, columns, SyncOptions.defaults());
        createTable(allTypes("a", true));
        List<Transaction> snapshots = new ArrayList<>();
        run(80, List.of("a"), snapshots);
        for (Transaction snap : snapshots) {
            assertSameAt(snap, columns, root);
            snap.close();
        }
        Path tmp = columns.directory();
        closeAll();
        assertTrue(!java.nio.file.Files.exists(tmp), "the temporary column store is deleted on close");
    }

    void openWith(SyncOptions options, int sealRows) {
        rows = RowStore.open(dir.resolve("db"), RowStoreOptions.defaults().withWalSegmentBytes(64 * 1024));
        columns = ColumnStore.open(dir.resolve("columns"), ColumnStoreOptions.defaults().withSealRows(sealRows).withRowGroupRows(16).withScanWait(WAIT));
        sync = ColumnSync.start(rows, columns, options);
    }

    /** Holds the sync thread before the next commit it applies until the latch is counted down. */
    void holdSync(java.util.concurrent.CountDownLatch release) {
        sync.beforeApply(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * With the sync held on a commit, a second committer waits for room (its backlog bound is
     * exceeded) and goes on once the sync applies the backlog; every commit reaches the column store.
     */
    private void aWriterWaitsForTheSyncAndGoesOnWhenItDrains() throws Exception {
        // Held with a commit still queued (the table's creation), the sync would hold that one
        // and the first commit below would wait for it, with nobody left to release the sync.
        awaitDrained();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        holdSync(release);
        randomCommit(List.of("a")); // taken by the sync thread, which holds on it: the backlog is not empty
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 5; i++) {
                    randomCommit(List.of("a"));
                    done.incrementAndGet();
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        }, "waiting-writer");
        long waitsBefore = sync.writerWaits();
        writer.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sync.writerWaits() == waitsBefore && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(waitsBefore + 1, sync.writerWaits(), "the second committer waits for the sync");
        // it waits inside its commit, before the commit returns, for as long as the sync is held
        assertEquals(0, done.get());
        assertTrue(writer.isAlive());
        long waitedBefore = sync.writerWaitMillis();
        long heldFrom = System.nanoTime();
        Thread.sleep(50);
        sync.beforeApply(() -> { });
        release.countDown();
        writer.join();
        long held = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - heldFrom);
        long waited = sync.writerWaitMillis() - waitedBefore;
        assertTrue(waited >= 50 && waited <= held + WAIT.toMillis(),
                () -> "the wait time counts the writer's wait: " + waited + " ms, held " + held + " ms");
        assertTrue(errors.isEmpty(), () -> "the writer failed: " + errors);
        assertEquals(5, done.get());
        try (Transaction snap = rows.begin(true)) {
            assertSameAt(snap, columns, root);
        }
        awaitDrained();
        assertEquals(0, sync.queuedCommits());
    }

    /**
     * A crash of the sync and the column store (nothing persisted beyond what already was), a
     * reopen that replays the log, then more commits: both stores must agree at every snapshot.
     */
    private void crashReopenAndGoOn(List<Transaction> snapshots) {
        sync.abandon();
        sync = null;
        columns.close();
        columns = null;
        rows.close();
        rows = null;
        openAll(25);
        try (Transaction snap = rows.begin(true)) {
            assertSameAt(snap, columns, root);
        }
        run(30, List.of("a", "c"), snapshots);
        for (Transaction snap : snapshots) {
            assertSameAt(snap, columns, root);
            snap.close();
        }
    }

    /**
     * Waits until the sync has applied every commit and given them back to its ring, which it
     * does just after publishing a batch's watermark (fails after {@link #WAIT}).
     */
    private void awaitDrained() throws InterruptedException {
        columns.awaitWatermark(rows.lastCommitTimestamp(), WAIT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sync.queuedCommits() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    @Test
    void backpressureByBytesReleasesWhenTheBacklogDrains() throws Exception {
        openWith(SyncOptions.defaults().withMaxQueueBytes(1).withMaxLag(java.time.Duration.ofHours(1)), 1000);
        createTable(allTypes("a", true));
        aWriterWaitsForTheSyncAndGoesOnWhenItDrains();
    }

    @Test
    void backpressureByLagReleasesWhenTheBacklogDrains() throws Exception {
        openWith(SyncOptions.defaults().withMaxLag(java.time.Duration.ofNanos(1)), 1000);
        createTable(allTypes("a", true));
        randomCommit(List.of("a"));
        columns.awaitWatermark(rows.lastCommitTimestamp(), WAIT);
        // (measured as the batch is given back, just after the watermark moves)
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sync.applyNanosPerByte() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(sync.applyNanosPerByte() > 0, "the sync measured what applying costs");
        aWriterWaitsForTheSyncAndGoesOnWhenItDrains();
    }

    /**
     * Commits that pile up while the sync is held are applied in batches (published once per
     * batch, a table created inside one), while readers compare snapshots taken between them:
     * the watermark never covers a commit whose rows a scan cannot see.
     */
    @Test
    void batchesNeverPublishTheWatermarkAheadOfTheirRows() throws Exception {
        openWith(SyncOptions.defaults().withMaxLag(java.time.Duration.ofHours(1)), 50);
        createTable(allTypes("a", true));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        holdSync(release);
        List<Transaction> snapshots = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            if (i == 200) {
                createTable(allTypes("b", false));
            }
            randomCommit(i < 200 ? List.of("a") : List.of("a", "b"));
            if (i % 9 == 0) {
                snapshots.add(rows.begin(true));
            }
        }
        assertTrue(sync.queuedCommits() > 256, "commits wait for the held sync: " + sync.queuedCommits());
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            int first = r;
            Thread reader = new Thread(() -> {
                try {
                    // oldest first, racing the sync as it applies the backlog
                    for (int k = first; k < snapshots.size(); k += 2) {
                        assertSameAt(snapshots.get(k), columns, root);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "reader-" + r);
            reader.start();
            readers.add(reader);
        }
        sync.beforeApply(() -> { });
        release.countDown();
        for (Thread reader : readers) {
            reader.join();
        }
        for (Transaction snap : snapshots) {
            snap.close();
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("a scan during the batches differed", errors.get(0));
        }
        try (Transaction snap = rows.begin(true)) {
            assertSameAt(snap, columns, root);
        }
        assertTrue(columns.segmentsSealed() > 0, "open segments filled inside batches were sealed");
    }
}
