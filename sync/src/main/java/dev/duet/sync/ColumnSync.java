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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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
 * slow disk took hundreds of milliseconds.
 *
 * <p>Hand-over: the committing thread copies each commit into a {@link CommitRing} (reused
 * entries and slabs: no allocation, no lock) and wakes the sync thread only if it sleeps. The
 * sync thread applies what the ring holds in batches ({@link ColumnStore#beginBatch}: rows
 * published and the watermark advanced once per batch), then gives the entries back. When the
 * backlog would take the sync longer than {@link SyncOptions#maxLag()} to apply (at the cost per
 * byte it measured over its recent batches), or its oldest commit has waited longer than that,
 * or it holds more than
 * {@link SyncOptions#maxQueueBytes()}, or fills the ring, the committer waits for the next batch
 * to be given back. The committing thread and the seal thread wake the sync thread by
 * {@link LockSupport#unpark}; it never polls.
 *
 * <p>Persistence: the column store's seal thread writes full segments to their files in the
 * background, and its compaction thread rewrites segments with many deleted rows (started every
 * {@link SyncOptions#compactEveryCommits()} commits, {@link ColumnStore#startCompaction}); when
 * either finishes a file it wakes the sync thread (like a commit),
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
    private final long maxLagNanos;

    /** Commits received from the feed and not yet applied, in commit order; see {@link CommitRing} for its protocol. */
    private final CommitRing ring = new CommitRing(SyncOptions.RING_COMMITS);
    /**
     * Sleeping and waking, without a lock: a side that goes to sleep first announces it (volatile
     * write), then looks again at what it waits for (volatile reads), and parks only if it is still
     * missing; the side that provides it writes it (volatile), then reads the announcement and
     * unparks. One of the two always sees the other's write. {@code syncSleeping}: the sync thread
     * is about to park for work (a commit, a finished seal, the stop); a committer takes it back
     * (getAndSet) before it unparks, so that the commits that follow while the sync thread is
     * being scheduled do not unpark it again. {@code waitingWriter}: the committing thread parked
     * for room (backpressure), or null.
     */
    private final java.util.concurrent.atomic.AtomicBoolean syncSleeping = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Thread waitingWriter;
    /** Commits the sync thread applies as one batch at most, and record bytes (it stops adding commits past them). */
    private static final int BATCH = 256;
    private static final int BATCH_BYTES = 256 << 10;
    /**
     * How long the sync thread waits for the next commit before it parks, spinning first, then
     * yielding its core to other threads: a park costs the next committer an unpark (a system
     * call, 5% of a single-row INSERT's samples when the sync parked after most commits).
     */
    private static final long SPIN_NANOS = 10_000;
    private static final long YIELD_NANOS = 200_000;
    /**
     * Key-map slots moved per idle pass when a table's key map was left part way through a growth
     * (about a millisecond of work), so that a commit arriving meanwhile waits no longer than that.
     */
    private static final int IDLE_GROWTH_SLOTS = 1 << 16;
    /** Sync thread: which commits of the batch being applied were new to the column store (their lag is recorded). */
    private final boolean[] appliedInBatch = new boolean[BATCH];
    /**
     * Written by the sync thread, read by committers: the sync's recent cost of applying a byte of
     * commit record (ns), a decaying average over batches weighted by their bytes (0 until the
     * first batch); the backlog's bytes times it is the drain time bounded by {@link SyncOptions#maxLag()}.
     */
    private volatile double nanosPerByte;
    /** Sync thread: the decaying sums nanosPerByte is the ratio of. */
    private double busyNanos;
    private double busyBytes;
    /** Set (volatile) by {@link #stop}: the sync thread applies what it holds and ends. */
    private volatile boolean stopping;
    /** Set by the seal listener, cleared by the sync thread before it installs: a segment file is finished and not installed yet. */
    private volatile boolean sealFinished;
    /** Times a committer waited for room (backpressure); written by committers (one at a time, see {@link CommitRing}). */
    private volatile long writerWaits;
    /** Nanoseconds committers spent in those waits; written as {@link #writerWaits} is. */
    private volatile long writerWaitNanos;

    private volatile DuetException failure;
    private volatile long commitsApplied;
    private volatile long lastRetained = -1;
    /** Sync thread: commits applied since the last compaction. */
    private int sinceCompaction;
    private final Applier applier = new Applier();
    /** Sync thread: decodes every applied commit record without an object per record. */
    private final CommitRecord.Reader reader = new CommitRecord.Reader();
    /** Per-commit lag of the commits received from the feed (replayed ones are not counted); recorded by the sync thread. */
    private final LagHistogram commitLag = new LagHistogram();
    /** Test hook: runs on the sync thread before each commit from the feed is applied (to hold the sync back). */
    private volatile Runnable beforeApply = () -> { };

    private ColumnSync(RowStore rows, ColumnStore columns, SyncOptions options) {
        this.rows = rows;
        this.columns = columns;
        this.options = options;
        this.retention = rows.walRetention();
        this.maxLagNanos = options.maxLag().toNanos();
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

    /**
     * The row store's commit feed: copies each commit into the ring. Called under the row store's
     * commit lock, so one committer at a time (the ring's single producer).
     */
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
            if (mustWait(received)) {
                // Backpressure: wait while the sync is too far behind, unless it stopped for good.
                writerWaits++;
                waitingWriter = Thread.currentThread();
                boolean interrupted = false;
                try {
                    while (mustWait(System.nanoTime())) {
                        LockSupport.park(this);
                        // like an uninterruptible wait: the commit is made, only its hand-over waits
                        interrupted |= Thread.interrupted();
                    }
                } finally {
                    writerWaitNanos += System.nanoTime() - received;
                    waitingWriter = null;
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            if (failure != null || !ring.hasRoom()) {
                return; // stopped: the commit is in the WAL, the next start replays it
            }
            ring.add(ts, endLsn, payload, off, len, received);
            if (syncSleeping.get() && syncSleeping.getAndSet(false)) {
                LockSupport.unpark(thread);
            }
        }

        /**
         * Whether the committer must wait for the sync at {@code now}: the ring is full, or the
         * backlog exceeds a bound (see {@link SyncOptions}): its bytes, the time the sync would
         * take to apply it, or the age of its oldest commit (a sync that gets no CPU, or waits
         * for a seal, measures no cost meanwhile).
         */
        private boolean mustWait(long now) {
            if (failure != null || stopping) {
                return false;
            }
            if (!ring.hasRoom()) {
                return true;
            }
            long bytes = ring.backlogBytes();
            if (bytes == 0) {
                return false;
            }
            if (bytes > options.maxQueueBytes() || bytes * nanosPerByte > maxLagNanos) {
                return true;
            }
            long oldest = ring.oldestReceived();
            return oldest >= 0 && now - oldest > maxLagNanos;
        }
    }

    /** The seal listener (on the column store's seal or compaction thread): wakes the sync thread to install the file. */
    private void sealFinished() {
        sealFinished = true;
        LockSupport.unpark(thread);
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
                    columns.put(t.id(), row.key(), codec.encode(row.values()), true); // one row per key: all new
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
     * Applies received commits, and installs finished segment files, until closed. The commits
     * are applied in batches of what the ring holds (up to {@value #BATCH} commits or
     * {@value #BATCH_BYTES} bytes), published to scans once per batch, and given back to the
     * ring after it: a committer waiting for room wakes once per batch, not per commit.
     */
    private void follow() throws InterruptedException {
        while (true) {
            if (sealFinished) {
                sealFinished = false; // before installing: a seal finished after this wakes us again
                columns.installSeals(); // a no-op if endCommit installed it already
                advanceRetention();
            }
            long from = ring.tail();
            long to = ring.head();
            if (from == to) {
                if (stopping) {
                    if (ring.head() == from) {
                        return;
                    }
                    continue;
                }
                if (columns.keyMapsGrowing()) {
                    // nothing received: finish a key map's growth, a slice of about a millisecond at a time
                    columns.growKeyMaps(IDLE_GROWTH_SLOTS);
                    continue;
                }
                awaitWork(from);
                continue;
            }
            applyBatch(from, Math.min(to, from + BATCH));
        }
    }

    /** Spins and yields briefly, then parks, until a commit arrives after {@code tail}, a seal finishes, or the sync stops. */
    private void awaitWork(long tail) throws InterruptedException {
        long start = System.nanoTime();
        while (ring.head() == tail && !sealFinished && !stopping) {
            long waited = System.nanoTime() - start;
            if (waited < SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            if (waited < YIELD_NANOS) {
                Thread.yield();
                continue;
            }
            syncSleeping.set(true); // announce, then look again (see syncSleeping)
            if (ring.head() == tail && !sealFinished && !stopping) {
                LockSupport.park(this);
            }
            syncSleeping.set(false);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** Applies the commits {@code [from, to)} of the ring as one batch and gives them back. */
    private void applyBatch(long from, long to) {
        long start = System.nanoTime();
        long hooked = 0;
        long bytes = 0;
        long end = from;
        columns.beginBatch();
        try {
            while (end < to && bytes < BATCH_BYTES) {
                long hookStart = System.nanoTime();
                beforeApply.run();
                hooked += System.nanoTime() - hookStart;
                int len = ring.length(end);
                appliedInBatch[(int) (end - from)] = apply(ring.ts(end), ring.endLsn(end), ring.payload(end), len);
                bytes += len;
                end++;
            }
        } finally {
            columns.endBatch();
        }
        // (a commit published earlier in the batch, by one that filled a segment, counts to here: a little high)
        long published = columns.watermarkAdvancedNanos();
        for (long seq = from; seq < end; seq++) {
            if (appliedInBatch[(int) (seq - from)]) {
                commitLag.record(published - ring.received(seq));
            }
        }
        // the cost per byte, as a decaying average weighted by bytes (the test hook's holds excluded)
        busyNanos = busyNanos * DECAY + (System.nanoTime() - start - hooked);
        busyBytes = busyBytes * DECAY + bytes;
        nanosPerByte = busyBytes > 0 ? busyNanos / busyBytes : 0;
        ring.release(end, bytes);
        Thread writer = waitingWriter; // after the release: see syncSleeping
        if (writer != null) {
            LockSupport.unpark(writer);
        }
    }

    /**
     * Weight of the older batches in the apply cost estimate, per batch: a slow batch (the first
     * ones run before the JIT compiled the apply path, or load classes) weighs little after a few
     * dozen more.
     */
    private static final double DECAY = 15.0 / 16;

    /** Applies one commit; false if the column store had it already. */
    private boolean apply(long ts, long endLsn, byte[] payload, int len) {
        if (!columns.beginCommit(ts)) {
            return false;
        }
        reader.read(payload, 0, len, applier);
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

        /**
         * An INSERT's key has no live row in the column store either (every earlier commit is
         * applied), so only an UPDATE makes it look the old row up (and need the table's key map).
         */
        @Override
        public void put(byte kind, long tableId, byte[] key, byte[] row) {
            columns.put(tableId, key, row, kind == CommitRecord.INSERT);
        }

        /** A single-row write: taken from the record's bytes, no array per row. */
        @Override
        public void put(byte kind, long tableId, byte[] buf, int keyOff, int keyLen, int rowOff, int rowLen) {
            columns.put(tableId, buf, keyOff, keyLen, buf, rowOff, rowLen, kind == CommitRecord.INSERT);
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
        failure = e;
        Thread writer = waitingWriter;
        if (writer != null) {
            LockSupport.unpark(writer);
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
        // the batch being applied stays in the ring until it is published
        long since = ring.oldestReceived();
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
        return (int) ring.backlogCommits();
    }

    /** Times a committer waited for the sync to catch up (backpressure) since start. */
    public long writerWaits() {
        return writerWaits;
    }

    /** Milliseconds committers spent waiting for the sync to catch up (backpressure) since start. */
    public long writerWaitMillis() {
        return TimeUnit.NANOSECONDS.toMillis(writerWaitNanos);
    }

    /** The sync's recent cost of applying a byte of commit record (ns): what the backpressure's drain time is estimated with. */
    public double applyNanosPerByte() {
        return nanosPerByte;
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
        synchronized (feed) { // one stopper
            if (stopping) {
                return false;
            }
            stopping = true;
        }
        LockSupport.unpark(thread);
        Thread writer = waitingWriter;
        if (writer != null) {
            LockSupport.unpark(writer);
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
