package dev.duet.rowstore;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.catalog.ViewDef;
import dev.duet.core.io.ByteSink;
import dev.duet.core.types.KeyCodec;
import dev.duet.rowstore.wal.WalReader;
import dev.duet.rowstore.wal.WalRetention;
import dev.duet.rowstore.wal.WalWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A database of versioned rows: the catalog, the tables, the commit protocol, the WAL, background
 * checkpoints and version reclamation, and recovery on open.
 *
 * <p>Commit protocol: under {@link #commitLock} a committer validates its write set against the
 * newest committed versions (first committer wins), takes the next commit timestamp, appends its
 * WAL record and installs its versions; timestamps and WAL positions therefore increase together.
 * It then waits, outside the lock, until its record is durable (group commit shares one fsync
 * among concurrent committers) and only then publishes its timestamp to new snapshots. Because the
 * WAL is durable in prefix order, publishing timestamp T never exposes a commit that could be lost
 * in a crash.
 */
public final class RowStore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RowStore.class.getName());
    private static final String CHECKPOINT_CONSUMER = "checkpoint";

    private final Path dir;
    private final RowStoreOptions options;
    private final DirectoryLock lock;
    private final Checkpointer checkpointer;
    private final SnapshotRegistry snapshots;

    /** Set once during open, before the store is handed out. */
    private WalWriter wal;
    private WalRetention retention;

    /** Serialises commits; guards the fields marked "commitLock" below. */
    private final ReentrantLock commitLock = new ReentrantLock();
    /** commitLock: timestamp of the newest commit (published or not). */
    private long lastTs;
    /** commitLock: the newest catalog and the timestamp of the commit that made it. */
    private Catalog latestCatalog;
    private long latestCatalogTs;
    /** commitLock: reused buffer for building WAL records. */
    private final ByteSink payload = new ByteSink(4096);
    /** commitLock: the slot of each write found while validating, reused when installing (null: new key). */
    private final ArrayList<VersionedTable.Slot> commitSlots = new ArrayList<>();

    /**
     * commitLock (written; read by committers under it): the commit feed's subscribers. A fresh
     * array per change, so that the per-commit loop allocates nothing.
     */
    private volatile CommitListener[] listeners = new CommitListener[0];

    /** Catalog versions by commit timestamp. Added under commitLock; pruned by maintenance below the horizon. */
    private final ConcurrentSkipListMap<Long, Catalog> catalogs = new ConcurrentSkipListMap<>();
    /**
     * The newest entry of {@link #catalogs}. Written with it (under commitLock) before the commit
     * that made it is published; volatile, so a snapshot taken after that publication reads it.
     */
    private volatile Map.Entry<Long, Catalog> newestCatalog;
    /** Table storage by id. Changed under commitLock (and by maintenance, for dropped tables past the horizon). */
    private final ConcurrentHashMap<Long, VersionedTable> tables = new ConcurrentHashMap<>();
    /** (drop timestamp, table id) of dropped tables whose storage old snapshots may still read. */
    private final ConcurrentLinkedQueue<long[]> dropped = new ConcurrentLinkedQueue<>();

    /** One {@link #vacuum} pass at a time (it guards {@code VersionedTable.prunedUpTo}). */
    private final Object vacuumLock = new Object();
    /** Guards the checkpoint fields below; one checkpoint at a time. */
    private final Object checkpointLock = new Object();
    /** The current checkpoint (null before the first). */
    private Checkpointer.Meta checkpoint;
    /**
     * Generation number for the next map file: above every number ever tried, so that a file the
     * metadata on disk may name (after a failed {@link Checkpointer#commit}) is never rewritten.
     */
    private long nextGeneration = 1;
    private long lastCheckpointTs;
    private long lastCheckpointLsn;
    private long lastCheckpointNanos = System.nanoTime();
    /**
     * Deleted keys whose deletion is newer than this may not be removed by {@link #vacuum}: the
     * next checkpoint may be a delta, which records only deletions it still finds (the timestamp
     * of the current checkpoint; no bound while there is none: the first checkpoint holds every
     * row and no deletion).
     * Written under the checkpoint lock, read by vacuum.
     */
    private volatile long tombstoneFloor = Long.MAX_VALUE;

    private volatile DuetException failure;
    private volatile boolean closed;
    private final ReentrantLock maintenanceLock = new ReentrantLock();
    private final Condition maintenanceWake = maintenanceLock.newCondition();
    private Thread maintenance;

    private RowStore(Path dir, RowStoreOptions options, DirectoryLock lock) {
        this.dir = dir;
        this.options = options;
        this.lock = lock;
        this.checkpointer = dir == null ? null : new Checkpointer(dir);
        this.snapshots = new SnapshotRegistry(0, 0);
        this.latestCatalog = Catalog.empty();
        putCatalog(0L, latestCatalog);
    }

    /** A database that lives in memory only and disappears when closed. */
    public static RowStore inMemory(RowStoreOptions options) {
        RowStore s = new RowStore(null, Objects.requireNonNull(options, "options is null"), null);
        s.startMaintenance();
        return s;
    }

    /**
     * Opens (creating if needed) the database in {@code dir}: locks the directory, loads the last
     * checkpoint and replays the WAL after it. A torn WAL tail is cut off; damage in the middle of
     * the WAL refuses to open (XX001) rather than lose committed data.
     */
    public static RowStore open(Path dir, RowStoreOptions options) {
        return open(dir, options, Map.of());
    }

    /**
     * Like {@link #open(Path, RowStoreOptions)}, and registers {@code walConsumers} (name to the
     * first LSN it needs, capped at the end of the log) with the {@link #walRetention()} before any
     * checkpoint can run, so that no segment such a consumer needs is deleted before it starts.
     */
    public static RowStore open(Path dir, RowStoreOptions options, Map<String, Long> walConsumers) {
        Objects.requireNonNull(dir, "dir is null");
        Objects.requireNonNull(walConsumers, "walConsumers is null");
        Objects.requireNonNull(options, "options is null");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                // Make the new directory's entry durable, or a power loss could lose the database.
                Path parent = dir.toAbsolutePath().getParent();
                if (parent != null) {
                    Checkpointer.forceDirectory(parent);
                }
            }
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot create database directory " + dir + ": " + e.getMessage(), e);
        }
        DirectoryLock lock = DirectoryLock.acquire(dir);
        RowStore s = new RowStore(dir, options, lock);
        try {
            s.recover();
            for (Map.Entry<String, Long> c : walConsumers.entrySet()) {
                s.retention.register(c.getKey(), Math.min(c.getValue(), s.wal.endLsn()));
            }
        } catch (RuntimeException | Error e) {
            s.closeFiles();
            throw e;
        }
        s.startMaintenance();
        return s;
    }

    private void recover() {
        long startTs = 0;
        long startLsn = 0;
        Checkpointer.Meta meta = checkpointer.readMeta();
        if (meta != null) {
            Catalog cat = meta.catalog();
            startTs = meta.ts();
            startLsn = meta.lsn();
            // Table ids sorted, beside each table's rows: a binary search per row, not a boxed
            // id and a hash lookup (the checkpoint lists rows in hash order, tables interleaved).
            long[] ids = cat.tables().stream().mapToLong(TableDef::id).sorted().toArray();
            VersionedTable.Loaded[] loaded = new VersionedTable.Loaded[ids.length];
            for (int i = 0; i < ids.length; i++) {
                loaded[i] = new VersionedTable.Loaded();
            }
            long ts = startTs;
            long[] bytes = new long[1];
            for (VersionedTable.Loaded l : loaded) {
                l.mayRepeat = meta.files().length > 1;
            }
            checkpointer.load(meta, !lock.previousCloseClean(), (tableId, key, row) -> {
                bytes[0] += Checkpointer.entryBytes(key, row);
                int at = Arrays.binarySearch(ids, tableId);
                if (at < 0) {
                    throw DuetException.of(SqlState.DATA_CORRUPTED,
                            "checkpoint holds rows of table id %d, which its catalog does not list", tableId);
                }
                loaded[at].add(key, row);
            });
            for (TableDef t : cat.tables()) {
                VersionedTable.Loaded rows = loaded[Arrays.binarySearch(ids, t.id())];
                VersionedTable vt = new VersionedTable(t.id(), rows.size());
                vt.nextRowId.set(meta.nextRowIds().getOrDefault(t.id(), 1L));
                vt.load(rows, ts);
                if (!t.hasPrimaryKey()) {
                    for (int i = 0; i < rows.size(); i++) {
                        noteRowId(t, vt, rows.key(i));
                    }
                }
                tables.put(t.id(), vt);
            }
            checkpointer.removeStale(meta);
            // Metadata of the first format does not record the bytes: its one file holds them all.
            checkpoint = meta.bytes() >= 0 ? meta
                    : new Checkpointer.Meta(meta.lsn(), meta.ts(), cat, meta.nextRowIds(), meta.files(), bytes[0], 0);
            nextGeneration = meta.generation() + 1;
            tombstoneFloor = meta.ts();
            latestCatalog = cat;
        }
        lastCheckpointTs = startTs;
        lastCheckpointLsn = startLsn;
        lastTs = startTs;
        latestCatalogTs = startTs;

        Path walDir = dir.resolve("wal");
        long skipUpTo = startTs;
        ReplayVisitor replay = new ReplayVisitor();
        WalReader reader = WalReader.open(walDir);
        WalReader.ReadResult result = reader.read(startLsn, (lsn, type, data, len) -> {
            if (type != CommitRecord.WAL_TYPE) {
                throw DuetException.of(SqlState.DATA_CORRUPTED, "unknown WAL record type %d at LSN %d", type, lsn);
            }
            long ts = CommitRecord.timestamp(data, 0, len);
            if (ts <= skipUpTo) {
                return;
            }
            if (ts <= lastTs) {
                throw DuetException.of(SqlState.DATA_CORRUPTED,
                        "WAL record at LSN %d has commit timestamp %d, not after %d", lsn, ts, lastTs);
            }
            replay.ts = ts;
            CommitRecord.read(data, 0, len, replay);
            lastTs = ts;
        });
        reader.truncateTornTail(result);
        long endLsn = result.endLsn();
        if (replay.catalogChanged) {
            latestCatalogTs = lastTs;
        }
        // Index entries are not logged or checkpointed: every index is built again from the rows.
        for (IndexDef index : latestCatalog.indexes()) {
            TableDef t = latestCatalog.tableById(index.tableId());
            tables.put(index.id(), buildIndex(t, index, tables.get(t.id()), null, lastTs));
        }
        catalogs.clear();
        putCatalog(latestCatalogTs, latestCatalog);
        snapshots.publish(lastTs, endLsn);
        wal = WalWriter.open(walDir, endLsn, walOptions(options));
        try {
            Checkpointer.forceDirectory(dir); // the wal/ entry, if it was just created
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot sync database directory " + dir + ": " + e.getMessage(), e);
        }
        retention = new WalRetention(wal);
        retention.register(CHECKPOINT_CONSUMER, startLsn);
    }

    private static dev.duet.rowstore.wal.WalOptions walOptions(RowStoreOptions o) {
        return dev.duet.rowstore.wal.WalOptions.defaults()
                .withDurability(o.fsync() ? dev.duet.rowstore.wal.WalOptions.Durability.FSYNC
                        : dev.duet.rowstore.wal.WalOptions.Durability.ASYNC)
                .withSegmentSize(o.walSegmentBytes())
                .withAsyncFlushIntervalMillis(Math.max(1, o.asyncFlushInterval().toMillis()));
    }

    /** Applies replayed commits straight to storage (single-threaded, before the store is shared). */
    private final class ReplayVisitor implements CommitRecord.Visitor {
        long ts;
        boolean catalogChanged;

        @Override
        public void createSchema(String name) {
            latestCatalog = latestCatalog.withSchema(name);
            catalogChanged = true;
        }

        @Override
        public void dropSchema(String name) {
            latestCatalog = latestCatalog.withoutSchema(name);
            catalogChanged = true;
        }

        @Override
        public void createTable(TableDef table) {
            latestCatalog = latestCatalog.withTable(table);
            tables.put(table.id(), new VersionedTable(table.id()));
            catalogChanged = true;
        }

        @Override
        public void dropTable(long tableId) {
            latestCatalog = latestCatalog.withoutTable(tableId);
            tables.remove(tableId);
            catalogChanged = true;
        }

        @Override
        public void createView(ViewDef view, boolean orReplace) {
            latestCatalog = latestCatalog.withView(view, orReplace);
            catalogChanged = true;
        }

        @Override
        public void dropView(String schema, String name) {
            latestCatalog = latestCatalog.withoutView(schema, name);
            catalogChanged = true;
        }

        @Override
        public void createIndex(IndexDef index) {
            latestCatalog = latestCatalog.withIndex(index);
            catalogChanged = true;
        }

        @Override
        public void dropIndex(long indexId) {
            latestCatalog = latestCatalog.withoutIndex(indexId);
            catalogChanged = true;
        }

        @Override
        public void put(byte kind, long tableId, byte[] key, byte[] row) {
            VersionedTable vt = replayTable(tableId);
            RowVersion.prune(vt.install(key, ts, row), ts); // recovery keeps no older versions
            noteRowId(latestCatalog.tableById(tableId), vt, key);
        }

        @Override
        public void delete(long tableId, byte[] key) {
            VersionedTable vt = replayTable(tableId);
            VersionedTable.Slot slot = vt.slot(key);
            if (slot != null) {
                // A deletion, not a removal of the slot: the next checkpoint may be a delta,
                // which records only the deletions it finds (vacuum removes the slot after it).
                RowVersion.prune(vt.install(slot, key, ts, null), ts);
            }
        }

        private VersionedTable replayTable(long tableId) {
            VersionedTable vt = tables.get(tableId);
            if (vt == null) {
                throw DuetException.of(SqlState.DATA_CORRUPTED,
                        "WAL commit %d writes to table id %d, which does not exist", ts, tableId);
            }
            return vt;
        }
    }

    private static void noteRowId(TableDef t, VersionedTable vt, byte[] key) {
        if (!t.hasPrimaryKey()) {
            long id = KeyCodec.decodeRowId(key);
            vt.nextRowId.accumulateAndGet(id + 1, Math::max);
        }
    }

    // ------------------------------------------------------------------ transactions

    /** Begins a read-write transaction at the newest committed snapshot. */
    public Transaction begin() {
        return begin(false);
    }

    /** Begins a transaction; a read-only one never blocks or fails because of writers. */
    public Transaction begin(boolean readOnly) {
        checkOpen();
        long ts = snapshots.acquire();
        return new Transaction(this, ts, catalogAt(ts), readOnly);
    }

    /** The newest committed catalog (as a new snapshot would see it). */
    public Catalog catalog() {
        checkOpen();
        return catalogAt(snapshots.visibleTs());
    }

    /** Adds catalog version {@code ts}, the newest one. Commit lock held (or the store not yet handed out). */
    private void putCatalog(long ts, Catalog catalog) {
        catalogs.put(ts, catalog);
        newestCatalog = Map.entry(ts, catalog);
    }

    private Catalog catalogAt(long ts) {
        // Nearly every snapshot reads the newest catalog: no search of the map then.
        Map.Entry<Long, Catalog> newest = newestCatalog;
        if (ts >= newest.getKey()) {
            return newest.getValue();
        }
        Map.Entry<Long, Catalog> e = catalogs.floorEntry(ts);
        if (e == null) {
            throw new IllegalStateException("no catalog version at or before " + ts);
        }
        return e.getValue();
    }

    VersionedTable table(long id) {
        return tables.get(id);
    }

    /**
     * An estimate of the rows in table {@code tableId} for the planner's join ordering: the keys
     * the row store holds a slot for (committed rows, plus deleted ones not yet pruned), 0 for an
     * unknown table. Not a snapshot count: it reads no version chains and takes no lock.
     */
    public long estimatedRows(long tableId) {
        VersionedTable t = tables.get(tableId);
        return t == null ? 0 : t.slotCount();
    }

    void release(long snapshotTs) {
        snapshots.release(snapshotTs);
    }

    void commit(Transaction tx) {
        long ts;
        long end;
        commitLock.lock();
        try {
            checkOpen();
            long snap = tx.snapshot();
            Catalog target = latestCatalog;
            if (!tx.ddl.isEmpty()) {
                if (latestCatalogTs > snap) {
                    throw DuetException.of(SqlState.SERIALIZATION_FAILURE,
                            "could not serialize access due to a concurrent schema change");
                }
                target = tx.catalog();
            }
            ts = lastTs + 1;
            payload.reset();
            payload.writeLong(ts);
            int countAt = payload.size();
            payload.writeInt(0);
            int ops = 0;
            commitSlots.clear();
            for (CommitRecord.DdlOp op : tx.ddl) {
                CommitRecord.writeDdl(payload, op);
                ops++;
            }
            for (Map.Entry<Long, TreeMap<byte[], byte[]>> e : tx.writes.entrySet()) {
                long tableId = e.getKey();
                TableDef def = target.tableById(tableId);
                if (def == null) {
                    TableDef old = tx.snapshotCatalog().tableById(tableId);
                    throw DuetException.of(SqlState.SERIALIZATION_FAILURE,
                            "could not serialize access: relation \"%s\" was dropped by a concurrent transaction",
                            old == null ? String.valueOf(tableId) : old.name());
                }
                if (!target.indexes(tableId).equals(tx.catalog().indexes(tableId))) {
                    // our writes maintained the indexes our snapshot had, not the ones committed since
                    throw DuetException.of(SqlState.SERIALIZATION_FAILURE,
                            "could not serialize access: the indexes of relation \"%s\" changed concurrently", def.name());
                }
                VersionedTable vt = tables.get(tableId);
                for (Map.Entry<byte[], byte[]> w : e.getValue().entrySet()) {
                    byte[] key = w.getKey();
                    byte[] row = w.getValue();
                    VersionedTable.Slot slot = vt == null ? null : vt.slot(key);
                    commitSlots.add(slot);
                    RowVersion head = slot == null ? null : slot.head;
                    boolean live = head != null && head.row != null;
                    if (head != null && head.ts > snap) {
                        if (row != Transaction.DELETED && live && RowVersion.visibleRow(head, snap) == null) {
                            throw Transaction.duplicateKey(def, def.rowCodec().decode(row));
                        }
                        throw Transaction.serializationFailure(def);
                    }
                    if (row == Transaction.DELETED) {
                        if (live) {
                            CommitRecord.writeDelete(payload, tableId, key);
                            ops++;
                        }
                    } else {
                        CommitRecord.writePut(payload, live ? CommitRecord.UPDATE : CommitRecord.INSERT, tableId, key, row);
                        ops++;
                    }
                }
            }
            checkUniqueEntries(tx, target);
            List<IndexDef> built = new ArrayList<>();
            List<VersionedTable> builtEntries = new ArrayList<>();
            for (long id : tx.createdIndexes) {
                IndexDef index = target.indexById(id);
                if (index != null) {
                    TableDef def = target.tableById(index.tableId());
                    built.add(index);
                    builtEntries.add(buildIndex(def, index, tx.createdTables.containsKey(def.id()) ? null : tables.get(def.id()),
                            tx.writes.get(def.id()), ts));
                }
            }
            payload.setInt(countAt, ops);
            end = wal == null ? 0 : wal.append(CommitRecord.WAL_TYPE, payload.array(), 0, payload.size());
            lastTs = ts;
            for (CommitListener l : listeners) {
                l.committed(ts, end, payload.array(), 0, payload.size());
            }

            if (!tx.ddl.isEmpty()) {
                for (CommitRecord.DdlOp op : tx.ddl) {
                    if (op.kind() == CommitRecord.DROP_TABLE) {
                        dropped.add(new long[] {ts, op.table().id()});
                        for (IndexDef index : latestCatalog.indexes(op.table().id())) {
                            dropped.add(new long[] {ts, index.id()});
                        }
                    } else if (op.kind() == CommitRecord.DROP_INDEX) {
                        dropped.add(new long[] {ts, op.index().id()});
                    }
                }
                for (int i = 0; i < built.size(); i++) {
                    tables.put(built.get(i).id(), builtEntries.get(i));
                }
                tables.putAll(tx.createdTables);
                latestCatalog = target;
                latestCatalogTs = ts;
                putCatalog(ts, target);
            }
            long horizon = snapshots.horizon();
            int w = 0;
            for (Map.Entry<Long, TreeMap<byte[], byte[]>> e : tx.writes.entrySet()) {
                VersionedTable vt = tables.get(e.getKey());
                for (Map.Entry<byte[], byte[]> write : e.getValue().entrySet()) {
                    // Same order as validation; vacuum removes slots only under the commit lock.
                    VersionedTable.Slot slot = commitSlots.get(w++);
                    byte[] row = write.getValue();
                    RowVersion head = slot == null ? null : slot.head;
                    if (row == Transaction.DELETED) {
                        if (head == null || head.row == null) {
                            continue;
                        }
                        row = null;
                    }
                    RowVersion v = vt.install(slot, write.getKey(), ts, row);
                    if (head != null) {
                        RowVersion.prune(v, horizon);
                    }
                }
            }
            commitSlots.clear();
            installIndexWrites(tx, target, ts, horizon);
        } finally {
            commitLock.unlock();
        }
        if (wal != null) {
            try {
                wal.awaitDurable(end);
            } catch (DuetException e) {
                fail(e);
                throw e;
            }
        }
        snapshots.publish(ts, end);
    }

    /**
     * An {@link Appender} for the table named {@code table} or {@code schema.table} (42P01 if there
     * is none) that flushes every {@code flushRows} rows.
     */
    public Appender appender(String table, int flushRows) {
        TableDef def;
        try (Transaction tx = begin(true)) {
            def = tx.table(table);
        }
        VersionedTable storage = tables.get(def.id());
        if (storage == null) {
            throw new IllegalStateException("table " + def.id() + " is in the catalog but has no storage");
        }
        return new Appender(this, def, storage, flushRows);
    }

    /**
     * Commits an appender's chunk: {@code payload} is the whole commit record (its first 8 bytes
     * take the timestamp) holding one INSERT_RUN of {@code count} rows of {@code def}, whose keys and
     * rows are {@code keys} and {@code rows}; the keys are distinct. Under the commit lock one pass
     * checks that the table is unchanged (40001 otherwise) and that no key has a live row (23505),
     * a second installs every row; then, like {@link #commit}, the record is made durable outside
     * the lock before the timestamp is published, so a snapshot sees all of the chunk or none.
     */
    void commitRun(TableDef def, ByteSink payload, byte[][] keys, byte[][] rows, int count) {
        long ts;
        long end;
        commitLock.lock();
        try {
            checkOpen();
            TableDef now = latestCatalog.tableById(def.id());
            if (now != def && (now == null || !now.equals(def))) { // the same catalog object: no deep comparison
                throw DuetException.of(SqlState.SERIALIZATION_FAILURE,
                        "could not serialize access: relation \"%s\" was dropped or changed by a concurrent transaction", def.name());
            }
            if (!latestCatalog.indexes(def.id()).isEmpty()) {
                throw DuetException.of(SqlState.SERIALIZATION_FAILURE,
                        "could not serialize access: the indexes of relation \"%s\" changed concurrently", def.name());
            }
            VersionedTable vt = tables.get(def.id());
            commitSlots.clear();
            if (def.hasPrimaryKey()) {
                for (int i = 0; i < count; i++) {
                    VersionedTable.Slot slot = vt.slot(keys[i]);
                    if (slot != null && slot.head.row != null) {
                        commitSlots.clear();
                        throw Transaction.duplicateKey(def, def.rowCodec().decode(rows[i]));
                    }
                    commitSlots.add(slot);
                }
            }
            ts = lastTs + 1;
            payload.setLong(0, ts);
            end = wal == null ? 0 : wal.append(CommitRecord.WAL_TYPE, payload.array(), 0, payload.size());
            lastTs = ts;
            for (CommitListener l : listeners) {
                l.committed(ts, end, payload.array(), 0, payload.size());
            }
            long horizon = -1; // asked for (a lock) only when a key had versions to prune: not for new keys
            boolean slots = def.hasPrimaryKey();
            for (int i = 0; i < count; i++) {
                VersionedTable.Slot slot = slots ? commitSlots.get(i) : null;
                RowVersion head = slot == null ? null : slot.head;
                RowVersion v = vt.install(slot, keys[i], ts, rows[i]);
                if (head != null) {
                    if (horizon < 0) {
                        horizon = snapshots.horizon();
                    }
                    RowVersion.prune(v, horizon);
                }
            }
            commitSlots.clear();
        } finally {
            commitLock.unlock();
        }
        if (wal != null) {
            try {
                wal.awaitDurable(end);
            } catch (DuetException e) {
                fail(e);
                throw e;
            }
        }
        snapshots.publish(ts, end);
    }

    /**
     * 23505 if an entry this transaction adds to a unique index has the values of a live entry of
     * another row committed meanwhile (one it has not removed itself). Commit lock held.
     */
    private void checkUniqueEntries(Transaction tx, Catalog target) {
        for (Map.Entry<Long, List<byte[][]>> e : tx.uniqueEntries.entrySet()) {
            IndexDef index = target.indexById(e.getKey());
            VersionedTable entries = tables.get(e.getKey());
            TreeMap<byte[], byte[]> own = tx.indexWrites.get(e.getKey());
            if (index == null || entries == null || own == null || tx.createdIndexes.contains(index.id())) {
                continue;
            }
            for (byte[][] added : e.getValue()) {
                byte[] pk = own.get(added[0]);
                if (pk == null || pk == Transaction.DELETED) {
                    continue;
                }
                for (VersionedTable.Slot slot : entries.range(added[1], KeyCodec.prefixEnd(added[1]))) {
                    byte[] other = slot.head.row;
                    if (other != null && !java.util.Arrays.equals(other, pk) && own.get(slot.key) == null) {
                        TableDef def = target.tableById(index.tableId());
                        byte[] row = tx.writes.get(def.id()).get(pk);
                        throw Transaction.uniqueViolation(def, index, def.rowCodec().decode(row));
                    }
                }
            }
        }
    }

    /** Installs the index entries of {@code tx}'s row writes as versions at {@code ts}. Commit lock held. */
    private void installIndexWrites(Transaction tx, Catalog target, long ts, long horizon) {
        for (Map.Entry<Long, TreeMap<byte[], byte[]>> e : tx.indexWrites.entrySet()) {
            VersionedTable entries = tables.get(e.getKey());
            if (target.indexById(e.getKey()) == null || tx.createdIndexes.contains(e.getKey()) || entries == null) {
                continue;
            }
            for (Map.Entry<byte[], byte[]> w : e.getValue().entrySet()) {
                VersionedTable.Slot slot = entries.slot(w.getKey());
                RowVersion head = slot == null ? null : slot.head;
                byte[] pk = w.getValue();
                if (pk == Transaction.DELETED) {
                    if (head == null || head.row == null) {
                        continue;
                    }
                    pk = null;
                }
                RowVersion v = entries.install(slot, w.getKey(), ts, pk);
                if (head != null) {
                    RowVersion.prune(v, horizon);
                }
            }
        }
    }

    /**
     * The entries of {@code index} for the newest committed rows of {@code committed} (null: none)
     * overlaid with {@code own} (a transaction's writes to the table, or null), each a version at
     * {@code ts}; 23505 if the index is unique and two rows have the same non-null values. Commit
     * lock held (or recovery): a concurrent commit would change the rows.
     */
    static VersionedTable buildIndex(TableDef table, IndexDef index, VersionedTable committed,
            TreeMap<byte[], byte[]> own, long ts) {
        IndexKeys keys = new IndexKeys(table, index);
        VersionedTable.Loaded slots = new VersionedTable.Loaded();
        TreeMap<byte[], Object[]> unique = index.unique() ? new TreeMap<>(VersionedTable.KEY_ORDER) : null;
        java.util.function.BiConsumer<byte[], byte[]> add = (pk, encoded) -> {
            Object[] row = table.rowCodec().decode(encoded);
            byte[] values = keys.values(row);
            if (unique != null && keys.allNonNull(row) && unique.put(values, row) != null) {
                throw DuetException.of(SqlState.UNIQUE_VIOLATION, "could not create unique index \"%s\": key (%s) is duplicated",
                        index.name(), Transaction.describeIndexKey(table, index, row));
            }
            slots.add(IndexKeys.entry(values, pk), pk);
        };
        if (committed != null) {
            for (VersionedTable.Slot slot : committed.slots()) {
                RowVersion head = slot.head;
                if (head.row != null && (own == null || !own.containsKey(slot.key))) {
                    add.accept(slot.key, head.row);
                }
            }
        }
        if (own != null) {
            for (Map.Entry<byte[], byte[]> w : own.entrySet()) {
                if (w.getValue() != Transaction.DELETED) {
                    add.accept(w.getKey(), w.getValue());
                }
            }
        }
        VersionedTable entries = VersionedTable.forIndex(index.id());
        entries.load(slots, ts);
        return entries;
    }

    // ------------------------------------------------------------------ commit feed

    /**
     * Where a {@link CommitListener} joined the feed: every commit up to {@code ts} ends at or
     * before WAL position {@code lsn} and is in the log (already written to its files, so a
     * {@link WalReader} sees it); every later commit reaches the listener. 0 for both in an
     * in-memory database created fresh.
     */
    public record FeedPosition(long ts, long lsn) {
    }

    /**
     * Registers {@code listener} for all later commits (see {@link CommitListener}) and returns the
     * cut between what the log holds and what the feed will deliver: no commit is in neither and
     * none in both. Taken under the commit lock, so no commit slips between the two.
     */
    public FeedPosition subscribe(CommitListener listener) {
        Objects.requireNonNull(listener, "listener is null");
        FeedPosition at;
        commitLock.lock();
        try {
            checkOpen();
            CommitListener[] now = listeners;
            CommitListener[] next = java.util.Arrays.copyOf(now, now.length + 1);
            next[now.length] = listener;
            listeners = next;
            at = new FeedPosition(lastTs, wal == null ? 0 : wal.endLsn());
        } finally {
            commitLock.unlock();
        }
        if (wal != null) {
            // Records before the cut may still sit in the append buffer; a reader needs them in the files.
            wal.flush();
        }
        return at;
    }

    /** Stops delivering commits to {@code listener} (no-op if it is not subscribed). */
    public void unsubscribe(CommitListener listener) {
        commitLock.lock();
        try {
            List<CommitListener> next = new ArrayList<>(java.util.Arrays.asList(listeners));
            if (next.remove(listener)) {
                listeners = next.toArray(new CommitListener[0]);
            }
        } finally {
            commitLock.unlock();
        }
    }

    /** Every WAL record ending at or before this position is on disk; Long.MAX_VALUE in memory (no log). */
    public long durableLsn() {
        return wal == null ? Long.MAX_VALUE : wal.durableLsn();
    }

    /**
     * Forces the WAL to disk up to {@code lsn} (the end of a commit record fed to a
     * {@link CommitListener}) in either durability mode; returns at once if it is durable already
     * or the store has no log. The column-store sync calls it before persisting anything.
     */
    public void forceDurable(long lsn) {
        if (wal != null) {
            wal.force(Math.min(lsn, wal.endLsn()));
        }
    }

    /**
     * The retention of the WAL: a consumer that must read the log later (the column-store sync)
     * registers here so that checkpoints do not delete segments it still needs. Null in memory.
     */
    public WalRetention walRetention() {
        return retention;
    }

    /** The WAL directory, or null in memory. */
    public Path walDirectory() {
        return dir == null ? null : dir.resolve("wal");
    }

    // ------------------------------------------------------------------ maintenance

    /**
     * Writes a checkpoint of the newest committed state now (in the calling thread) and deletes
     * WAL segments no consumer needs any more. Writers keep running meanwhile. A no-op for an
     * in-memory database or when nothing changed since the last checkpoint.
     */
    public void checkpoint() {
        checkOpen();
        checkpointNow();
    }

    private void checkpointNow() {
        if (dir == null) {
            return;
        }
        synchronized (checkpointLock) {
            long[] snap = snapshots.acquireWithLsn();
            long ts = snap[0];
            long lsn = snap[1];
            try {
                Checkpointer.Meta prev = checkpoint;
                if (ts == lastCheckpointTs && prev != null) {
                    lastCheckpointNanos = System.nanoTime();
                    return;
                }
                // The checkpoint must never run ahead of the durable log (async mode).
                wal.flush();
                Catalog cat = catalogAt(ts);
                Map<Long, Long> rowIds = new java.util.HashMap<>();
                for (TableDef t : cat.tables()) {
                    VersionedTable vt = tables.get(t.id());
                    if (!t.hasPrimaryKey() && vt != null) {
                        // Read before the rows: ids handed out later are all above this value.
                        rowIds.put(t.id(), vt.nextRowId.get());
                    }
                }
                // A delta holds what changed since the current checkpoint (everything, before the
                // first). Not after a table was dropped (its rows are in the files), and not once
                // there are too many deltas or as many replaced bytes as live ones: then one full
                // map replaces them all.
                boolean delta = prev == null || !tableDropped(prev.catalog(), cat)
                        && prev.files().length <= Checkpointer.MAX_DELTAS && 2 * prev.replacedBytes() <= prev.bytes();
                long generation = nextGeneration++;
                Checkpointer.Meta next;
                if (delta) {
                    long[] replaced = new long[1];
                    long base = prev == null ? 0 : prev.ts();
                    long bytes = checkpointer.writeDelta(generation, sink -> {
                        replaced[0] = 0;
                        changesSince(cat, base, ts, replaced, sink);
                    });
                    long[] before = prev == null ? new long[] {Checkpointer.NO_MAP} : prev.files();
                    long[] files = Arrays.copyOf(before, before.length + 1);
                    files[files.length - 1] = generation;
                    next = new Checkpointer.Meta(lsn, ts, cat, rowIds, files, (prev == null ? 0 : prev.bytes()) + bytes,
                            (prev == null ? 0 : prev.replacedBytes()) + replaced[0]);
                } else {
                    // every row visible at ts: the changes since before any commit, which hold no deletion
                    long bytes = checkpointer.writeMap(generation,
                            sink -> changesSince(cat, Long.MIN_VALUE, ts, new long[1], sink));
                    next = new Checkpointer.Meta(lsn, ts, cat, rowIds, new long[] {generation}, bytes, 0);
                }
                checkpointer.commit(next);
                checkpoint = next;
                tombstoneFloor = ts;
                lastCheckpointTs = ts;
                lastCheckpointLsn = lsn;
                lastCheckpointNanos = System.nanoTime();
                retention.advance(CHECKPOINT_CONSUMER, lsn);
                retention.deleteObsoleteSegments();
            } finally {
                snapshots.release(ts);
            }
        }
    }

    /** Whether a table of {@code before} is missing from {@code after}. */
    private static boolean tableDropped(Catalog before, Catalog after) {
        for (TableDef t : before.tables()) {
            if (after.tableById(t.id()) == null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Streams to {@code sink} what a delta at {@code ts} over a checkpoint at {@code base}
     * holds: each key whose version visible at {@code ts} is newer than {@code base}, with that
     * row, or with null if it is a deletion of a key the checkpoint may hold (a key whose slot is
     * newer than {@code base} was never checkpointed: a slot is removed only once a checkpoint has
     * recorded its deletion, see {@link #tombstoneFloor}). Adds to {@code replaced[0]} the bytes
     * of entries it supersedes (estimated from the new entry). Tables no commit after
     * {@code base} has written are skipped. With {@code base} {@link Long#MIN_VALUE}: every row
     * visible at {@code ts} and no deletion (a full map). The caller holds a snapshot at {@code ts}.
     */
    private void changesSince(Catalog cat, long base, long ts, long[] replaced, Checkpointer.RowSink sink) {
        for (TableDef t : cat.tables()) {
            VersionedTable vt = tables.get(t.id());
            if (vt == null || vt.lastWriteTs <= base) {
                continue;
            }
            for (VersionedTable.Slot slot : vt.slots()) {
                RowVersion v = RowVersion.visible(slot.head, ts);
                if (v == null || v.ts <= base) {
                    continue;
                }
                boolean checkpointed = slot.ts <= base;
                if (v.row == null && !checkpointed) {
                    continue;
                }
                if (checkpointed) {
                    // The entry replaced, and for a deletion the deletion's own entry too.
                    replaced[0] += Checkpointer.entryBytes(slot.key, v.row)
                            + (v.row == null ? Checkpointer.entryBytes(slot.key, null) : 0);
                }
                sink.row(t.id(), slot.key, v.row);
            }
        }
    }

    /**
     * Reclaims row versions no open snapshot can see, deleted keys, storage of dropped tables and
     * old catalog versions. Runs in the background; callable directly (tests).
     */
    public void vacuum() {
        // One pass at a time: a direct call must not find a table marked pruned by a background
        // pass still walking it, and return before that pass has reclaimed anything.
        synchronized (vacuumLock) {
            vacuumPass();
        }
    }

    private void vacuumPass() {
        long horizon = snapshots.horizon();
        long removeUpTo = Math.min(horizon, tombstoneFloor);
        for (VersionedTable vt : tables.values()) {
            List<VersionedTable.Slot> dead = vt.prune(horizon, removeUpTo);
            if (!dead.isEmpty()) {
                commitLock.lock();
                try {
                    for (VersionedTable.Slot slot : dead) {
                        vt.removeIfDead(slot, removeUpTo);
                    }
                } finally {
                    commitLock.unlock();
                }
            }
        }
        for (var it = dropped.iterator(); it.hasNext(); ) {
            long[] d = it.next();
            if (d[0] <= horizon) {
                commitLock.lock();
                try {
                    if (latestCatalog.tableById(d[1]) == null && latestCatalog.indexById(d[1]) == null) {
                        tables.remove(d[1]);
                    }
                } finally {
                    commitLock.unlock();
                }
                it.remove();
            }
        }
        Long floor = catalogs.floorKey(horizon);
        if (floor != null) {
            catalogs.headMap(floor, false).clear();
        }
    }

    /**
     * Whether a background checkpoint is due: something changed, and either the log has grown by
     * {@link RowStoreOptions#checkpointWalBytes} and by as many bytes as the last checkpoint holds,
     * or {@link RowStoreOptions#checkpointInterval} has passed. A delta checkpoint writes only
     * what changed, but every {@link Checkpointer#MAX_DELTAS} deltas (or once replaced bytes
     * outweigh live ones) a full one rewrites every row, so a fixed log threshold would make a
     * growing table's checkpoints cost more and more per byte written (with 64 MiB and full
     * checkpoints only, a table of 10M rows was rewritten every few seconds, a full core of a
     * two-core machine, during an insert load); waiting for as many bytes of log as the
     * checkpoint's live rows hold keeps the full rewrites' work per byte of log below one and the
     * number of deltas of a growing table logarithmic, at the price of a replay after a crash of
     * at most about the checkpoint's own size.
     */
    boolean checkpointDue() {
        synchronized (checkpointLock) {
            long walBytes = wal.endLsn() - lastCheckpointLsn;
            boolean changed = snapshots.visibleTs() != lastCheckpointTs;
            long liveBytes = checkpoint == null ? 0 : checkpoint.bytes() - checkpoint.replacedBytes();
            return changed && (walBytes >= Math.max(options.checkpointWalBytes(), liveBytes)
                    || System.nanoTime() - lastCheckpointNanos >= options.checkpointInterval().toNanos());
        }
    }

    private void startMaintenance() {
        maintenance = new Thread(this::maintenanceLoop, "duet-maintenance" + (dir == null ? "" : "-" + dir.getFileName()));
        maintenance.setDaemon(true);
        maintenance.start();
    }

    private void maintenanceLoop() {
        long interval = options.maintenanceInterval().toNanos();
        while (!closed) {
            maintenanceLock.lock();
            try {
                if (!closed) {
                    maintenanceWake.awaitNanos(interval);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                maintenanceLock.unlock();
            }
            if (closed || failure != null) {
                return;
            }
            try {
                vacuum();
                if (dir != null && checkpointDue()) {
                    checkpointNow();
                }
            } catch (RuntimeException e) {
                // The WAL is kept until a checkpoint succeeds, so nothing is lost; say why it failed
                // and keep going: a later checkpoint may succeed (e.g. once disk space is freed).
                LOG.log(System.Logger.Level.WARNING, "background maintenance of " + (dir == null ? "(memory)" : dir)
                        + " failed: " + e.getMessage(), e);
            }
        }
    }

    // ------------------------------------------------------------------ state

    /** Timestamp of the newest visible commit. */
    public long lastCommitTimestamp() {
        return snapshots.visibleTs();
    }

    /**
     * The oldest snapshot any open or future transaction may read at: versions deleted at or
     * before it are invisible to every reader (what the column store's compaction may drop).
     */
    public long oldestSnapshot() {
        return snapshots.horizon();
    }

    /** Number of open snapshots (transactions not yet ended). */
    public int openSnapshots() {
        return snapshots.openCount();
    }

    /** Number of stored versions of all keys of a table, live and old (tests of reclamation). */
    public long versionCount(long tableId) {
        VersionedTable vt = tables.get(tableId);
        if (vt == null) {
            return 0;
        }
        long n = 0;
        for (VersionedTable.Slot slot : vt.slots()) {
            for (RowVersion v = slot.head; v != null; v = v.older) {
                n++;
            }
        }
        return n;
    }

    /** The database directory, or null for an in-memory database. */
    public Path directory() {
        return dir;
    }

    /** WAL position after the newest appended record (0 for in-memory). */
    public long walEndLsn() {
        return wal == null ? 0 : wal.endLsn();
    }

    /** How many times the WAL has been forced to disk since the database opened (0 for in-memory). */
    public long walSyncCount() {
        WalWriter w = wal;
        return w == null ? 0 : w.syncCount();
    }

    void checkOpen() {
        DuetException f = failure;
        if (f != null) {
            throw new DuetException(f.state(), "database " + (dir == null ? "(memory)" : dir)
                    + " failed and must be reopened: " + f.getMessage(), f);
        }
        if (closed) {
            throw DuetException.of(SqlState.CONNECTION_DOES_NOT_EXIST, "database %s is closed",
                    dir == null ? "(memory)" : dir);
        }
    }

    private void fail(DuetException e) {
        if (failure == null) {
            failure = e;
            LOG.log(System.Logger.Level.ERROR, "database " + dir + " stopped accepting writes: " + e.getMessage(), e);
        }
    }

    /**
     * Closes the database: stops background work, writes a final checkpoint (so the next open
     * replays nothing), flushes the WAL and releases the directory lock. Idempotent.
     */
    @Override
    public void close() {
        commitLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            commitLock.unlock();
        }
        maintenanceLock.lock();
        try {
            maintenanceWake.signalAll();
        } finally {
            maintenanceLock.unlock();
        }
        if (maintenance != null) {
            try {
                maintenance.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (dir != null && failure == null && options.checkpointOnClose()) {
                checkpointNow();
            }
        } catch (RuntimeException e) {
            // Nothing is lost: the WAL still holds every commit and the next open replays it.
            LOG.log(System.Logger.Level.WARNING, "final checkpoint of " + dir + " failed; the next open will replay the WAL", e);
        }
        closeFiles(failure == null);
    }

    private void closeFiles() {
        closeFiles(false);
    }

    /** Closes the WAL and releases the lock; {@code clean} records a clean shutdown if the WAL closed fine. */
    private void closeFiles(boolean clean) {
        boolean walClosed = false;
        try {
            if (wal != null) {
                wal.close();
            }
            walClosed = true;
        } finally {
            if (lock != null) {
                if (clean && walClosed) {
                    try {
                        lock.markClean();
                    } catch (IOException e) {
                        LOG.log(System.Logger.Level.WARNING, "could not record the clean close of " + dir + ": " + e);
                    }
                }
                try {
                    lock.close();
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not release lock of " + dir + ": " + e);
                }
            }
        }
    }
}
