package dev.duet.columnstore;

import static java.util.Objects.requireNonNull;

import dev.duet.columnstore.parquet.ParquetBatchReader;
import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.CatalogCodec;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.io.ByteSink;
import dev.duet.core.io.ByteSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.types.Types;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The column store of one database: per table, sealed Parquet segments plus one open Arrow segment,
 * with per-row insert timestamps and per-segment delete vectors, answering scans at any snapshot at
 * or below its watermark.
 *
 * <p><b>Applying commits</b> (one thread, the sync): {@link #beginCommit}, then the commit's
 * operations ({@link #createTable}, {@link #dropTable}, {@link #put}, {@link #delete}) in log order,
 * then {@link #endCommit}, which publishes the rows and advances the watermark; between
 * {@link #beginBatch} and {@link #endBatch} the commits' rows are published, and the watermark
 * advanced over them, once at the batch's end (never before their rows are visible). An UPDATE is the
 * deletion of the key's live row plus the insertion of the new one; the live row is found through
 * the table's key map, which its first UPDATE or DELETE builds (an INSERT of a new key needs none:
 * {@link #put(long, byte[], byte[], boolean)}). Applying is idempotent across a restart: a commit
 * at or below the watermark is skipped whole, and an operation on a table whose persisted state
 * already covers the commit is skipped.
 *
 * <p><b>What is persisted when.</b> The open segment is not persisted: it lives in memory and is
 * rebuilt after a restart by replaying the WAL. (Persisting it on every commit would write the same
 * rows twice; rebuilding it costs at most one segment's worth of replay per table.) At a commit
 * boundary, a segment holding {@link ColumnStoreOptions#sealRows()} rows is <em>frozen</em>: a new
 * open segment takes the appends, and the store's seal thread ({@link Sealer}) writes the frozen rows
 * to a Parquet file (ZSTD, min/max/null counts per row group of every table column) and forces it, while the sync thread
 * goes on applying commits and scans read the frozen rows. Once the file is written the sync thread
 * {@linkplain #installSeals installs} it (the segment switches to the file under the table lock, the
 * frozen rows are released) and builds a new <em>manifest</em>, which the store's manifest thread
 * (a third {@link Sealer}) writes: it forces the log up to the manifest's watermark, replaces the
 * changed delete vectors, then replaces the manifest atomically, while the sync thread goes on
 * applying commits (three fsyncs or more that used to hold up every commit behind them). Only when
 * the written manifest is handed back does the replay position move ({@link #replayFromLsn()}, which
 * lets the WAL go) and do files it no longer lists get deleted. The manifest lists each
 * table's sealed segments, the commit up to which each table's persisted state is complete, the
 * applied watermark, and the position from which the WAL must be replayed on open: the watermark
 * before the first commit whose rows are only in some open or frozen segment (a crash while a file
 * is being written replays its rows; its unfinished file is not listed). That position, not the
 * applied watermark, is what the WAL must keep ({@link #replayFromLsn()}). At most
 * {@value #MAX_SEALS_IN_FLIGHT} segments, and beyond {@value #MIN_SEALS_IN_FLIGHT} at most
 * {@link #MAX_FROZEN_BYTES} of them, are frozen at once: a sync faster than the disk waits for the
 * oldest seal rather than holding ever more rows in memory, and a seal thread briefly starved of
 * CPU does not hold the sync up. Delete vectors of sealed segments are rewritten (atomically,
 * with a CRC) just before each manifest; entries newer than their table's persisted commit are
 * ignored on open and applied again by the replay, so a delete vector is never ahead of the
 * manifest in a way the replay cannot repeat. {@link #persist} seals every non-empty open segment
 * (also small ones), writes the manifest and waits for it: on close, and when the retained WAL
 * grows too large.
 * Files the manifest does not list (a seal cut short, a dropped table's) are deleted on open.
 * Compaction ({@link #startCompaction}) rewrites sealed segments on a second background thread
 * (another {@link Sealer}); the sync thread installs each rewrite between commits like a seal, and
 * the new file is listed only by the manifest written after that, so a crash before it leaves the
 * old segment in place.
 *
 * <p><b>Reading.</b> {@link #scan} waits until the watermark reaches the snapshot (the sync is
 * in-process and woken on every commit and every fsync, so the wait is normally milliseconds; a
 * scan that merged the row store's unsynced tail instead would need a second read path for the
 * same rows), then returns exactly the rows inserted at or before the snapshot and not deleted at
 * or before it.
 */
public final class ColumnStore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ColumnStore.class.getName());
    static final String MANIFEST = "manifest";
    /**
     * Frozen segments (all tables) whose files may be in the making at once; see the class comment.
     * Beyond {@link #MIN_SEALS_IN_FLIGHT} only while they hold at most {@link #MAX_FROZEN_BYTES}.
     */
    static final int MAX_SEALS_IN_FLIGHT = 8;
    /** Frozen segments that may always be in the making at once, whatever their size. */
    static final int MIN_SEALS_IN_FLIGHT = 2;
    /**
     * The vector bytes of frozen segments beyond which a freeze waits for the oldest seal (once
     * {@link #MIN_SEALS_IN_FLIGHT} are in flight). With two, a seal thread that got no CPU for
     * a second (two cores shared by the writer, the checkpoint, the GC) held up the sync, and
     * every commit behind it, for that second; a segment of a narrow table is a few MiB.
     */
    static final long MAX_FROZEN_BYTES = 64L << 20;
    private static final int MANIFEST_MAGIC = 0x44434d31; // "DCM1"

    private final Path dir;
    private final boolean temporary;
    private final ColumnStoreOptions options;
    /**
     * Parsed footers of sealed segment files ({@link #openSealed}); weak keys, so an entry goes
     * once its segment's file is no longer listed or scanned. Guarded by synchronizing on it.
     */
    private final WeakHashMap<Segment.SealedFile, ParquetBatchReader.Footer> footers = new WeakHashMap<>();
    /** Decoded column chunks of sealed segments, shared by scans. */
    private final SegmentCache cache;
    private final BufferAllocator allocator;
    /** The seal thread; its jobs are submitted and taken back by the sync thread only. */
    private final Sealer sealer;
    /** The compaction thread ({@link Compaction} jobs), kept apart so that seals never queue behind a rewrite. Same protocol. */
    private final Sealer compactor;
    /**
     * The manifest thread ({@link ManifestWrite} jobs: log force, delete vectors, manifest), so that
     * the sync thread never waits for an fsync to apply the next commit. Same protocol.
     */
    private final Sealer manifests;
    /** Sync thread: manifests submitted to {@link #manifests}, and those of them handed back written. */
    private long manifestsSubmitted;
    private long manifestsWritten;
    /** Tables by id: changed by the sync thread, read by scans. */
    private final ConcurrentHashMap<Long, ColumnTable> tables = new ConcurrentHashMap<>();

    /** Sync thread: the next segment id; the commit being applied (-1: none); files to delete after the next manifest. */
    private int nextSegmentId = 1;
    private long currentTs = -1;
    /** Sync thread: between {@link #beginBatch} and {@link #endBatch}, when {@link #endCommit} leaves publishing to the batch's end. */
    private boolean batching;
    /**
     * Sync thread: the last commit ended but not published yet (-1: none) and its WAL end: the
     * watermark {@link #publishEnded} advances to. Its rows (and those of the commits of the batch
     * before it) sit in the open segments, whose write locks the sync thread holds until then.
     */
    private long endedTs = -1;
    private long endedLsn;
    /** Sync thread: an append since the last publish filled an open segment to the seal threshold. */
    private boolean sealDue;
    /** Sync thread: a key copied out of a segment's key vector while building a key map ({@link #putLiveKeys}). */
    private byte[] keyScratch = new byte[64];
    /** Sync thread: the table written last (null after a drop), so that a run of writes to one table skips the map lookup. */
    private ColumnTable lastWritten;
    private final List<Obsolete> obsolete = new ArrayList<>();

    /**
     * A file no manifest will list again, which scans that began at or before segment-list
     * generation {@code generation} may still read: deleted once every such scan has ended and
     * manifest number {@code manifest} (the first built without it) is on disk.
     */
    private record Obsolete(Path path, long generation, long manifest) {
    }

    /**
     * The segment-list generation: incremented under a table's write lock whenever a segment's
     * file is taken out of a list (drop, compaction). Running scans, with the generation they
     * began at (read under the table's read lock), keep those files alive.
     */
    private final AtomicLong generation = new AtomicLong();
    private final ConcurrentHashMap<ScanMorsels, Long> activeScans = new ConcurrentHashMap<>();
    private final List<ColumnTable> touched = new ArrayList<>();

    /**
     * The watermark fields below are written by the sync thread without a lock (volatile; lsn
     * before ts, so a reader who sees a commit's ts sees its lsn). Waiters ({@link #awaitWatermark})
     * wait on watermarkAdvanced under watermarkLock and count themselves in watermarkWaiters (changed
     * under the lock, volatile for the sync thread): the sync thread writes the watermark, then reads
     * the count, and takes the lock to signal only if someone waits, so a scan or a sampler holding
     * the lock never stalls the apply of commits nobody waits for. (A waiter increments the count and
     * then reads the watermark: one of the two sees the other's write.)
     */
    private final ReentrantLock watermarkLock = new ReentrantLock();
    private final Condition watermarkAdvanced = watermarkLock.newCondition();
    private volatile int watermarkWaiters;
    private volatile long appliedTs;
    private volatile long appliedLsn;
    private volatile long replayFromTs;
    private volatile long replayFromLsn;
    /** Written with the watermark: {@link System#nanoTime()} when it last advanced. */
    private volatile long advancedNanos;
    /** Sync thread (volatile for scans): snapshots before this are not in the store (it was loaded from a snapshot then). */
    private volatile long oldestTs;
    /** The applied watermark the manifest read on open recorded (0 for a new store): replayed commits up to it may name tables dropped since. */
    private long manifestTs;
    private volatile DuetException failure;
    /**
     * Called with the applied watermark's log position before anything is persisted (manifest,
     * delete vectors): the owner forces its log that far, so that the store may apply commits
     * before they are durable yet never persists one a crash could take back. Set once by the
     * owner before it applies commits; read by the sync thread, called by the manifest thread.
     */
    private volatile java.util.function.LongConsumer beforePersist = lsn -> { };
    private volatile boolean closed;

    /** Sync thread (volatile for metric readers): rows inserted since open; rows of the commit being applied. */
    private volatile long rowsApplied;
    private long commitRows;
    /** Sync thread (volatile for metric readers): time it spent waiting for seals (backpressure, persist). */
    private volatile long sealWaitNanos;
    /** Sync thread: the vector bytes of the segments frozen and not installed yet (see {@link #MAX_FROZEN_BYTES}). */
    private long frozenBytes;
    private final AtomicLong segmentsSealed = new AtomicLong();
    private final AtomicLong segmentsCompacted = new AtomicLong();
    /** Key maps built ({@link #buildKeys}) since open, and the sync thread's time spent building them. */
    private final AtomicLong keyMapsBuilt = new AtomicLong();
    private final AtomicLong keyMapBuildNanos = new AtomicLong();
    private final AtomicLong rowGroupsSkipped = new AtomicLong();
    private final AtomicLong rowGroupsRead = new AtomicLong();

    static {
        // Arrow's type classes initialise each other in a cycle (Types.MinorType and the ArrowType
        // visitors): two threads doing it at once — the sync thread building its first segment and
        // a query thread — can deadlock in class initialisation. Do it once, here, first.
        Types.MinorType.values();
        Types.getMinorTypeForArrowType(new ArrowType.Int(64, true));
    }

    private ColumnStore(Path dir, boolean temporary, ColumnStoreOptions options) {
        this.dir = dir;
        this.temporary = temporary;
        this.options = options;
        this.allocator = new RootAllocator();
        this.sealer = new Sealer("duet-seal-" + dir.getFileName());
        this.compactor = new Sealer("duet-compact-" + dir.getFileName());
        this.manifests = new Sealer("duet-manifest-" + dir.getFileName());
        this.cache = new SegmentCache(allocator, options.scanCacheBytes());
    }

    /** Opens (creating if needed) the column store in {@code dir}. */
    public static ColumnStore open(Path dir, ColumnStoreOptions options) {
        requireNonNull(dir, "dir is null");
        requireNonNull(options, "options is null");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot create column store directory " + dir + ": " + e, e);
        }
        ColumnStore s = new ColumnStore(dir, false, options);
        try {
            s.load();
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * The WAL position from which the column store in {@code dir} must replay (0 if it has no
     * manifest yet), read without opening it: for registering WAL retention before the row store's
     * first checkpoint can run.
     */
    public static long persistedReplayLsn(Path dir) {
        byte[] body = DurableFiles.read(dir.resolve(MANIFEST));
        if (body == null) {
            return 0;
        }
        ByteSource in = new ByteSource(body, "column store manifest");
        if (in.readInt() != MANIFEST_MAGIC) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "%s is not a column store manifest", dir.resolve(MANIFEST));
        }
        in.readLong();
        in.readLong();
        in.readLong();
        return in.readLong();
    }

    /**
     * A column store in a new temporary directory, deleted on close: for in-memory databases, whose
     * commits are never replayed, so the store only needs files while it runs (sealed segments keep
     * the heap small).
     */
    public static ColumnStore temporary(ColumnStoreOptions options) {
        requireNonNull(options, "options is null");
        Path dir;
        try {
            dir = Files.createTempDirectory("duet-columns-");
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot create a temporary column store directory: " + e, e);
        }
        return new ColumnStore(dir, true, options);
    }

    public ColumnStoreOptions options() {
        return options;
    }

    public Path directory() {
        return dir;
    }

    // ------------------------------------------------------------------ applying commits (sync thread)

    /**
     * Starts applying the commit at {@code ts}; false if it is at or below the watermark (already
     * applied: skip it whole and do not call {@link #endCommit}).
     */
    public boolean beginCommit(long ts) {
        checkUsable();
        if (currentTs >= 0) {
            throw new IllegalStateException("commit " + currentTs + " is still being applied");
        }
        if (ts <= Math.max(appliedTs, endedTs)) {
            return false;
        }
        currentTs = ts;
        return true;
    }

    /**
     * Starts a batch of commits: until {@link #endBatch}, {@link #endCommit} does not publish each
     * commit's rows and advance the watermark, but leaves that to the batch's end (or to the first
     * commit that fills an open segment, or to anything that persists), so that the row count of
     * the open segments' vectors is set once per batch, not once per commit, and the tables'
     * write locks are taken once. The watermark never covers a commit whose rows scans cannot
     * see: it moves only as those rows are published. Scans of a table wait for its write lock
     * while a batch is being applied to it. Sync thread, between commits.
     */
    public void beginBatch() {
        if (currentTs >= 0) {
            throw new IllegalStateException("beginBatch inside commit " + currentTs);
        }
        batching = true;
    }

    /** Ends the batch begun last: publishes its commits and advances the watermark over them. Sync thread, between commits. */
    public void endBatch() {
        if (currentTs >= 0) {
            throw new IllegalStateException("endBatch inside commit " + currentTs);
        }
        batching = false;
        publishEnded();
    }

    /** The commit created {@code def}. */
    public void createTable(TableDef def) {
        requireNonNull(def, "def is null");
        inCommit();
        if (tables.containsKey(def.id())) {
            return; // replayed: the manifest already lists it
        }
        // nothing of it is persisted yet: the creating commit's own rows are applied
        ColumnTable t = new ColumnTable(def, currentTs - 1);
        newOpenSegment(t);
        tables.put(def.id(), t);
    }

    /** The commit dropped table {@code tableId}: its storage goes, its files after the next manifest. */
    public void dropTable(long tableId) {
        inCommit();
        removeTable(tableId);
    }

    private void removeTable(long tableId) {
        ColumnTable t = tables.remove(tableId);
        if (t == null) {
            return;
        }
        if (lastWritten == t) {
            lastWritten = null;
        }
        touched.remove(t);
        if (t.writing) {
            t.writing = false;
            t.lock.writeLock().unlock();
        }
        t.lock.writeLock().lock();
        try {
            long g = generation.getAndIncrement();
            for (Segment s : t.segments) {
                if (s.file != null) {
                    obsolete.add(new Obsolete(s.file.path(), g, manifestsSubmitted + 1));
                    obsolete.add(new Obsolete(dir.resolve(Segment.deleteFileName(tableId, s.id)), g, manifestsSubmitted + 1));
                }
                if (s.rows != null) {
                    s.rows.release();
                    s.rows = null;
                }
            }
            t.segments = new Segment[0];
        } finally {
            t.lock.writeLock().unlock();
        }
    }

    /**
     * The commit inserted or updated the row with encoded primary key {@code key} (for a table
     * without one, its row id) to {@code row} ({@link dev.duet.core.types.RowCodec} bytes); the
     * key's live row, if any, is replaced. See {@link #put(long, byte[], byte[], boolean)}.
     */
    public void put(long tableId, byte[] key, byte[] row) {
        put(tableId, key, 0, key.length, row, 0, row.length, false);
    }

    /**
     * As {@link #put(long, byte[], byte[])}; {@code newKey} says that no live row has the key
     * (the row store logged the write as an INSERT: it found no live row when the commit was
     * made, and this store has applied every commit before it), so that its table needs no key
     * map to apply it. False (an UPDATE, or not known) looks the key's live row up, first building
     * the table's key map if it has none yet ({@link #buildKeys}).
     */
    public void put(long tableId, byte[] key, byte[] row, boolean newKey) {
        put(tableId, key, 0, key.length, row, 0, row.length, newKey);
    }

    /**
     * As {@link #put(long, byte[], byte[], boolean)} for a key and a row held in larger buffers (a
     * WAL record): nothing is copied out of them first, so a commit of single-row writes costs the
     * sync thread no array per row.
     */
    public void put(long tableId, byte[] keyBuf, int keyOff, int keyLen, byte[] rowBuf, int rowOff, int rowLen, boolean newKey) {
        ColumnTable t = tableForWrite(tableId);
        if (t == null) {
            return;
        }
        if (!newKey && t.keys == null) {
            // before the append: the map must not already hold the new row's position
            buildKeys(t);
        }
        pendingFrom(t);
        Segment open = t.open;
        if (!t.writing) {
            // held until endCommit: one lock round trip per table and commit, not per row
            t.lock.writeLock().lock();
            t.writing = true;
        }
        int at = open.rows.append(currentTs, keyBuf, keyOff, keyLen, rowBuf, rowOff, rowLen);
        sealDue |= at + 1 >= options.sealRows();
        placeKey(t, keyBuf, keyOff, keyLen, ColumnTable.position(open.id, at));
        touch(t);
        commitRows++;
    }

    /**
     * The commit inserts a run of new rows into table {@code tableId} (a bulk load's chunk): returns
     * the sink to hand them to, one {@link RowRun#insert} per row, or null if the table's persisted
     * state already covers the commit (a replay). The table is looked up and its write lock taken
     * once for the run, not per row, and the rows are decoded from the caller's buffer straight
     * into the open segment's vectors. Valid until {@link #endCommit}.
     */
    public RowRun insertRun(long tableId) {
        ColumnTable t = tableForWrite(tableId);
        if (t == null) {
            return null;
        }
        pendingFrom(t);
        if (!t.writing) {
            t.lock.writeLock().lock();
            t.writing = true;
        }
        touch(t);
        RowRun run = t.run;
        if (run == null || run.open != t.open) {
            run = new RowRun(t); // one per open segment, reused by every run appended to it
            t.run = run;
        }
        return run;
    }

    /** The first rows of the current commit in {@code t}'s open segment: replay must start before this commit. */
    private void pendingFrom(ColumnTable t) {
        if (t.pendingFromTs < 0) {
            // the watermark before this commit: the last commit ended, published or not
            if (endedTs >= 0) {
                t.pendingFromTs = endedTs;
                t.pendingFromLsn = endedLsn;
            } else {
                t.pendingFromTs = appliedTs;
                t.pendingFromLsn = appliedLsn;
            }
        }
    }

    /** Where the rows of one {@link #insertRun} go. Sync thread, inside the commit that made it. */
    public final class RowRun {
        private final ColumnTable table;
        private final Segment open;

        private RowRun(ColumnTable table) {
            this.table = table;
            this.open = table.open;
        }

        /**
         * Appends the row {@code buf[rowOff, rowOff + rowLen)} ({@link dev.duet.core.types.RowCodec}
         * bytes) with encoded key {@code buf[keyOff, keyOff + keyLen)}.
         */
        public void insert(byte[] buf, int keyOff, int keyLen, int rowOff, int rowLen) {
            int at = open.rows.append(currentTs, buf, keyOff, keyLen, buf, rowOff, rowLen);
            sealDue |= at + 1 >= options.sealRows();
            placeKey(table, buf, keyOff, keyLen, ColumnTable.position(open.id, at));
            commitRows++;
        }
    }

    /**
     * Tells the key map of {@code t}, if it has one, that the key in {@code buf[off, off + len)}
     * now lives at {@code position}, and marks the row it replaces (an UPDATE's old side) deleted:
     * one hash lookup per row. A table without a map needs nothing: a map built later reads the
     * key from the segment. Sync thread.
     */
    private void placeKey(ColumnTable t, byte[] buf, int off, int len, long position) {
        KeyMap keys = t.keys;
        if (keys != null) {
            long old = keys.put(buf, off, len, position);
            if (old != KeyMap.NONE) {
                markDeleted(t, old);
            }
        }
    }

    /** The commit deleted the row with encoded key {@code key}. */
    public void delete(long tableId, byte[] key) {
        ColumnTable t = tableForWrite(tableId);
        if (t == null) {
            return;
        }
        KeyMap keys = t.keys == null ? buildKeys(t) : t.keys;
        long old = keys.remove(key);
        if (old != KeyMap.NONE) {
            markDeleted(t, old);
            touch(t);
        }
    }

    /**
     * Ends the commit begun last: publishes its rows to scans and advances the watermark to its
     * timestamp and {@code endLsn} (its WAL end position; 0 without a WAL); inside a batch
     * ({@link #beginBatch}) that is left to the batch's end unless the commit filled an open
     * segment. Seals the open segments that reached the threshold, which writes the manifest.
     */
    public void endCommit(long endLsn) {
        inCommit();
        endedTs = currentTs;
        endedLsn = endLsn;
        currentTs = -1;
        if (batching && !sealDue) {
            return; // published at the batch's end, or by the first commit that fills a segment
        }
        publishEnded();
    }

    /**
     * Publishes the rows of the commits ended so far, advances the watermark to the last of them,
     * freezes the open segments that reached the threshold and installs finished seals. Sync
     * thread, between commits; a no-op if every ended commit is published.
     */
    private void publishEnded() {
        if (endedTs < 0) {
            return;
        }
        long ts = endedTs;
        long endLsn = endedLsn;
        endedTs = -1;
        sealDue = false;
        boolean seal = false;
        // indexed loops: this runs once per batch, and must not allocate (iterators, lists) then
        for (int i = 0; i < touched.size(); i++) {
            ColumnTable t = touched.get(i);
            if (!t.writing) {
                t.lock.writeLock().lock();
            }
            try {
                t.open.rows.publish();
            } finally {
                t.writing = false;
                t.lock.writeLock().unlock();
            }
            t.touched = false;
            seal |= t.open.rows.count() >= options.sealRows();
        }
        List<ColumnTable> full = null;
        if (seal) {
            full = new ArrayList<>();
            for (int i = 0; i < touched.size(); i++) {
                if (touched.get(i).open.rows.count() >= options.sealRows()) {
                    full.add(touched.get(i));
                }
            }
        }
        touched.clear();
        rowsApplied += commitRows;
        commitRows = 0;
        advance(ts, endLsn);
        boolean installed = false;
        if (seal) {
            for (ColumnTable t : full) {
                installed |= freeze(t);
            }
        }
        installed |= installDone();
        finishManifests();
        if (installed) {
            writeManifest();
        }
    }

    /**
     * Installs the segment files the seal thread has finished (each segment switches from its
     * frozen rows to its file) and, if there were any, hands a new manifest to the manifest thread;
     * returns whether it did. Also takes back the manifests the manifest thread has written (from
     * then on {@link #replayFromLsn()} is theirs).
     * The owner's sync thread calls this when woken by the {@linkplain #onSealed seal listener};
     * {@link #endCommit} does it too. A seal that failed throws its error here (the sync stops on
     * it, like on any failure to persist). Between commits (sync thread).
     */
    public boolean installSeals() {
        checkUsable();
        if (currentTs >= 0) {
            throw new IllegalStateException("installSeals inside commit " + currentTs);
        }
        publishEnded(); // a manifest describes published state only
        finishManifests();
        if (!installDone()) {
            return false;
        }
        writeManifest();
        return true;
    }

    /**
     * Sets what the seal, compaction and manifest threads call after each file they finished (or
     * failed to write): the owner wakes its sync thread, which calls {@link #installSeals}. Runs on
     * those threads, so it must only signal.
     */
    public void onSealed(Runnable listener) {
        requireNonNull(listener, "listener is null");
        sealer.listener(listener);
        compactor.listener(listener);
        manifests.listener(listener);
    }

    /**
     * Sets what is called, on the store's manifest thread, with the log position of the applied
     * watermark before each manifest (and the delete vectors it lists) is written: the owner makes
     * its log durable up to there (so it must be callable from any thread). Without it the store
     * assumes every commit it is given is durable.
     */
    public void beforePersist(java.util.function.LongConsumer forceLog) {
        this.beforePersist = requireNonNull(forceLog, "forceLog is null");
    }

    /** Test hook: runs on the seal thread before each file is written (to hold a seal, or fail it). */
    void beforeSealWrite(Sealer.BeforeWrite hook) {
        sealer.beforeWrite(hook);
    }

    /** Test hook: runs on the compaction thread before each rewrite is written (to hold one, or fail it). */
    void beforeCompactionWrite(Sealer.BeforeWrite hook) {
        compactor.beforeWrite(hook);
    }

    /** Waits for every compaction in flight and installs it (writes the manifest if any): for tests that apply commits by hand. */
    void awaitCompactions() {
        boolean installed = false;
        for (Sealer.Job job = compactor.awaitOldest(); job != null; job = compactor.awaitOldest()) {
            installed |= installCompaction((Compaction) job);
        }
        if (installed) {
            writeManifestAndWait();
        }
    }

    /** Waits for every seal in flight and installs it (writes the manifest if any): for tests that apply commits by hand. */
    void awaitSeals() {
        if (awaitSeals(0)) {
            writeManifestAndWait();
        }
    }

    /**
     * Whether a table's key map is part way through growing ({@link #growKeyMaps}). Sync thread
     * (the key maps are the sync thread's alone), between commits.
     */
    public boolean keyMapsGrowing() {
        for (ColumnTable t : tables.values()) {
            if (t.keys != null && t.keys.growing()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Moves up to {@code slots} entries of each growing key map into its new table: the sync
     * calls this while no commit waits, so that a table whose writes stopped halfway through a
     * growth does not keep its key map's old table. Sync thread, between commits.
     */
    public void growKeyMaps(int slots) {
        if (currentTs >= 0) {
            throw new IllegalStateException("growKeyMaps inside commit " + currentTs);
        }
        for (ColumnTable t : tables.values()) {
            if (t.keys != null) {
                t.keys.migrate(slots);
            }
        }
    }

    /** Segments frozen whose files are not installed yet. */
    public int sealsInFlight() {
        return sealer.inFlight();
    }

    /**
     * Seals every non-empty open segment and writes the manifest, and waits until it is on disk,
     * so that the WAL is needed from the watermark on only. Between commits (sync thread).
     */
    public void persist() {
        checkUsable();
        if (currentTs >= 0) {
            throw new IllegalStateException("persist inside commit " + currentTs);
        }
        publishEnded();
        for (ColumnTable t : tables.values()) {
            if (t.open.rows.count() > 0) {
                freeze(t);
            }
        }
        awaitSeals(0);
        installDone(); // finished compactions too (one still running is not waited for)
        writeManifestAndWait();
    }

    /**
     * Gives up the commit being applied (the applier failed halfway; call {@link #fail} too): releases
     * the table locks it holds. Sync thread; a no-op between commits.
     */
    public void abortCommit() {
        for (ColumnTable t : touched) {
            if (t.writing) {
                t.writing = false;
                t.lock.writeLock().unlock();
            }
        }
        touched.clear();
        currentTs = -1;
        endedTs = -1;
        batching = false;
        sealDue = false;
    }

    /**
     * Forgets everything (every table; their files go after the next manifest) and sets the
     * watermark back to zero, so that the store can be loaded again from a snapshot: the commit
     * {@code snapshotTs} applied next ({@link #beginCommit}) holds every row visible at it, and
     * scans of older snapshots fail with 55000 from then on. Between commits (sync thread).
     */
    public void reset(long snapshotTs) {
        if (currentTs >= 0) {
            throw new IllegalStateException("reset inside commit " + currentTs);
        }
        publishEnded();
        for (long id : new ArrayList<>(tables.keySet())) {
            removeTable(id);
        }
        manifestTs = 0;
        oldestTs = snapshotTs;
        advance(0, 0);
        replayFromTs = 0;
        replayFromLsn = 0;
    }

    /** The oldest snapshot the store can answer (0 unless it was loaded from a snapshot, see {@link #reset}). */
    public long oldestSnapshot() {
        return oldestTs;
    }

    /** Stops answering scans: the applier failed and the store no longer follows the log. */
    public void fail(DuetException cause) {
        watermarkLock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            watermarkAdvanced.signalAll();
        } finally {
            watermarkLock.unlock();
        }
    }

    private void inCommit() {
        if (currentTs < 0) {
            throw new IllegalStateException("no commit begun");
        }
    }

    /** The table to apply an operation of the current commit to, or null if the operation is already persisted. */
    private ColumnTable tableForWrite(long tableId) {
        inCommit();
        ColumnTable t = lastWritten;
        if (t == null || t.def.id() != tableId) {
            t = tables.get(tableId);
            if (t != null) {
                lastWritten = t;
            }
        }
        if (t == null) {
            if (currentTs > manifestTs) {
                // the row store logged a write to a table this store never saw created
                throw DuetException.of(SqlState.DATA_CORRUPTED,
                        "column store: commit %d writes to table id %d, which it does not know", currentTs, tableId);
            }
            return null;
        }
        return currentTs <= t.persistedTs ? null : t;
    }

    private void touch(ColumnTable t) {
        if (!t.touched) {
            t.touched = true;
            touched.add(t);
        }
    }

    private void markDeleted(ColumnTable t, long position) {
        Segment s = t.byId.get(ColumnTable.segmentOf(position));
        if (s == null) {
            throw new IllegalStateException("key map of table " + t.def.name() + " names unknown segment "
                    + ColumnTable.segmentOf(position));
        }
        s.deletes.mark(ColumnTable.rowOf(position), currentTs);
    }

    private void advance(long ts, long lsn) {
        appliedLsn = lsn;
        appliedTs = ts;
        advancedNanos = System.nanoTime();
        if (watermarkWaiters > 0) {
            watermarkLock.lock();
            try {
                watermarkAdvanced.signalAll();
            } finally {
                watermarkLock.unlock();
            }
        }
    }

    private void newOpenSegment(ColumnTable t) {
        Segment s = new Segment(nextSegmentId++, new DeleteVector());
        s.rows = new OpenRows(t.def, allocator, Math.min(options.sealRows(), 1024));
        t.lock.writeLock().lock();
        try {
            t.addSegment(s);
            t.open = s;
        } finally {
            t.lock.writeLock().unlock();
        }
        t.pendingFromTs = -1;
        t.pendingFromLsn = -1;
    }

    /**
     * Freezes the open segment of {@code t} (a new open segment takes the appends) and hands it to
     * the seal thread; first waits for the oldest seals while {@value #MAX_SEALS_IN_FLIGHT} are in
     * flight, or more than {@value #MIN_SEALS_IN_FLIGHT} that would hold more than
     * {@link #MAX_FROZEN_BYTES} with this one. Returns whether that installed a file (the caller
     * then writes the manifest).
     */
    private boolean freeze(ColumnTable t) {
        Segment s = t.open;
        OpenRows rows = s.rows;
        long bytes = rows.bytes();
        boolean installed = false;
        while (sealer.inFlight() >= MAX_SEALS_IN_FLIGHT
                || sealer.inFlight() >= MIN_SEALS_IN_FLIGHT && frozenBytes + bytes > MAX_FROZEN_BYTES) {
            installed |= awaitSeals(sealer.inFlight() - 1);
        }
        frozenBytes += bytes;
        // until its file is listed by a manifest, a restart must replay its rows from here
        s.frozenFromTs = t.pendingFromTs;
        s.frozenFromLsn = t.pendingFromLsn;
        newOpenSegment(t); // the rows are frozen from here on: appends go to the new segment
        rows.retain(); // the seal thread's reference: the table's may go first (a drop)
        sealer.submit(new Sealer.Seal(t, s, rows, bytes, dir.resolve(Segment.fileName(t.def.id(), s.id)), options.rowGroupRows()));
        return installed;
    }

    /** Installs seals, waiting for the oldest ones, until at most {@code inFlight} remain; returns whether any was installed. */
    private boolean awaitSeals(int inFlight) {
        boolean installed = false;
        while (sealer.inFlight() > inFlight) {
            long start = System.nanoTime();
            Sealer.Seal oldest = (Sealer.Seal) sealer.awaitOldest();
            sealWaitNanos += System.nanoTime() - start;
            install(oldest);
            installed = true;
        }
        return installed;
    }

    /** Installs the seals and compactions that are done, oldest first; returns whether there were any. */
    private boolean installDone() {
        boolean installed = false;
        for (Sealer.Job job = sealer.pollDone(); job != null; job = sealer.pollDone()) {
            install((Sealer.Seal) job);
            installed = true;
        }
        for (Sealer.Job job = compactor.pollDone(); job != null; job = compactor.pollDone()) {
            installed |= installCompaction((Compaction) job);
        }
        return installed;
    }

    /**
     * Switches a frozen segment to the file the seal thread wrote (the manifest written next lists
     * it) and releases the table's reference to its rows; deletes the file of a table dropped or
     * reset meanwhile. Throws the error of a failed seal. Sync thread.
     */
    private void install(Sealer.Seal job) {
        frozenBytes -= job.bytes;
        if (job.error() != null) {
            Throwable e = job.error();
            SqlState state = e instanceof DuetException d ? d.state() : SqlState.INTERNAL_ERROR;
            throw new DuetException(state, "cannot seal segment file " + job.file + ": " + e.getMessage(), e);
        }
        ColumnTable t = job.table;
        Segment s = job.segment;
        if (tables.get(t.def.id()) != t) {
            // dropped while sealing: no scan ever saw the file, no manifest lists it
            try {
                Files.deleteIfExists(job.file);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete segment file " + job.file + " of a dropped table: " + e);
            }
            return;
        }
        OpenRows rows = s.rows;
        t.lock.writeLock().lock();
        try {
            s.file = job.sealed();
            s.rows = null;
        } finally {
            t.lock.writeLock().unlock();
        }
        rows.release();
        s.frozenFromTs = -1;
        s.frozenFromLsn = -1;
        segmentsSealed.incrementAndGet();
    }

    // ------------------------------------------------------------------ manifest

    /**
     * Builds the manifest of the current state (between commits) and hands it to the manifest
     * thread ({@link ManifestWrite}), which forces the log, writes the dirty delete vectors and
     * replaces the manifest; the sync thread goes on applying commits. What depends on the
     * manifest being on disk (the replay position, deleting obsolete files) happens when the
     * written job is handed back ({@link #finishManifests}). At most two manifests are in flight.
     */
    private void writeManifest() {
        while (manifests.inFlight() >= 2) {
            finishManifest((ManifestWrite) manifests.awaitOldest());
        }
        long ts = appliedTs;
        long lsn = appliedLsn;
        long fromTs = ts;
        long fromLsn = lsn;
        ByteSink out = new ByteSink(4096);
        out.writeInt(MANIFEST_MAGIC);
        out.writeLong(ts);
        out.writeLong(lsn);
        int replayAt = out.size();
        out.writeLong(0);
        out.writeLong(0);
        out.writeLong(oldestTs);
        out.writeInt(nextSegmentId);
        List<ColumnTable> list = new ArrayList<>(tables.values());
        list.sort(Comparator.comparingLong(t -> t.def.id()));
        out.writeInt(list.size());
        List<Path> deletePaths = new ArrayList<>();
        List<ByteSink> deleteBodies = new ArrayList<>();
        for (ColumnTable t : list) {
            // the table's replay start: its oldest frozen segment's (segments are oldest first, and
            // a frozen one's commits all precede the open one's), else its open segment's
            long pendingTs = t.pendingFromTs;
            long pendingLsn = t.pendingFromLsn;
            for (Segment s : t.segments) {
                if (s.frozenFromTs >= 0) {
                    pendingTs = s.frozenFromTs;
                    pendingLsn = s.frozenFromLsn;
                    break;
                }
            }
            // With nothing pending the table is persisted up to the watermark, but never less than
            // it already was: after a restart the replay starts at the oldest table's watermark, and
            // a manifest written before it passes this table's would claim that its segments hold
            // nothing after the watermark. They do (sealed rows, deletes), and the next open would
            // drop those deletes, replay onto rows already sealed and leave old versions visible.
            long persisted = pendingTs < 0 ? Math.max(ts, t.persistedTs) : pendingTs;
            if (pendingTs >= 0 && pendingTs < fromTs) {
                fromTs = pendingTs;
                fromLsn = pendingLsn;
            }
            CatalogCodec.writeTable(out, t.def);
            out.writeLong(persisted);
            List<Segment> sealed = new ArrayList<>();
            for (Segment s : t.segments) {
                if (s.file != null) {
                    sealed.add(s);
                    if (s.deletes.isDirty()) {
                        deletePaths.add(dir.resolve(Segment.deleteFileName(t.def.id(), s.id)));
                        deleteBodies.add(s.deletes.encode());
                    }
                }
            }
            out.writeInt(sealed.size());
            for (Segment s : sealed) {
                Segment.SealedFile f = s.file;
                out.writeInt(s.id);
                out.writeString(f.path().getFileName().toString());
                out.writeInt(f.rowCount());
                out.writeLong(f.minInsertTs());
                out.writeLong(f.maxInsertTs());
                out.writeLong(f.bytes());
            }
            t.persistedTs = persisted;
        }
        out.setLong(replayAt, fromTs);
        out.setLong(replayAt + 8, fromLsn);
        manifests.submit(new ManifestWrite(beforePersist, lsn, deletePaths, deleteBodies, dir.resolve(MANIFEST), out, fromTs, fromLsn));
        manifestsSubmitted++;
    }

    /** Writes the manifest and waits until it and every one before it are on disk. Between commits (sync thread). */
    private void writeManifestAndWait() {
        writeManifest();
        awaitManifests();
    }

    /** Waits until every manifest handed to the manifest thread is on disk and takes them back: for tests. */
    void awaitManifests() {
        for (Sealer.Job job = manifests.awaitOldest(); job != null; job = manifests.awaitOldest()) {
            finishManifest((ManifestWrite) job);
        }
    }

    /** Takes back the manifests the manifest thread has written. Sync thread, between commits. */
    private void finishManifests() {
        if (manifestsWritten == manifestsSubmitted) {
            return; // none in flight: no need to ask the manifest thread
        }
        for (Sealer.Job job = manifests.pollDone(); job != null; job = manifests.pollDone()) {
            finishManifest((ManifestWrite) job);
        }
    }

    /** A manifest is on disk: a restart replays from its position, and the files it no longer lists may go. Sync thread. */
    private void finishManifest(ManifestWrite job) {
        if (job.error() != null) {
            Throwable e = job.error();
            SqlState state = e instanceof DuetException d ? d.state() : SqlState.INTERNAL_ERROR;
            throw new DuetException(state, "cannot write the column store manifest: " + e.getMessage(), e);
        }
        manifestsWritten++;
        replayFromTs = job.fromTs;
        replayFromLsn = job.fromLsn;
        deleteObsoleteFiles();
    }

    /**
     * One manifest on its way to the disk, built by the sync thread: the log is forced up to the
     * watermark it records (sealed files, delete vectors and the watermark hold every applied
     * commit, and none may reach the disk's manifest before the log that could otherwise lose
     * it), then the delete vectors that changed are replaced, then the manifest. Jobs run in
     * submission order, so manifests reach the disk in the order they were built. The job only
     * holds copies: it reads nothing the sync thread changes.
     */
    private static final class ManifestWrite extends Sealer.Job {
        private final java.util.function.LongConsumer forceLog;
        private final long lsn;
        private final List<Path> deletePaths;
        private final List<ByteSink> deleteBodies;
        private final Path file;
        private final ByteSink body;
        final long fromTs;
        final long fromLsn;

        ManifestWrite(java.util.function.LongConsumer forceLog, long lsn, List<Path> deletePaths, List<ByteSink> deleteBodies,
                Path file, ByteSink body, long fromTs, long fromLsn) {
            this.forceLog = forceLog;
            this.lsn = lsn;
            this.deletePaths = deletePaths;
            this.deleteBodies = deleteBodies;
            this.file = file;
            this.body = body;
            this.fromTs = fromTs;
            this.fromLsn = fromLsn;
        }

        @Override
        void write() {
            forceLog.accept(lsn);
            for (int i = 0; i < deletePaths.size(); i++) {
                DurableFiles.replace(deletePaths.get(i), deleteBodies.get(i));
            }
            DurableFiles.replace(file, body);
        }

        @Override
        void abandon() {
        }
    }

    /** Deletes the files no manifest on disk lists and no running scan may read. Sync thread. */
    private void deleteObsoleteFiles() {
        long oldestScan = Long.MAX_VALUE;
        for (long g : activeScans.values()) {
            oldestScan = Math.min(oldestScan, g);
        }
        for (var it = obsolete.iterator(); it.hasNext(); ) {
            Obsolete o = it.next();
            if (o.generation() >= oldestScan || o.manifest() > manifestsWritten) {
                continue; // a scan that began before the file was dropped may still open it, or the manifest on disk lists it
            }
            try {
                Files.deleteIfExists(o.path());
            } catch (IOException e) {
                // harmless: the next open deletes files the manifest does not list
                LOG.log(System.Logger.Level.WARNING, "cannot delete obsolete column store file " + o.path() + ": " + e);
            }
            it.remove();
        }
    }

    /**
     * Opens a sealed segment's file for a scan, with its footer parsed once per store rather than
     * once per scan: segment files never change once sealed, and a compacted segment gets a new
     * file (and a new {@link Segment.SealedFile}).
     */
    SegmentFile.Reader openSealed(Segment.SealedFile file) {
        ParquetBatchReader.Footer footer;
        synchronized (footers) {
            footer = footers.get(file);
        }
        SegmentFile.Reader reader = SegmentFile.open(file.path(), footer);
        if (footer == null) {
            synchronized (footers) {
                footers.put(file, reader.footer());
            }
        }
        return reader;
    }

    SegmentCache segmentCache() {
        return cache;
    }

    /** Called by a scan under its table's read lock, as it fixes its segment list. */
    void scanStarted(ScanMorsels scan) {
        activeScans.put(scan, generation.get());
    }

    void scanEnded(ScanMorsels scan) {
        activeScans.remove(scan);
    }

    // ------------------------------------------------------------------ compaction

    /**
     * Rewrites every sealed segment in which at least {@link ColumnStoreOptions#compactFraction()}
     * of the rows were deleted at or before {@code horizon} (the oldest snapshot any reader may
     * still use: those rows are invisible to all of them) into a new segment without those rows,
     * with the key map and delete vector moved to it, then writes the manifest; the old files go
     * once no scan that may read them is running. Waits for the rewrites (see
     * {@link #startCompaction} for the background variant). Returns the number of segments
     * rewritten. Between commits (sync thread).
     */
    public int compact(long horizon) {
        startCompaction(horizon);
        long before = segmentsCompacted.get();
        awaitCompactions();
        return (int) (segmentsCompacted.get() - before);
    }

    /**
     * Whether {@link #startCompaction} could find work (no compaction in flight, and some sealed
     * segment has enough deleted rows), without asking for the horizon, which the owner may have
     * to compute under a lock its committers take. Between commits (sync thread).
     */
    public boolean mayCompact() {
        if (compactor.inFlight() > 0) {
            return false;
        }
        for (ColumnTable t : tables.values()) {
            for (Segment s : t.segments) {
                if (compactable(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A sealed segment, not being rewritten, with enough deleted rows (at any time) to be worth a look. */
    private boolean compactable(Segment s) {
        return s.file != null && !s.compacting && s.deletes.deletedCount() >= options.compactFraction() * s.file.rowCount();
    }

    /**
     * Hands the segments {@link #compact} would rewrite to the compaction thread and returns how
     * many; the sync thread goes on applying commits. When a rewrite is done the {@linkplain
     * #onSealed listener} wakes the sync thread, whose {@link #installSeals} installs it and writes
     * the manifest. Does nothing while an earlier round is still running. Between commits (sync
     * thread).
     */
    public int startCompaction(long horizon) {
        checkUsable();
        if (currentTs >= 0) {
            throw new IllegalStateException("compact inside commit " + currentTs);
        }
        if (compactor.inFlight() > 0) {
            return 0;
        }
        long limit = Math.min(horizon, appliedTs);
        int submitted = 0;
        for (ColumnTable t : tables.values()) {
            for (Segment s : t.segments) {
                if (!compactable(s)) {
                    continue;
                }
                int removable = 0;
                for (long d : s.deletes.view()) {
                    if (Compaction.dropped(d, limit)) {
                        removable++;
                    }
                }
                if (removable > 0 && removable >= options.compactFraction() * s.file.rowCount()) {
                    Segment fresh = new Segment(nextSegmentId++, new DeleteVector());
                    s.compacting = true;
                    compactor.submit(new Compaction(t, s, fresh, limit, dir.resolve(Segment.fileName(t.def.id(), fresh.id)),
                            options.rowGroupRows(), allocator));
                    submitted++;
                }
            }
        }
        return submitted;
    }

    /**
     * Replaces the compacted segment by its rewrite (sync thread, between commits): deletions the
     * sync applied to the old segment since the job copied its delete vector are carried over to
     * the rows' new positions, the key map follows the rows still live, and scans older than the
     * compaction's limit are refused from now on. Returns false if nothing changed: the table was
     * dropped or reset meanwhile, or the rewrite failed (logged; the old segment simply stays,
     * nothing is lost). The caller writes the manifest, which lists the new file.
     */
    private boolean installCompaction(Compaction job) {
        ColumnTable t = job.table;
        Segment s = job.segment;
        Segment fresh = job.fresh;
        s.compacting = false;
        if (job.error() != null) {
            LOG.log(System.Logger.Level.WARNING, "compaction of segment " + s.id + " of " + t.def.name() + " failed: "
                    + job.error().getMessage(), job.error());
            deleteUnlisted(job.file());
            return false;
        }
        if (tables.get(t.def.id()) != t || !Arrays.asList(t.segments).contains(s)) {
            deleteUnlisted(job.file()); // no scan ever saw it, no manifest lists it
            return false;
        }
        int n = job.oldRows();
        for (int row = 0; row < n; row++) {
            int to = job.newRow(row);
            if (to < 0) {
                continue;
            }
            long d = s.deletes.deletedAt(row);
            if (d != 0) {
                fresh.deletes.mark(to, d);
            }
        }
        t.lock.writeLock().lock();
        try {
            t.compactedTo = Math.max(t.compactedTo, job.limit);
            List<Segment> next = new ArrayList<>(Arrays.asList(t.segments));
            int at = next.indexOf(s);
            if (job.kept() > 0) {
                next.set(at, fresh);
            } else {
                next.remove(at);
            }
            t.segments = next.toArray(new Segment[0]);
            long g = generation.getAndIncrement();
            obsolete.add(new Obsolete(s.file.path(), g, manifestsSubmitted + 1));
            obsolete.add(new Obsolete(dir.resolve(Segment.deleteFileName(t.def.id(), s.id)), g, manifestsSubmitted + 1));
        } finally {
            t.lock.writeLock().unlock();
        }
        t.byId.remove(s.id);
        if (job.kept() > 0) {
            t.byId.put(fresh.id, fresh);
        }
        KeyMap keys = t.keys;
        // without a map there is nothing to move: one built later reads the new segment's keys
        for (int row = 0; keys != null && row < n; row++) {
            byte[] key = job.keyAt(row);
            // live at submission and still: the key map points here (a later update or delete moved it on)
            if (key != null && s.deletes.deletedAt(row) == 0) {
                keys.put(key, ColumnTable.position(fresh.id, job.newRow(row)));
            }
        }
        segmentsCompacted.incrementAndGet();
        return true;
    }

    private static void deleteUnlisted(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // harmless: the next open deletes files the manifest does not list
            LOG.log(System.Logger.Level.WARNING, "cannot delete unlisted segment file " + file + ": " + e);
        }
    }

    private void load() {
        byte[] body = DurableFiles.read(dir.resolve(MANIFEST));
        Set<String> listed = new HashSet<>();
        listed.add(MANIFEST);
        if (body != null) {
            ByteSource in = new ByteSource(body, "column store manifest");
            if (in.readInt() != MANIFEST_MAGIC) {
                throw DuetException.of(SqlState.DATA_CORRUPTED, "%s is not a column store manifest", dir.resolve(MANIFEST));
            }
            long ts = in.readLong();
            long lsn = in.readLong();
            long fromTs = in.readLong();
            long fromLsn = in.readLong();
            oldestTs = in.readLong();
            nextSegmentId = in.readInt();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                TableDef def = CatalogCodec.readTable(in);
                long persisted = in.readLong();
                ColumnTable t = new ColumnTable(def, persisted);
                int segs = in.readInt();
                for (int j = 0; j < segs; j++) {
                    int id = in.readInt();
                    String name = in.readString();
                    int rows = in.readInt();
                    long minTs = in.readLong();
                    long maxTs = in.readLong();
                    long bytes = in.readLong();
                    String del = Segment.deleteFileName(def.id(), id);
                    listed.add(name);
                    listed.add(del);
                    Segment s = new Segment(id, DeleteVector.read(dir.resolve(del), rows, persisted));
                    s.file = new Segment.SealedFile(dir.resolve(name), rows, minTs, maxTs, bytes);
                    t.addSegment(s); // its keys are read only if the table's key map is ever needed (buildKeys)
                }
                newOpenSegment(t);
                tables.put(def.id(), t);
            }
            manifestTs = ts;
            appliedTs = fromTs;
            appliedLsn = fromLsn;
            replayFromTs = fromTs;
            replayFromLsn = fromLsn;
            LOG.log(System.Logger.Level.DEBUG, "column store " + dir + ": watermark " + ts + "@" + lsn + ", replay from "
                    + fromTs + "@" + fromLsn);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!listed.contains(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot list column store directory " + dir + ": " + e, e);
        }
    }

    /**
     * Builds the key map of {@code t}, which has none, from every row the store holds for it and
     * has not marked deleted: the key columns of its sealed segments' files, and the key vectors
     * of its frozen segments (the seal thread only reads those) and of its open segment (rows
     * appended but not yet published included: they are the current batch's). Every earlier
     * commit has been applied, so exactly the live rows are left unmarked, one per key. Sync
     * thread, inside the commit whose UPDATE or DELETE needs the map (its table write lock is not
     * needed: only this thread changes segments, rows and delete vectors).
     */
    private KeyMap buildKeys(ColumnTable t) {
        long start = System.nanoTime();
        long rows = 0;
        for (Segment s : t.segments) {
            rows += s.rowCount();
        }
        KeyMap map = new KeyMap(rows);
        int keyColumn = t.def.columnCount() + 1;
        for (Segment s : t.segments) {
            if (s.rows != null) {
                putLiveKeys(map, s, 0, s.rows.keys(), s.rows.count());
            } else {
                SegmentFile.forEachKey(s.file.path(), keyColumn, allocator,
                        (first, keys, count) -> putLiveKeys(map, s, first, keys, count));
            }
        }
        t.keys = map;
        keyMapsBuilt.incrementAndGet();
        long nanos = System.nanoTime() - start;
        long rowCount = rows;
        keyMapBuildNanos.addAndGet(nanos);
        LOG.log(System.Logger.Level.DEBUG, () -> String.format(java.util.Locale.ROOT,
                "column store %s: built the key map of %s (%,d keys of %,d rows) in %.1f ms",
                dir, t.def.name(), map.size(), rowCount, nanos / 1e6));
        return map;
    }

    /** Puts the keys of rows {@code [first, first + count)} of segment {@code s} not marked deleted into {@code map}. */
    private void putLiveKeys(KeyMap map, Segment s, int first, VarBinaryVector keys, int count) {
        ArrowBuf data = keys.getDataBuffer();
        for (int r = 0; r < count; r++) {
            int row = first + r;
            if (s.deletes.deletedAt(row) != 0) {
                continue;
            }
            int from = keys.getStartOffset(r);
            int len = keys.getEndOffset(r) - from;
            if (keyScratch.length < len) {
                keyScratch = new byte[Math.max(len, keyScratch.length * 2)];
            }
            data.getBytes(from, keyScratch, 0, len);
            map.put(keyScratch, 0, len, ColumnTable.position(s.id, row));
        }
    }

    // ------------------------------------------------------------------ reading

    /**
     * The rows of table {@code tableId} visible at {@code snapshotTs}, columns {@code columns} (table
     * column indexes, in output order), as batches under {@code context}'s allocator. Waits up to
     * {@link ColumnStoreOptions#scanWait()} for the watermark to reach the snapshot: 55000 if it
     * does not. {@code predicates} only skip row groups (see {@link ZonePredicate}); the caller
     * filters. 42P01 if the store has no such table (never created, or its drop already applied).
     */
    public ColumnScan scan(QueryContext context, long tableId, long snapshotTs, int[] columns, List<ZonePredicate> predicates) {
        requireNonNull(context, "context is null");
        ColumnTable t = scannable(tableId, snapshotTs, columns);
        return new ColumnScan(this, context, t, snapshotTs, columns.clone(),
                predicates == null ? List.of() : List.copyOf(predicates));
    }

    /**
     * The rows {@link #scan} would return, as morsels that several scans share (one per thread of
     * a parallel query, {@link ScanMorsels#newScan}): every row group of a sealed segment is one
     * morsel, and in-memory segments are cut every {@code morselRows} rows. Fails as {@link #scan}
     * does. The caller closes the result after the scans over it.
     */
    public ScanMorsels morsels(long tableId, long snapshotTs, int[] columns, List<ZonePredicate> predicates,
            int morselRows) {
        if (morselRows < 1) {
            throw new IllegalArgumentException("morselRows must be positive, got " + morselRows);
        }
        ColumnTable t = scannable(tableId, snapshotTs, columns);
        return new ScanMorsels(this, t, snapshotTs, columns.clone(),
                predicates == null ? List.of() : List.copyOf(predicates), morselRows);
    }

    /** Table {@code tableId} once the watermark reaches {@code snapshotTs}, if it can serve that snapshot. */
    private ColumnTable scannable(long tableId, long snapshotTs, int[] columns) {
        requireNonNull(columns, "columns is null");
        awaitWatermark(snapshotTs, options.scanWait());
        if (snapshotTs < oldestTs) {
            throw DuetException.of(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
                    "column store holds no snapshot before %d (it was loaded from that snapshot); snapshot %d is older",
                    oldestTs, snapshotTs);
        }
        ColumnTable t = tables.get(tableId);
        if (t == null) {
            throw DuetException.of(SqlState.UNDEFINED_TABLE, "column store has no table with id %d", tableId);
        }
        if (snapshotTs < t.compactedTo) {
            // the caller's snapshot is older than the row store's oldest open one when compaction ran
            throw DuetException.of(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
                    "column store compacted table \"%s\" up to snapshot %d; snapshot %d is older",
                    t.def.name(), t.compactedTo, snapshotTs);
        }
        for (int c : columns) {
            Objects.checkIndex(c, t.def.columnCount());
        }
        return t;
    }

    /**
     * Waits until the watermark is at least {@code ts}; 55000 after {@code timeout}, 57014 if the
     * thread is interrupted, and the applier's failure if it failed.
     */
    public void awaitWatermark(long ts, Duration timeout) {
        if (appliedTs >= ts) {
            checkUsable();
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        watermarkLock.lock();
        watermarkWaiters++; // before reading the watermark: see watermarkLock
        try {
            while (appliedTs < ts) {
                checkUsable();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw DuetException.of(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
                            "column store did not catch up with snapshot %d within %d ms (it has applied up to %d)",
                            ts, timeout.toMillis(), appliedTs);
                }
                try {
                    watermarkAdvanced.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw DuetException.of(SqlState.QUERY_CANCELED, "interrupted while waiting for the column store");
                }
            }
        } finally {
            watermarkWaiters--;
            watermarkLock.unlock();
        }
        checkUsable();
    }

    void checkUsable() {
        DuetException f = failure;
        if (f != null) {
            throw new DuetException(f.state(), "column store stopped following the log: " + f.getMessage(), f);
        }
        if (closed) {
            throw DuetException.of(SqlState.CONNECTION_DOES_NOT_EXIST, "column store %s is closed", dir);
        }
    }

    void countRowGroups(long read, long skipped) {
        rowGroupsRead.addAndGet(read);
        rowGroupsSkipped.addAndGet(skipped);
    }

    BufferAllocator storeAllocator() {
        return allocator;
    }

    // ------------------------------------------------------------------ state and metrics

    /** Timestamp of the last commit applied (scans of snapshots up to it need not wait). */
    public long watermarkTs() {
        return appliedTs;
    }

    /**
     * {@link System#nanoTime()} when the watermark last advanced: after {@link #endCommit}, the
     * moment the commit became visible to scans (the manifest endCommit may write follows it).
     */
    public long watermarkAdvancedNanos() {
        return advancedNanos;
    }

    /** WAL position just after the last commit applied (0 without a WAL). */
    public long watermarkLsn() {
        return appliedLsn;
    }

    /** The persisted watermark: a restart replays the WAL from this position (and commit timestamp). */
    public long replayFromLsn() {
        return replayFromLsn;
    }

    public long replayFromTs() {
        return replayFromTs;
    }

    /** Rows inserted (INSERT or the new side of an UPDATE) since open, replay included. */
    public long rowsApplied() {
        return rowsApplied;
    }

    public long segmentsSealed() {
        return segmentsSealed.get();
    }

    /**
     * Milliseconds the sync thread spent waiting for segment files since open: for
     * {@value #MAX_SEALS_IN_FLIGHT} seals in flight (the disk or the seal thread is slower than
     * the sync), or in {@link #persist}. Near zero when sealing keeps up.
     */
    public long sealWaitMillis() {
        return sealWaitNanos / 1_000_000;
    }

    /** Sealed segments rewritten by {@link #compact} since open. */
    public long segmentsCompacted() {
        return segmentsCompacted.get();
    }

    /**
     * Key maps built since open: one per table at its first UPDATE or DELETE since it was created
     * or the store opened (an append-only table never has one; see {@link ColumnTable#keys}).
     */
    public long keyMapsBuilt() {
        return keyMapsBuilt.get();
    }

    /** Milliseconds the sync thread spent building key maps since open (it reads every live row's key once per table). */
    public long keyMapBuildMillis() {
        return keyMapBuildNanos.get() / 1_000_000;
    }

    /** Whether table {@code tableId} has a key map now. Sync thread (the tests that apply commits by hand). */
    boolean hasKeyMap(long tableId) {
        ColumnTable t = tables.get(tableId);
        return t != null && t.keys != null;
    }

    /** Row groups scans skipped thanks to their min/max, and row groups they read, since open. */
    public long rowGroupsSkipped() {
        return rowGroupsSkipped.get();
    }

    public long rowGroupsRead() {
        return rowGroupsRead.get();
    }

    /**
     * The rows stored for table {@code tableId}, deleted ones included (what a full scan reads:
     * the planner's estimate of its cost), or -1 if the store has no such table.
     */
    public long estimatedRows(long tableId) {
        ColumnTable t = tables.get(tableId);
        if (t == null) {
            return -1;
        }
        t.lock.readLock().lock();
        try {
            long n = 0;
            for (Segment s : t.segments) {
                n += s.rowCount();
            }
            return n;
        } finally {
            t.lock.readLock().unlock();
        }
    }

    /** Ids of the tables the store holds. */
    public Set<Long> tableIds() {
        return Set.copyOf(tables.keySet());
    }

    /** Sealed segments of a table (0 if unknown). */
    public int sealedSegmentCount(long tableId) {
        ColumnTable t = tables.get(tableId);
        if (t == null) {
            return 0;
        }
        int n = 0;
        for (Segment s : t.segments) {
            if (s.file != null) {
                n++;
            }
        }
        return n;
    }

    /** Bytes of a table's sealed segment files plus its in-memory rows. */
    public long tableBytes(long tableId) {
        ColumnTable t = tables.get(tableId);
        if (t == null) {
            return 0;
        }
        t.lock.readLock().lock();
        try {
            long n = 0;
            for (Segment s : t.segments) {
                n += s.file != null ? s.file.bytes() : s.rows.bytes();
            }
            return n;
        } finally {
            t.lock.readLock().unlock();
        }
    }

    /** Rows in a table's open (not yet sealed) segment. */
    public int openRows(long tableId) {
        ColumnTable t = tables.get(tableId);
        return t == null ? 0 : t.open.rows.published();
    }

    /**
     * Frees the in-memory segments; a temporary store also deletes its directory. Does not persist:
     * the owner calls {@link #persist} first for a clean close. A segment file being written is
     * finished first; frozen segments not yet being written are dropped (not listed by any
     * manifest, their rows are replayed from the WAL by the next open). Idempotent.
     */
    @Override
    public void close() {
        watermarkLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            watermarkAdvanced.signalAll();
        } finally {
            watermarkLock.unlock();
        }
        sealer.close(); // waits for a file being written: its rows must not be freed under it
        compactor.close(); // a rewrite in progress still reads through the store's allocator
        manifests.close(); // one not started is dropped, like a crash before it: the WAL still holds what it would cover
        for (ColumnTable t : tables.values()) {
            t.lock.writeLock().lock();
            try {
                for (Segment s : t.segments) {
                    if (s.rows != null) {
                        s.rows.release();
                        s.rows = null;
                    }
                }
            } finally {
                t.lock.writeLock().unlock();
            }
        }
        tables.clear();
        if (temporary) {
            deleteTree(dir);
        }
        cache.close();
        allocator.close();
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete temporary column store " + root + ": " + e);
        }
    }
}
