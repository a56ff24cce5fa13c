package dev.duet.sync;

import static java.util.Objects.requireNonNull;

import dev.duet.columnstore.ColumnStore;
import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.catalog.ViewDef;
import dev.duet.core.types.RowCodec;
import dev.duet.rowstore.CommitListener;
import dev.duet.rowstore.CommitRecord;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.RowStore;
import dev.duet.rowstore.Transaction;
import dev.duet.rowstore.wal.WalReader;
import dev.duet.rowstore.wal.WalRetention;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a {@link ColumnStore} in step with a {@link RowStore}: one daemon thread per database that
 * applies every commit, in commit order, as soon as it is committed.
 *
 * <p>Start: the sync registers with the WAL's retention as consumer {@value #CONSUMER} at the
 * column store's persisted watermark (so checkpoints keep the segments it still needs), subscribes
 * to the row store's commit feed (which gives the cut between the log and the feed), replays the WAL
 * from the watermark up to the cut (records at or below the watermark are skipped by the column
 * store, so replay is idempotent), then applies the feed. No commit is missed or applied twice: the
 * cut is taken under the commit lock, and the column store skips any commit at or below its
 * watermark. If the log no longer reaches back to the watermark (a database checkpointed while it
 * ran without a column store), the column store is loaded from a snapshot first (see
 * {@link ColumnStore#reset}).
 *
 * <p>Durability: a commit reaches the feed before it is on disk, and the sync applies it at once:
 * in memory, a commit not yet durable is no different from one in the row store (a crash loses
 * both, and readers see it only at snapshots that include it). Before the column store persists
 * anything (a manifest, which lists sealed files and delete vectors and records the watermark) it
 * forces the log up to its applied watermark ({@link ColumnStore#beforePersist},
 * {@link RowStore#forceDurable}; on the column store's manifest thread, so that applying never
 * waits for an fsync), so no persisted state holds a commit a crash could take back.
 * Waiting for durability before applying instead made the lag follow the log's fsyncs, which on a
 * slow disk took hundreds of milliseconds. The committing thread (feed) and the seal thread wake
 * the sync thread through {@link #queueLock}; it never polls.
 *
 * <p>Persistence: the column store's seal thread writes full segments to their files in the
 * background, and its compaction thread rewrites segments with many deleted rows (started every
 * {@link SyncOptions#compactEveryCommits()} commits, {@link ColumnStore#startCompaction}); when
 * either finishes a file it wakes the sync thread (through {@link #queueLock}, like a commit),
 * which installs the file and hands a new manifest to the manifest thread
 * ({@link ColumnStore#installSeals}; that thread wakes it too once the manifest is written, and the
 * retention then follows); when the WAL a
 * restart would replay exceeds {@link SyncOptions#maxReplayBytes()} the sync seals everything
 * ({@link ColumnStore#persist()}); after each manifest the retention position moves to the new
 * replay start. {@link #close()} applies what it received, persists, and unsubscribes.
 *
 * <p>Lag: every commit received from the feed is timed from the row store handing it over to the
 * column store's watermark covering it ({@link #commitLag()}, allocation-free).
 */
public final class ColumnSync implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ColumnSync.class.getName());
    /** The WAL retention consumer name of the sync. */
    public static final String CONSUMER = "sync";

    private final RowStore rows;
    private final ColumnStore columns;
    private final SyncOptions options;
    private final WalRetention retention;
    private final Feed feed = new Feed();
    private final Thread thread;

    /** Guards the fields marked "queueLock"; held by committers only to enqueue. */
    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition work = queueLock.newCondition();
    private final Condition space = queueLock.newCondition();
    /** queueLock: commits received from the feed and not yet taken by the sync thread, in commit order. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** queueLock: bytes of the commits received and not yet applied (the queue's and the batch's). */
    private long queuedBytes;
    /** Commits the sync thread takes from the queue at once. */
    private static final int BATCH = 256;
    /**
     * Key-map slots moved per idle pass when a table's key map was left part way through a growth
     * (about a millisecond of work), so that a commit arriving meanwhile waits no longer than that.
     */
    private static final int IDLE_GROWTH_SLOTS = 1 << 16;
    /** Sync thread: the commits taken from the queue, being applied in order. */
    private final Pending[] batch = new Pending[BATCH];
    /**
     * Written by the sync thread, read by metrics: how many of the batch are not applied yet (0:
     * none), and when the oldest of them was received.
     */
    private volatile int applying;
    private volatile long applyingSince;
    private boolean stopping;
    /** queueLock: the column store's seal or compaction thread finished a segment file that the sync thread has not installed yet. */
    private boolean sealFinished;

    private volatile DuetException failure;
    private volatile long commitsApplied;
    private volatile long lastRetained = -1;
    /** Sync thread: commits applied since the last compaction. */
    private int sinceCompaction;
    private final Applier applier = new Applier();
    /** Per-commit lag of the commits received from the feed (replayed ones are not counted); recorded by the sync thread. */
    private final LagHistogram commitLag = new LagHistogram();
    /** Test hook: runs on the sync thread before each commit from the feed is applied (to hold the sync back). */
    private volatile Runnable beforeApply = () -> { };

    private record Pending(long ts, long endLsn, byte[] payload, long receivedNanos) {
    }

    private ColumnSync(RowStore rows, ColumnStore columns, SyncOptions options) {
        this.rows = rows;
        this.columns = columns;
        this.options = options;
        this.retention = rows.walRetention();
        this.thread = new Thread(this::run, "duet-sync" + (rows.directory() == null ? "" : "-" + rows.directory().getFileName()));
        this.thread.setDaemon(true);
    }

    /**
     * The WAL position a column store in {@code columnStoreDir} will replay from, to register as
     * consumer {@value #CONSUMER} when opening the row store ({@link RowStore#open(Path,
     * dev.duet.rowstore.RowStoreOptions, Map)}), before a checkpoint could delete what it needs.
     */
    public static Map<String, Long> walConsumers(Path columnStoreDir) {
        return Map.of(CONSUMER, ColumnStore.persistedReplayLsn(columnStoreDir));
    }

    /**
     * Catches {@code columns} up with {@code rows} and keeps it in step from then on. The replay of
     * the WAL from the column store's watermark runs on the sync thread: scans wait for it like for
     * any other lag.
     */
    public static ColumnSync start(RowStore rows, ColumnStore columns, SyncOptions options) {
        requireNonNull(rows, "rows is null");
        requireNonNull(columns, "columns is null");
        requireNonNull(options, "options is null");
        ColumnSync sync = new ColumnSync(rows, columns, options);
        long from = columns.replayFromLsn();
        if (sync.retention != null) {
            if (from > rows.walEndLsn()) {
                throw DuetException.of(SqlState.DATA_CORRUPTED,
                        "column store %s has applied the WAL up to lsn %d, but the log ends at %d",
                        columns.directory(), from, rows.walEndLsn());
            }
            long registered = sync.retention.position(CONSUMER);
            if (registered < 0) {
                sync.retention.register(CONSUMER, from);
            } else if (registered != from) {
                throw new IllegalStateException("WAL consumer " + CONSUMER + " was registered at lsn " + registered
                        + ", but the column store replays from " + from);
            }
            sync.lastRetained = from;
            long first = WalReader.open(rows.walDirectory()).firstSegmentBase();
            if (first > from) {
                // The log was checkpointed without the column store (it is new on an old database,
                // or was turned off): load it from a snapshot instead (registered below the log's
                // start, the sync keeps every segment until then).
                LOG.log(System.Logger.Level.INFO, "column store " + columns.directory() + " needs the WAL from lsn " + from
                        + " but it starts at " + first + ": loading the column store from a snapshot");
                sync.bootstrapFrom = first;
            }
        } else if (from != 0 || columns.watermarkTs() != 0) {
            throw DuetException.of(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
                    "an in-memory database needs an empty column store, but %s holds data", columns.directory());
        }
        columns.onSealed(sync::sealFinished);
        columns.beforePersist(rows::forceDurable);
        try {
            sync.cutLsn = rows.subscribe(sync.feed).lsn();
        } catch (RuntimeException e) {
            if (sync.retention != null) {
                sync.retention.unregister(CONSUMER);
            }
            throw e;
        }
        sync.thread.start();
        return sync;
    }

    /** Set before the thread starts: where the feed begins; the WAL before it is replayed. */
    private long cutLsn;
    /** Set before the thread starts: -1, or the start of the log when the column store must be loaded from a snapshot. */
    private long bootstrapFrom = -1;

    /** The row store's commit feed: copies each commit into the queue. */
    private final class Feed implements CommitListener {
        @Override
        public void committed(long ts, long endLsn, byte[] payload, int off, int len) {
            // the commit's lag starts here: the row store calls this as it makes the commit visible
            long received = System.nanoTime();
            try {
                enqueue(ts, endLsn, payload, off, len, received);
            } catch (RuntimeException | Error e) {
                // Never fail the commit (it is in the WAL already); the column store missed it, so it stops.
                fail(new DuetException(SqlState.INTERNAL_ERROR, "sync lost commit " + ts + ": " + e, e));
            }
        }

        private void enqueue(long ts, long endLsn, byte[] payload, int off, int len, long received) {
            byte[] copy = Arrays.copyOfRange(payload, off, off + len);
            queueLock.lock();
            try {
                // Backpressure: wait while the sync is far behind, unless it stopped for good.
                while (queuedBytes > options.maxQueueBytes() && failure == null && !stopping) {
                    space.awaitUninterruptibly();
                }
                if (failure != null) {
                    return;
                }
                queue.addLast(new Pending(ts, endLsn, copy, received));
                queuedBytes += len;
                work.signal();
            } finally {
                queueLock.unlock();
            }
        }
    }

    /** The seal listener (on the column store's seal or compaction thread): wakes the sync thread to install the file. */
    private void sealFinished() {
        queueLock.lock();
        try {
            sealFinished = true;
            work.signal();
        } finally {
            queueLock.unlock();
        }
    }

    private void run() {
        try {
            if (bootstrapFrom >= 0) {
                bootstrap();
            }
            replay();
            follow();
        } catch (InterruptedException e) {
            columns.abortCommit();
            fail(DuetException.of(SqlState.QUERY_CANCELED, "sync thread interrupted"));
        } catch (DuetException e) {
            columns.abortCommit();
            fail(e);
        } catch (RuntimeException | Error e) {
            columns.abortCommit();
            fail(new DuetException(SqlState.INTERNAL_ERROR, "sync failed: " + e, e));
        }
    }

    /**
     * Loads the column store from the newest snapshot S when the log no longer reaches back to
     * its watermark: every row visible at S becomes a row inserted by "commit" S, whose WAL end
     * position is found by reading the log (every commit after the last checkpoint is there, and
     * the checkpoint's timestamp is at most S). The replay then continues after S. Snapshots before
     * S cannot be answered by the column store any more (55000).
     */
    private void bootstrap() {
        try (Transaction tx = rows.begin(true)) {
            long s = tx.snapshot();
            long[] end = {bootstrapFrom};
            WalReader.open(rows.walDirectory()).read(bootstrapFrom, cutLsn, (lsn, type, payload, len) -> {
                if (CommitRecord.timestamp(payload, 0, len) <= s) {
                    end[0] = WalReader.recordEnd(lsn, len);
                }
            });
            columns.reset(s);
            if (!columns.beginCommit(s)) {
                throw new IllegalStateException("a reset column store refused commit " + s);
            }
            for (TableDef t : tx.catalog().tables()) {
                columns.createTable(t);
                RowCodec codec = t.rowCodec();
                for (Row row : tx.scan(t.qualifiedName())) {
                    columns.put(t.id(), row.key(), codec.encode(row.values()));
                }
            }
            columns.endCommit(end[0]);
            columns.persist();
            retention.advance(CONSUMER, columns.replayFromLsn());
            lastRetained = columns.replayFromLsn();
        }
    }

    /** Applies the WAL from the column store's persisted watermark to the feed's cut. */
    private void replay() {
        if (retention == null) {
            return;
        }
        long from = columns.replayFromLsn();
        if (from >= cutLsn) {
            return;
        }
        WalReader.ReadResult r = WalReader.open(rows.walDirectory()).read(from, cutLsn, (lsn, type, payload, len) -> {
            if (type != CommitRecord.WAL_TYPE) {
                throw DuetException.of(SqlState.DATA_CORRUPTED, "unknown WAL record type %d at LSN %d", type, lsn);
            }
            apply(CommitRecord.timestamp(payload, 0, len), WalReader.recordEnd(lsn, len), payload, len);
        });
        if (r.endLsn() != cutLsn) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "the WAL ends at lsn %d before the feed's start %d", r.endLsn(), cutLsn);
        }
    }

    /**
     * Applies queued commits, and installs finished segment files, until closed. The commits
     * queued are taken out in batches of up to {@value #BATCH} under one lock acquisition (and
     * their space given back under one more), not two per commit: on two busy cores the writer
     * and this thread handing the lock back and forth per commit parked this thread for tens to
     * hundreds of milliseconds whenever the holder was descheduled.
     */
    private void follow() throws InterruptedException {
        while (true) {
            int n = 0;
            boolean sealed;
            boolean idleWork = false;
            queueLock.lock();
            try {
                while (true) {
                    sealed = sealFinished;
                    sealFinished = false;
                    while (n < BATCH && !queue.isEmpty()) {
                        batch[n++] = queue.pollFirst();
                    }
                    if (n > 0) {
                        applyingSince = batch[0].receivedNanos;
                        applying = n;
                    }
                    if (n > 0 || sealed) {
                        break;
                    }
                    if (stopping) {
                        return;
                    }
                    if (columns.keyMapsGrowing()) {
                        idleWork = true; // nothing queued: finish a key map's growth, a slice at a time
                        break;
                    }
                    work.await();
                }
            } finally {
                queueLock.unlock();
            }
            if (idleWork) {
                // a slice of about a millisecond, then the queue is looked at again
                columns.growKeyMaps(IDLE_GROWTH_SLOTS);
                continue;
            }
            if (sealed) {
                columns.installSeals(); // a no-op if endCommit installed it already
                advanceRetention();
            }
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                Pending next = batch[i];
                batch[i] = null;
                applyingSince = next.receivedNanos;
                applying = n - i;
                beforeApply.run();
                if (apply(next.ts, next.endLsn, next.payload, next.payload.length)) {
                    commitLag.record(columns.watermarkAdvancedNanos() - next.receivedNanos);
                }
                bytes += next.payload.length;
            }
            if (n > 0) {
                applying = 0;
                queueLock.lock();
                try {
                    queuedBytes -= bytes;
                    space.signalAll();
                } finally {
                    queueLock.unlock();
                }
            }
        }
    }

    /** Applies one commit; false if the column store had it already. */
    private boolean apply(long ts, long endLsn, byte[] payload, int len) {
        if (!columns.beginCommit(ts)) {
            return false;
        }
        CommitRecord.read(payload, 0, len, applier);
        columns.endCommit(endLsn);
        commitsApplied++;
        if (++sinceCompaction >= options.compactEveryCommits()) {
            sinceCompaction = 0;
            // the rewrite runs on the column store's compaction thread; its end wakes this thread
            // like a finished seal, and installSeals installs it
            // (the oldest snapshot is asked for only when there is something to compact: it takes a
            // lock every committer takes, which held this thread up for up to 150 ms on two busy cores)
            if (columns.mayCompact()) {
                columns.startCompaction(rows.oldestSnapshot());
            }
        }
        if (retention != null && endLsn - columns.replayFromLsn() > options.maxReplayBytes()) {
            columns.persist();
        }
        advanceRetention();
        return true;
    }

    /** Lets the WAL go up to the column store's replay position after a manifest moved it. Sync thread. */
    private void advanceRetention() {
        if (retention == null) {
            return;
        }
        long from = columns.replayFromLsn();
        if (from != lastRetained) {
            retention.advance(CONSUMER, from);
            lastRetained = from;
        }
    }

    /** Turns the operations of a commit record into column store operations. */
    private final class Applier implements CommitRecord.Visitor {
        @Override
        public void createSchema(String name) {
        }

        @Override
        public void dropSchema(String name) {
        }

        @Override
        public void createTable(TableDef table) {
            columns.createTable(table);
        }

        @Override
        public void dropTable(long tableId) {
            columns.dropTable(tableId);
        }

        @Override
        public void createView(ViewDef view, boolean orReplace) {
        }

        @Override
        public void dropView(String schema, String name) {
        }

        @Override
        public void createIndex(IndexDef index) {
        }

        @Override
        public void dropIndex(long indexId) {
        }

        @Override
        public void put(byte kind, long tableId, byte[] key, byte[] row) {
            columns.put(tableId, key, row);
        }

        /** A single-row write: taken from the record's bytes, no array per row. */
        @Override
        public void put(byte kind, long tableId, byte[] buf, int keyOff, int keyLen, int rowOff, int rowLen) {
            columns.put(tableId, buf, keyOff, keyLen, buf, rowOff, rowLen);
        }

        @Override
        public void delete(long tableId, byte[] key) {
            columns.delete(tableId, key);
        }

        /** A bulk chunk: appended from the record's bytes, with one table lookup and lock for the run and no array per row. */
        @Override
        public void insertRows(long tableId, CommitRecord.InsertedRows rows) {
            ColumnStore.RowRun run = columns.insertRun(tableId);
            if (run == null) {
                return; // the table's persisted state covers this commit already
            }
            byte[] buf = rows.buffer();
            while (rows.next()) {
                run.insert(buf, rows.keyOffset(), rows.keyLength(), rows.rowOffset(), rows.rowLength());
            }
        }
    }

    private void fail(DuetException e) {
        LOG.log(System.Logger.Level.ERROR, "column store sync of " + (rows.directory() == null ? "(memory)" : rows.directory())
                + " stopped: " + e.getMessage(), e);
        queueLock.lock();
        try {
            failure = e;
            queue.clear();
            queuedBytes = 0;
            space.signalAll();
        } finally {
            queueLock.unlock();
        }
        columns.fail(e);
    }

    // ------------------------------------------------------------------ metrics

    /** Commits applied since start (replay included). */
    public long commitsApplied() {
        return commitsApplied;
    }

    /** WAL bytes between the row store's log end and the column store's watermark (0 in memory). */
    public long lagBytes() {
        return retention == null ? 0 : Math.max(0, rows.walEndLsn() - columns.watermarkLsn());
    }

    /** Milliseconds the oldest received but unapplied commit has waited (0 when caught up). */
    public long lagMillis() {
        long since;
        queueLock.lock();
        try {
            // the batch being applied holds older commits than the queue
            Pending head = queue.peekFirst();
            since = applying > 0 ? applyingSince : head == null ? -1 : head.receivedNanos;
        } finally {
            queueLock.unlock();
        }
        return since < 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    /**
     * The lag of every commit the sync received from the row store's feed and applied: from the
     * row store handing it over (as it makes the commit visible to row-store readers) to the column
     * store's watermark covering it (visible to column-store scans). Commits replayed from the WAL
     * on start are not counted. Cumulative since start; see {@link LagHistogram.Snapshot#since}
     * for an interval.
     */
    public LagHistogram commitLag() {
        return commitLag;
    }

    /** Sets the test hook run on the sync thread before each commit received from the feed is applied. */
    void beforeApply(Runnable hook) {
        beforeApply = requireNonNull(hook, "hook is null");
    }

    /** Commits received but not applied yet. */
    public int queuedCommits() {
        queueLock.lock();
        try {
            return queue.size() + applying;
        } finally {
            queueLock.unlock();
        }
    }

    /** The failure that stopped the sync, or null. */
    public DuetException failure() {
        return failure;
    }

    public ColumnStore columnStore() {
        return columns;
    }

    /**
     * Applies every commit received and leaves the feed; then, if the next open would
     * replay more than {@link SyncOptions#closePersistBytes()} of WAL, seals the open segments and
     * writes the manifest. Call before closing the row store; the column store stays open (its
     * owner closes it). An in-memory database persists nothing. Idempotent.
     */
    @Override
    public void close() {
        if (stop() && failure == null && retention != null
                && columns.watermarkLsn() - columns.replayFromLsn() > options.closePersistBytes()) {
            try {
                columns.persist();
                if (retention != null && columns.replayFromLsn() != lastRetained) {
                    retention.advance(CONSUMER, columns.replayFromLsn());
                }
            } catch (DuetException e) {
                LOG.log(System.Logger.Level.WARNING, "could not persist the column store on close; the next open replays the WAL", e);
            }
        }
    }

    /**
     * Stops following the row store without persisting the open segments: the next start replays
     * the WAL from the persisted watermark, as after a crash (which is what tests use it for).
     */
    public void abandon() {
        stop();
    }

    /** Stops the thread after it applied what it received; false if already stopped. */
    private boolean stop() {
        queueLock.lock();
        try {
            if (stopping) {
                return false;
            }
            stopping = true;
            work.signalAll();
            space.signalAll();
        } finally {
            queueLock.unlock();
        }
        rows.unsubscribe(feed);
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
