package dev.duet.rowstore;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.catalog.ViewDef;
import dev.duet.core.types.DataType;
import dev.duet.core.types.KeyCodec;
import dev.duet.core.types.RowCodec;
import dev.duet.core.types.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A snapshot-isolation transaction. It reads the database as of the commit that was newest when it
 * began, plus its own writes; its writes stay private until {@link #commit()}, which fails with
 * 40001 if another transaction committed a change to one of the same rows after this one began
 * (first committer wins). A statement that fails (duplicate key, NOT NULL, bad value) changes
 * nothing and leaves the transaction usable. Write skew is allowed: this is snapshot isolation,
 * not serializability.
 *
 * <p>A transaction is used by one thread at a time. Always close it: closing an uncommitted
 * transaction rolls it back and releases its snapshot (old row versions are kept while any
 * snapshot can see them).
 */
public final class Transaction implements AutoCloseable {
    /** Marks a deleted key in the write set (encoded rows are never empty). */
    static final byte[] DELETED = new byte[0];

    private enum State { ACTIVE, COMMITTED, ROLLED_BACK }

    private final RowStore store;
    private final long snapshotTs;
    private final boolean readOnly;
    private final Catalog snapshotCatalog;
    private State state = State.ACTIVE;

    /** The catalog as this transaction sees it: the snapshot's, plus its own DDL. */
    private Catalog catalog;
    /** Catalog changes in order; replayed against the latest catalog at commit. */
    final List<CommitRecord.DdlOp> ddl = new ArrayList<>();
    /** Table id → (key → new row or {@link #DELETED}), in key order for merged scans. */
    final Map<Long, TreeMap<byte[], byte[]>> writes = new HashMap<>();
    /** Tables created by this transaction, not yet in the store. */
    final Map<Long, VersionedTable> createdTables = new HashMap<>();
    /**
     * Index id → (entry key → the row's primary key, or {@link #DELETED}): the index changes of this
     * transaction's row writes, for the indexes its catalog has (see {@link IndexKeys}).
     */
    final Map<Long, TreeMap<byte[], byte[]>> indexWrites = new HashMap<>();
    /** Indexes created by this transaction: built whole from the rows at commit. */
    final Set<Long> createdIndexes = new HashSet<>();
    /**
     * Index id → {entry key, encoded values} of each entry this transaction added to a unique index
     * with all values non-null: commit checks them against entries committed meanwhile. An entry
     * removed again later is skipped then (its {@link #indexWrites} value is {@link #DELETED}).
     */
    final Map<Long, List<byte[][]>> uniqueEntries = new HashMap<>();
    /** Encoders of the indexes this transaction has used, by index id. */
    private final Map<Long, IndexKeys> indexKeys = new HashMap<>();
    /** Open savepoints, oldest first; while any is open, {@link #undo} records every write. */
    private final List<Savepoint> savepoints = new ArrayList<>();
    /** How to take back the writes made since the oldest open savepoint, in write order. */
    private final List<Undo> undo = new ArrayList<>();

    /**
     * One change to take back in {@code map} ({@link #writes} or {@link #indexWrites}): the key's
     * previous entry ({@code previous} null if the key had none), or, with a null {@code key}, a
     * whole table's or index's write map removed by DROP TABLE or DROP INDEX.
     */
    private record Undo(Map<Long, TreeMap<byte[], byte[]>> map, long id, byte[] key, byte[] previous,
            TreeMap<byte[], byte[]> whole) {
    }

    /**
     * A point inside a transaction to roll back to, taken with {@link #savepoint()}: the SQL layer
     * takes one before each statement so that a failed statement leaves none of its writes. Valid
     * until released, until a savepoint taken before it is rolled back to or released, or until
     * the transaction ends.
     */
    public static final class Savepoint {
        private final Transaction owner;
        private final int undoMark;
        private final int ddlMark;
        private final Catalog catalog;
        private final Map<Long, VersionedTable> createdTables;
        private final Set<Long> createdIndexes;
        /**
         * Each index's unique-entry list and its length then: the lists only grow (or go whole with
         * their index), so cutting each back to its length restores them.
         */
        private final Map<Long, List<byte[][]>> uniqueEntries;
        private final Map<Long, Integer> uniqueCounts;

        private Savepoint(Transaction owner) {
            this.owner = owner;
            this.undoMark = owner.undo.size();
            this.ddlMark = owner.ddl.size();
            this.catalog = owner.catalog;
            this.createdTables = owner.createdTables.isEmpty() ? Map.of() : new HashMap<>(owner.createdTables);
            this.createdIndexes = owner.createdIndexes.isEmpty() ? Set.of() : new HashSet<>(owner.createdIndexes);
            if (owner.uniqueEntries.isEmpty()) {
                this.uniqueEntries = Map.of();
                this.uniqueCounts = Map.of();
            } else {
                this.uniqueEntries = new HashMap<>(owner.uniqueEntries);
                this.uniqueCounts = new HashMap<>();
                owner.uniqueEntries.forEach((id, list) -> uniqueCounts.put(id, list.size()));
            }
        }
    }

    Transaction(RowStore store, long snapshotTs, Catalog catalog, boolean readOnly) {
        this.store = store;
        this.snapshotTs = snapshotTs;
        this.readOnly = readOnly;
        this.snapshotCatalog = catalog;
        this.catalog = catalog;
    }

    /** The commit timestamp this transaction reads at. */
    public long snapshot() {
        return snapshotTs;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public boolean isActive() {
        return state == State.ACTIVE;
    }

    /** The catalog as this transaction sees it. */
    public Catalog catalog() {
        return catalog;
    }

    Catalog snapshotCatalog() {
        return snapshotCatalog;
    }

    // ---------------------------------------------------------------- names

    /** Resolves {@code name} or {@code schema.name} (default schema {@code public}); 42P01 if absent. */
    public TableDef table(String name) {
        String[] n = resolve(name);
        return catalog.table(n[0], n[1]);
    }

    /** The view named {@code name} or {@code schema.name}, or null. */
    public ViewDef findView(String name) {
        String[] n = resolve(name);
        return catalog.findView(n[0], n[1]);
    }

    /** The index named {@code name} or {@code schema.name}, or null. */
    public IndexDef findIndex(String name) {
        String[] n = resolve(name);
        return catalog.findIndex(n[0], n[1]);
    }

    /** {schema, name} of {@code name} or {@code schema.name}. */
    private String[] resolve(String name) {
        Objects.requireNonNull(name, "name is null");
        int dot = name.indexOf('.');
        if (dot > 0 && catalog.hasSchema(name.substring(0, dot))) {
            return new String[] {name.substring(0, dot), name.substring(dot + 1)};
        }
        return new String[] {Catalog.DEFAULT_SCHEMA, name};
    }

    // ---------------------------------------------------------------- DDL

    public void createSchema(String schema) {
        checkWritable();
        catalog = catalog.withSchema(schema);
        ddl.add(new CommitRecord.DdlOp(CommitRecord.CREATE_SCHEMA, schema, null));
    }

    public void dropSchema(String schema) {
        checkWritable();
        catalog = catalog.withoutSchema(schema);
        ddl.add(new CommitRecord.DdlOp(CommitRecord.DROP_SCHEMA, schema, null));
    }

    /** Creates a table (its id is assigned here) and returns the definition with that id. */
    public TableDef createTable(TableDef spec) {
        checkWritable();
        Catalog next = catalog.withNewTable(spec);
        TableDef created = next.findTable(spec.schema(), spec.name());
        catalog = next;
        createdTables.put(created.id(), new VersionedTable(created.id()));
        ddl.add(new CommitRecord.DdlOp(CommitRecord.CREATE_TABLE, null, created));
        return created;
    }

    /** Drops a table and its indexes; 42P01 if absent, 2BP01 if a view reads it. */
    public void dropTable(String name) {
        checkWritable();
        TableDef t = table(name);
        List<IndexDef> indexes = catalog.indexes(t.id());
        catalog = catalog.withoutTable(t.id());
        for (IndexDef i : indexes) {
            TreeMap<byte[], byte[]> droppedEntries = indexWrites.remove(i.id());
            if (droppedEntries != null && !savepoints.isEmpty()) {
                undo.add(new Undo(indexWrites, i.id(), null, null, droppedEntries));
            }
            createdIndexes.remove(i.id());
            uniqueEntries.remove(i.id());
        }
        TreeMap<byte[], byte[]> dropped = writes.remove(t.id());
        if (dropped != null && !savepoints.isEmpty()) {
            undo.add(new Undo(writes, t.id(), null, null, dropped));
        }
        createdTables.remove(t.id());
        ddl.add(new CommitRecord.DdlOp(CommitRecord.DROP_TABLE, null, t));
    }

    /**
     * Creates a view (or replaces the view of that name when {@code orReplace}); 42P07 if another
     * relation has the name. The view's text is not checked here: the SQL layer plans it first.
     */
    public void createView(ViewDef view, boolean orReplace) {
        checkWritable();
        Objects.requireNonNull(view, "view is null");
        catalog = catalog.withView(view, orReplace);
        ddl.add(CommitRecord.DdlOp.view(CommitRecord.CREATE_VIEW, view, orReplace));
    }

    /** Drops the view named {@code name} or {@code schema.name}; 42P01 if there is none. */
    public void dropView(String name) {
        checkWritable();
        String[] n = resolve(name);
        ViewDef v = catalog.findView(n[0], n[1]);
        catalog = catalog.withoutView(n[0], n[1]);
        ddl.add(CommitRecord.DdlOp.view(CommitRecord.DROP_VIEW, v, false));
    }

    /**
     * Creates an index (its id is assigned here) over the rows this transaction sees and returns the
     * definition with that id; 42P07 if the name is taken, 23505 if it is unique and two rows have
     * the same non-null values. Its entries are built at commit from the newest committed rows and
     * this transaction's writes.
     */
    public IndexDef createIndex(IndexDef spec) {
        checkWritable();
        Objects.requireNonNull(spec, "spec is null");
        TableDef t = catalog.tableById(spec.tableId());
        if (t == null) {
            throw DuetException.of(SqlState.UNDEFINED_TABLE, "table of index \"%s\" does not exist", spec.name());
        }
        Catalog next = catalog.withNewIndex(spec);
        IndexDef created = next.findIndex(spec.schema(), spec.name());
        if (created.unique()) {
            IndexKeys keys = new IndexKeys(t, created);
            TreeMap<byte[], Object[]> seen = new TreeMap<>(VersionedTable.KEY_ORDER);
            for (EncodedRows it = mergedScan(t.id(), null, null); it.next(); ) {
                Object[] row = t.rowCodec().decode(it.row());
                if (keys.allNonNull(row) && seen.put(keys.values(row), row) != null) {
                    throw DuetException.of(SqlState.UNIQUE_VIOLATION,
                            "could not create unique index \"%s\": key (%s) is duplicated", created.name(),
                            describeIndexKey(t, created, row));
                }
            }
        }
        catalog = next;
        createdIndexes.add(created.id());
        ddl.add(CommitRecord.DdlOp.index(CommitRecord.CREATE_INDEX, created));
        return created;
    }

    /** Drops the index named {@code name} or {@code schema.name}; 42704 if there is none. */
    public void dropIndex(String name) {
        checkWritable();
        String[] n = resolve(name);
        IndexDef i = catalog.findIndex(n[0], n[1]);
        if (i == null) {
            throw DuetException.of(SqlState.UNDEFINED_OBJECT, "index \"%s\" does not exist", n[1]);
        }
        catalog = catalog.withoutIndex(i.id());
        TreeMap<byte[], byte[]> dropped = indexWrites.remove(i.id());
        if (dropped != null && !savepoints.isEmpty()) {
            undo.add(new Undo(indexWrites, i.id(), null, null, dropped));
        }
        createdIndexes.remove(i.id());
        uniqueEntries.remove(i.id());
        ddl.add(CommitRecord.DdlOp.index(CommitRecord.DROP_INDEX, i));
    }

    // ---------------------------------------------------------------- reads

    /**
     * True if this transaction has written rows of table {@code tableId}, or created it: those
     * writes are seen only through this transaction's own reads of the row store.
     */
    public boolean hasWrites(long tableId) {
        TreeMap<byte[], byte[]> w = writes.get(tableId);
        return w != null && !w.isEmpty() || createdTables.containsKey(tableId);
    }

    /** The row with this primary key, or null. Tables without a primary key have no key lookups. */
    public Row get(String table, Object... key) {
        checkActive();
        TableDef t = table(table);
        byte[] k = encodeKey(t, key);
        byte[] row = read(t.id(), k);
        return row == null ? null : new Row(t, k, t.rowCodec().decode(row));
    }

    /**
     * The row with this primary key in the table of id {@code tableId} as this transaction's
     * catalog has it (42P01 if it has none), or null: {@link #get(String, Object...)} without
     * resolving a name, for callers that hold the table's definition (a planned statement).
     */
    public Row get(long tableId, Object... key) {
        checkActive();
        TableDef t = tableById(tableId);
        byte[] k = encodeKey(t, key);
        byte[] row = read(tableId, k);
        return row == null ? null : new Row(t, k, t.rowCodec().decode(row));
    }

    /** The table of id {@code tableId} in this transaction's catalog; 42P01 if it has none. */
    private TableDef tableById(long tableId) {
        TableDef t = catalog.tableById(tableId);
        if (t == null) {
            throw DuetException.of(SqlState.UNDEFINED_TABLE, "relation with id %d does not exist", tableId);
        }
        return t;
    }

    /** Every row of the table in key order (row-id order for tables without a primary key). */
    public RowCursor scan(String table) {
        return scan(table, KeyRange.all());
    }

    /** The rows whose primary key falls in {@code range}, in key order. */
    public RowCursor scan(String table, KeyRange range) {
        checkActive();
        TableDef t = table(table);
        return cursor(t, encodedScan(t, range));
    }

    /** Decodes the encoded (key, row) pairs of {@code t} into a cursor of rows. */
    private static RowCursor cursor(TableDef t, EncodedRows rows) {
        RowCodec codec = t.rowCodec();
        return new RowCursor(new Iterator<>() {
            /** Whether {@code rows} has been moved to the row {@link #next()} returns; {@code more} is what it said. */
            private boolean ahead;
            private boolean more;

            @Override
            public boolean hasNext() {
                if (!ahead) {
                    more = rows.next();
                    ahead = true;
                }
                return more;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ahead = false;
                return new Row(t, rows.key(), codec.decode(rows.row()));
            }
        });
    }

    /**
     * The rows whose values in the leading columns of secondary index {@code index} fall in
     * {@code range} (bounds are non-null values of those columns), in primary-key order; 42704 if
     * there is no such index.
     */
    public RowCursor scanIndex(String index, KeyRange range) {
        checkActive();
        Objects.requireNonNull(range, "range is null");
        IndexDef def = findIndex(index);
        if (def == null) {
            throw DuetException.of(SqlState.UNDEFINED_OBJECT, "index \"%s\" does not exist", index);
        }
        TableDef t = catalog.tableById(def.tableId());
        return cursor(t, indexScan(t, def, List.of(range)));
    }

    /**
     * The encoded (key, row) pairs {@link #scan(String, KeyRange)} returns, in the same order,
     * undecoded: for operators that decode rows straight into column vectors. Like a cursor it
     * reads lazily and stays valid while the transaction is open and does not write to the table.
     */
    EncodedRows encodedScan(TableDef t, KeyRange range) {
        checkActive();
        Objects.requireNonNull(range, "range is null");
        byte[] from = null;
        byte[] to = null;
        if (range.low != null || range.high != null) {
            if (!t.hasPrimaryKey()) {
                throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                        "table \"%s\" has no primary key to scan a range of", t.name());
            }
            KeyCodec codec = t.keyCodec();
            if (range.low != null) {
                byte[] p = codec.encodePrefix(coerceKeyPrefix(t, range.low), range.low.length);
                from = range.lowInclusive ? p : KeyCodec.prefixEnd(p);
                if (from == null) {
                    return EncodedRows.empty();
                }
            }
            if (range.high != null) {
                byte[] p = codec.encodePrefix(coerceKeyPrefix(t, range.high), range.high.length);
                to = range.highInclusive ? KeyCodec.prefixEnd(p) : p;
            }
        }
        return mergedScan(t.id(), from, to);
    }

    /**
     * The encoded (key, row) pairs of every row whose primary key falls in any of {@code ranges}, in
     * key order, each row once (overlapping ranges are merged). A range whose bounds are the same
     * complete key is a point lookup through the hash index. Bound values are compared, not stored:
     * a string longer than its column cannot match but is a valid bound.
     */
    EncodedRows encodedScan(TableDef t, List<KeyRange> ranges) {
        checkActive();
        if (!t.hasPrimaryKey()) {
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                    "table \"%s\" has no primary key to scan a range of", t.name());
        }
        KeyCodec codec = t.keyCodec();
        List<byte[][]> spans = new ArrayList<>(ranges.size());
        for (KeyRange r : ranges) {
            boolean point = r.low != null && r.high != null && r.lowInclusive && r.highInclusive
                    && r.low.length == t.primaryKeyLength() && Arrays.equals(r.low, r.high);
            byte[][] span = span(r, v -> codec.encodePrefix(coerceKeyPrefix(t, v), v.length));
            if (span != null) {
                spans.add(point ? new byte[][] {span[0], span[1], span[0]} : span);
            }
        }
        return new SpanRows(t.id(), merge(spans));
    }

    /**
     * The rows of table {@code tableId} in each of {@code spans} in turn ({from, to}: a merged scan
     * of that key range; {from, to, key}: a point lookup of {@code key}), each span opened lazily.
     */
    private final class SpanRows extends EncodedRows {
        private final long tableId;
        private final List<byte[][]> spans;
        private int nextSpan;
        /** The merged scan of the current range span, or null. */
        private EncodedRows current;

        SpanRows(long tableId, List<byte[][]> spans) {
            this.tableId = tableId;
            this.spans = spans;
        }

        @Override
        boolean next() {
            while (true) {
                if (current != null) {
                    if (current.next()) {
                        return at(current.key(), current.row());
                    }
                    current = null;
                }
                if (nextSpan == spans.size()) {
                    return end();
                }
                byte[][] span = spans.get(nextSpan++);
                if (span.length == 3) {
                    byte[] found = read(tableId, span[2]);
                    if (found != null) {
                        return at(span[2], found);
                    }
                } else {
                    current = mergedScan(tableId, span[0], span[1]);
                }
            }
        }
    }

    /**
     * The encoded (key, row) pairs of the rows whose values in {@code index}'s leading columns fall
     * in any of {@code ranges} (bounds are values of those columns, non-null), in primary-key
     * order, each row once. Candidates come from the index entries visible at the snapshot and
     * those this transaction wrote; if it wrote to the table, each candidate row is checked again
     * (an entry of the snapshot may belong to a row this transaction changed since). An index this
     * transaction created is not built until commit: its lookups check every row of the table.
     */
    EncodedRows indexScan(TableDef t, IndexDef index, List<KeyRange> ranges) {
        checkActive();
        IndexKeys keys = indexKeys(t, index);
        List<byte[][]> spans = merge(spansOf(ranges, keys));
        VersionedTable entries = committedIndex(index);
        if (entries == null) {
            return new Matching(t, keys, spans, mergedScan(t.id(), null, null));
        }
        TreeMap<byte[], byte[]> own = indexWrites.get(index.id());
        java.util.TreeSet<byte[]> pks = new java.util.TreeSet<>(VersionedTable.KEY_ORDER);
        for (byte[][] span : spans) {
            for (VersionedTable.Slot slot : entries.range(span[0], span[1])) {
                byte[] pk = RowVersion.visibleRow(slot.head, snapshotTs);
                if (pk != null) {
                    pks.add(pk);
                }
            }
            if (own != null) {
                for (byte[] pk : range(own, span[0], span[1]).values()) {
                    if (pk != DELETED) {
                        pks.add(pk);
                    }
                }
            }
        }
        long tableId = t.id();
        Iterator<byte[]> it = pks.iterator();
        EncodedRows rows = new EncodedRows() {
            @Override
            boolean next() {
                while (it.hasNext()) {
                    byte[] pk = it.next();
                    byte[] found = read(tableId, pk);
                    if (found != null) {
                        return at(pk, found);
                    }
                }
                return end();
            }
        };
        return writes.containsKey(tableId) ? new Matching(t, keys, spans, rows) : rows;
    }

    /** The rows of a cursor whose indexed values fall in one of the spans. */
    private static final class Matching extends EncodedRows {
        private final TableDef table;
        private final IndexKeys keys;
        private final List<byte[][]> spans;
        private final EncodedRows rows;

        Matching(TableDef table, IndexKeys keys, List<byte[][]> spans, EncodedRows rows) {
            this.table = table;
            this.keys = keys;
            this.spans = spans;
            this.rows = rows;
        }

        @Override
        boolean next() {
            while (rows.next()) {
                if (inAny(spans, keys.values(table.rowCodec().decode(rows.row())))) {
                    return at(rows.key(), rows.row());
                }
            }
            return end();
        }
    }

    /** True if {@code key} is in one of {@code spans} ({from inclusive, to exclusive}, null: open). */
    private static boolean inAny(List<byte[][]> spans, byte[] key) {
        for (byte[][] s : spans) {
            if ((s[0] == null || VersionedTable.KEY_ORDER.compare(key, s[0]) >= 0)
                    && (s[1] == null || VersionedTable.KEY_ORDER.compare(key, s[1]) < 0)) {
                return true;
            }
        }
        return false;
    }

    private static List<byte[][]> spansOf(List<KeyRange> ranges, IndexKeys keys) {
        List<byte[][]> spans = new ArrayList<>(ranges.size());
        for (KeyRange r : ranges) {
            byte[][] span = span(r, keys::prefix);
            if (span != null) {
                spans.add(span);
            }
        }
        return spans;
    }

    /** {from (inclusive), to (exclusive)} of a range (null: open), or null if it is empty. */
    private static byte[][] span(KeyRange r, java.util.function.Function<Object[], byte[]> encode) {
        byte[] from = null;
        byte[] to = null;
        if (r.low != null) {
            byte[] p = encode.apply(r.low);
            from = r.lowInclusive ? p : KeyCodec.prefixEnd(p);
            if (from == null) {
                return null;
            }
        }
        if (r.high != null) {
            byte[] p = encode.apply(r.high);
            to = r.highInclusive ? KeyCodec.prefixEnd(p) : p;
        }
        if (from != null && to != null && VersionedTable.KEY_ORDER.compare(from, to) >= 0) {
            return null;
        }
        return new byte[][] {from, to};
    }

    /** Spans sorted by start and merged where they overlap (a merged point stops being one). */
    private static List<byte[][]> merge(List<byte[][]> spans) {
        spans.sort((a, b) -> a[0] == null ? (b[0] == null ? 0 : -1) : b[0] == null ? 1 : VersionedTable.KEY_ORDER.compare(a[0], b[0]));
        List<byte[][]> out = new ArrayList<>(spans.size());
        for (byte[][] s : spans) {
            byte[][] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && (last[1] == null || s[0] == null || VersionedTable.KEY_ORDER.compare(s[0], last[1]) < 0)) {
                if (last.length == 3 && s.length == 3 && Arrays.equals(last[2], s[2])) {
                    continue; // the same point twice
                }
                byte[] end = last[1] == null || s[1] == null ? null
                        : VersionedTable.KEY_ORDER.compare(last[1], s[1]) >= 0 ? last[1] : s[1];
                out.set(out.size() - 1, new byte[][] {last[0], end});
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** Number of rows visible to this transaction. */
    public long count(String table) {
        checkActive();
        TableDef t = table(table);
        long n = 0;
        for (EncodedRows it = mergedScan(t.id(), null, null); it.next(); ) {
            n++;
        }
        return n;
    }

    /** The encoded row visible to this transaction, or null. */
    byte[] read(long tableId, byte[] key) {
        TreeMap<byte[], byte[]> w = writes.get(tableId);
        if (w != null) {
            byte[] row = w.get(key);
            if (row != null) {
                return row == DELETED ? null : row;
            }
        }
        VersionedTable vt = committedTable(tableId);
        return vt == null ? null : RowVersion.visibleRow(vt.head(key), snapshotTs);
    }

    /** Store rows at the snapshot merged with the write set, key order, within [from, to). */
    private EncodedRows mergedScan(long tableId, byte[] from, byte[] to) {
        VersionedTable vt = committedTable(tableId);
        TreeMap<byte[], byte[]> w = writes.get(tableId);
        return new MergedRows(vt == null ? null : vt.range(from, to).iterator(), w == null ? null : range(w, from, to),
                snapshotTs);
    }

    /**
     * The committed rows visible at a snapshot merged with a transaction's writes in key order: a
     * key the transaction wrote shows its write ({@link #DELETED}: no row), every other key its
     * version visible at the snapshot (none if absent or deleted then). Iterating the write map's
     * entries and the table's slots allocates nothing per row.
     */
    private static final class MergedRows extends EncodedRows {
        private final Iterator<VersionedTable.Slot> base;
        private final Iterator<Map.Entry<byte[], byte[]>> own;
        private final long snapshot;
        /** The next committed key with a row visible at the snapshot, and that row (null key: none left). */
        private byte[] baseKey;
        private byte[] baseRow;
        /** The next own write, or null. */
        private Map.Entry<byte[], byte[]> write;

        MergedRows(Iterator<VersionedTable.Slot> base, NavigableMap<byte[], byte[]> own, long snapshot) {
            this.base = base;
            this.own = own == null ? null : own.entrySet().iterator();
            this.snapshot = snapshot;
            advanceBase();
            advanceOwn();
        }

        private void advanceBase() {
            if (base != null) {
                while (base.hasNext()) {
                    VersionedTable.Slot s = base.next();
                    byte[] r = RowVersion.visibleRow(s.head, snapshot);
                    if (r != null) {
                        baseKey = s.key;
                        baseRow = r;
                        return;
                    }
                }
            }
            baseKey = null;
            baseRow = null;
        }

        private void advanceOwn() {
            write = own != null && own.hasNext() ? own.next() : null;
        }

        @Override
        boolean next() {
            while (baseKey != null || write != null) {
                int c = baseKey == null ? 1 : write == null ? -1 : VersionedTable.KEY_ORDER.compare(baseKey, write.getKey());
                if (c < 0) {
                    byte[] k = baseKey;
                    byte[] r = baseRow;
                    advanceBase();
                    return at(k, r);
                }
                byte[] k = write.getKey();
                byte[] r = write.getValue();
                advanceOwn();
                if (c == 0) {
                    advanceBase(); // our write shadows the committed version
                }
                if (r != DELETED) {
                    return at(k, r);
                }
            }
            return end();
        }
    }

    private static NavigableMap<byte[], byte[]> range(TreeMap<byte[], byte[]> m, byte[] from, byte[] to) {
        if (from == null && to == null) {
            return m;
        }
        if (from == null) {
            return m.headMap(to, false);
        }
        if (to == null || VersionedTable.KEY_ORDER.compare(from, to) >= 0) {
            return to == null ? m.tailMap(from, true) : m.subMap(from, true, from, false);
        }
        return m.subMap(from, true, to, false);
    }

    // ---------------------------------------------------------------- writes

    /** Inserts a row given all values in column order; 23505 if its key exists. */
    public void insert(String table, Object... values) {
        checkWritable();
        insertValues(table(table), values);
    }

    /**
     * As {@link #insert(String, Object...)}, into the table of id {@code tableId} in this
     * transaction's catalog (42P01 if none): for callers that hold the table's definition (a
     * planned statement), without resolving a name.
     */
    public void insert(long tableId, Object... values) {
        checkWritable();
        insertValues(tableById(tableId), values);
    }

    private void insertValues(TableDef t, Object[] values) {
        if (values.length != t.columnCount()) {
            throw DuetException.of(SqlState.SYNTAX_ERROR, "table \"%s\" has %d columns but %d values were given",
                    t.name(), t.columnCount(), values.length);
        }
        Object[] row = new Object[values.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = Values.coerce(t.column(i).type(), values[i], t.column(i).name());
        }
        insertCoerced(t, row);
    }

    /** Inserts a row given by column name; unnamed columns take their default (or NULL). */
    public void insert(String table, Map<String, ?> values) {
        checkWritable();
        TableDef t = table(table);
        Object[] row = new Object[t.columnCount()];
        for (int i = 0; i < row.length; i++) {
            row[i] = t.column(i).defaultValue();
        }
        for (Map.Entry<String, ?> e : values.entrySet()) {
            int c = t.requireColumn(e.getKey());
            row[c] = Values.coerce(t.column(c).type(), e.getValue(), e.getKey());
        }
        insertCoerced(t, row);
    }

    private void insertCoerced(TableDef t, Object[] row) {
        checkNotNull(t, row);
        byte[] key;
        if (t.hasPrimaryKey()) {
            key = t.keyCodec().encode(keyValues(t, row));
            if (keyTaken(t.id(), key)) {
                throw duplicateKey(t, row);
            }
        } else {
            key = KeyCodec.encodeRowId(tableFor(t.id()).nextRowId.getAndIncrement());
        }
        byte[] encoded = t.rowCodec().encode(row);
        if (!catalog.indexes(t.id()).isEmpty()) {
            checkUnique(t, null, null, key, row);
            maintainIndexes(t, null, null, key, row);
        }
        write(t.id(), key, encoded);
    }

    /** Sets the named columns of the row with primary key {@code key}; false if there is none. */
    public boolean update(String table, Object[] key, Map<String, ?> changes) {
        checkWritable();
        TableDef t = table(table);
        byte[] k = encodeKey(t, key);
        return updateAt(t, k, changes);
    }

    /** As {@link #update(String, Object[], Map)}, in the table of id {@code tableId} (see {@link #insert(long, Object...)}). */
    public boolean update(long tableId, Object[] key, Map<String, ?> changes) {
        checkWritable();
        TableDef t = tableById(tableId);
        return updateAt(t, encodeKey(t, key), changes);
    }

    /** Sets the named columns of a row previously read in this transaction; false if it is gone. */
    public boolean update(Row row, Map<String, ?> changes) {
        checkWritable();
        TableDef t = table(row.table().qualifiedName());
        return updateAt(t, row.key(), changes);
    }

    private boolean updateAt(TableDef t, byte[] key, Map<String, ?> changes) {
        byte[] current = read(t.id(), key);
        if (current == null) {
            return false;
        }
        checkNoNewerCommit(t, key);
        Object[] row = t.rowCodec().decode(current);
        Object[] old = catalog.indexes(t.id()).isEmpty() ? null : row.clone();
        boolean keyChanged = false;
        for (Map.Entry<String, ?> e : changes.entrySet()) {
            int c = t.requireColumn(e.getKey());
            Object v = Values.coerce(t.column(c).type(), e.getValue(), e.getKey());
            if (isKeyColumn(t, c) && !Values.equal(t.column(c).type(), v, row[c])) {
                keyChanged = true;
            }
            row[c] = v;
        }
        checkNotNull(t, row);
        byte[] encoded = t.rowCodec().encode(row);
        byte[] newKey = keyChanged ? t.keyCodec().encode(keyValues(t, row)) : key;
        if (keyChanged && keyTaken(t.id(), newKey)) {
            throw duplicateKey(t, row);
        }
        if (old != null) {
            checkUnique(t, key, old, newKey, row);
            maintainIndexes(t, key, old, newKey, row);
        }
        if (!keyChanged) {
            write(t.id(), key, encoded);
            return true;
        }
        write(t.id(), key, DELETED);
        write(t.id(), newKey, encoded);
        return true;
    }

    /** Deletes the row with primary key {@code key}; false if there is none. */
    public boolean delete(String table, Object... key) {
        checkWritable();
        TableDef t = table(table);
        return deleteAt(t, encodeKey(t, key));
    }

    /** As {@link #delete(String, Object...)}, in the table of id {@code tableId} (see {@link #insert(long, Object...)}). */
    public boolean delete(long tableId, Object... key) {
        checkWritable();
        TableDef t = tableById(tableId);
        return deleteAt(t, encodeKey(t, key));
    }

    /** Deletes a row previously read in this transaction; false if it is already gone. */
    public boolean delete(Row row) {
        checkWritable();
        TableDef t = table(row.table().qualifiedName());
        return deleteAt(t, row.key());
    }

    private boolean deleteAt(TableDef t, byte[] key) {
        byte[] current = read(t.id(), key);
        if (current == null) {
            return false;
        }
        checkNoNewerCommit(t, key);
        if (!catalog.indexes(t.id()).isEmpty()) {
            maintainIndexes(t, key, t.rowCodec().decode(current), null, null);
        }
        write(t.id(), key, DELETED);
        return true;
    }

    private void write(long tableId, byte[] key, byte[] row) {
        put(writes, tableId, key, row);
    }

    /** Puts {@code key → value} into the write map {@code map} holds for {@code id}, undoably. */
    private void put(Map<Long, TreeMap<byte[], byte[]>> map, long id, byte[] key, byte[] value) {
        byte[] previous = map.computeIfAbsent(id, i -> new TreeMap<>(VersionedTable.KEY_ORDER)).put(key, value);
        if (!savepoints.isEmpty()) {
            undo.add(new Undo(map, id, key, previous, null));
        }
    }

    // ---------------------------------------------------------------- savepoints

    /** Marks the current state; {@link #rollbackTo} takes back everything done after it. */
    public Savepoint savepoint() {
        checkActive();
        Savepoint sp = new Savepoint(this);
        savepoints.add(sp);
        return sp;
    }

    /**
     * Takes back every write and DDL change made since {@code savepoint} was taken, with the index
     * entries, unique checks left for commit, and index and view definitions they brought (row ids
     * handed out meanwhile are not reused). The savepoint stays open; those taken after it are
     * released.
     */
    public void rollbackTo(Savepoint savepoint) {
        checkActive();
        int at = indexOf(savepoint);
        for (int i = undo.size() - 1; i >= savepoint.undoMark; i--) {
            Undo u = undo.get(i);
            if (u.key == null) {
                u.map.put(u.id, u.whole);
                continue;
            }
            TreeMap<byte[], byte[]> w = u.map.get(u.id);
            if (u.previous != null) {
                w.put(u.key, u.previous);
            } else {
                w.remove(u.key);
                if (w.isEmpty()) {
                    u.map.remove(u.id);
                }
            }
        }
        undo.subList(savepoint.undoMark, undo.size()).clear();
        if (ddl.size() > savepoint.ddlMark) {
            ddl.subList(savepoint.ddlMark, ddl.size()).clear();
            indexKeys.clear(); // an index id handed out since may be handed out again for another index
        }
        catalog = savepoint.catalog;
        createdTables.clear();
        createdTables.putAll(savepoint.createdTables);
        createdIndexes.clear();
        createdIndexes.addAll(savepoint.createdIndexes);
        uniqueEntries.clear();
        savepoint.uniqueEntries.forEach((id, list) -> {
            list.subList(savepoint.uniqueCounts.get(id), list.size()).clear();
            uniqueEntries.put(id, list);
        });
        savepoints.subList(at + 1, savepoints.size()).clear();
    }

    /** Forgets {@code savepoint} and those taken after it; their changes stay. */
    public void release(Savepoint savepoint) {
        checkActive();
        savepoints.subList(indexOf(savepoint), savepoints.size()).clear();
        if (savepoints.isEmpty()) {
            undo.clear(); // otherwise an older open savepoint still needs every entry after its mark
        }
    }

    private int indexOf(Savepoint savepoint) {
        Objects.requireNonNull(savepoint, "savepoint is null");
        int at = savepoints.indexOf(savepoint);
        if (at < 0 || savepoint.owner != this) {
            throw new IllegalStateException("savepoint is not open in this transaction");
        }
        return at;
    }

    IndexKeys indexKeys(TableDef t, IndexDef index) {
        IndexKeys k = indexKeys.get(index.id());
        if (k == null) {
            k = new IndexKeys(t, index);
            indexKeys.put(index.id(), k);
        }
        return k;
    }

    /**
     * Records in {@link #indexWrites} that the row at {@code oldKey} with values {@code oldRow} (none
     * if null) becomes the row at {@code newKey} with values {@code newRow} (none if null).
     */
    private void maintainIndexes(TableDef t, byte[] oldKey, Object[] oldRow, byte[] newKey, Object[] newRow) {
        for (IndexDef index : catalog.indexes(t.id())) {
            IndexKeys keys = indexKeys(t, index);
            byte[] oldEntry = oldRow == null ? null : IndexKeys.entry(keys.values(oldRow), oldKey);
            byte[] newEntry = newRow == null ? null : IndexKeys.entry(keys.values(newRow), newKey);
            if (oldEntry != null && newEntry != null && Arrays.equals(oldEntry, newEntry)) {
                continue;
            }
            if (oldEntry != null) {
                put(indexWrites, index.id(), oldEntry, DELETED);
            }
            if (newEntry != null) {
                put(indexWrites, index.id(), newEntry, newKey);
                if (index.unique() && keys.allNonNull(newRow)) {
                    uniqueEntries.computeIfAbsent(index.id(), id -> new ArrayList<>())
                            .add(new byte[][] {newEntry, Arrays.copyOf(newEntry, newEntry.length - newKey.length)});
                }
            }
        }
    }

    /**
     * 23505 if writing {@code newRow} at {@code newKey} (replacing {@code oldRow} at {@code oldKey},
     * if not null) gives a unique index's non-null values to two rows: another row holds them in
     * this transaction's writes, or in the newest committed entry (even one after our snapshot, as
     * in PostgreSQL) that this transaction has not removed. A concurrent insert we cannot see yet
     * is caught at commit.
     */
    private void checkUnique(TableDef t, byte[] oldKey, Object[] oldRow, byte[] newKey, Object[] newRow) {
        for (IndexDef index : catalog.indexes(t.id())) {
            if (!index.unique()) {
                continue;
            }
            IndexKeys keys = indexKeys(t, index);
            if (!keys.allNonNull(newRow)) {
                continue;
            }
            byte[] values = keys.values(newRow);
            if (oldRow != null && Arrays.equals(values, keys.values(oldRow))) {
                continue;
            }
            if (valuesTaken(t, index, keys, values, oldKey, newKey)) {
                throw uniqueViolation(t, index, newRow);
            }
        }
    }

    private boolean valuesTaken(TableDef t, IndexDef index, IndexKeys keys, byte[] values, byte[] oldKey, byte[] newKey) {
        byte[] to = KeyCodec.prefixEnd(values);
        TreeMap<byte[], byte[]> own = indexWrites.get(index.id());
        if (own != null) {
            for (byte[] pk : range(own, values, to).values()) {
                if (pk != DELETED && !Arrays.equals(pk, newKey) && !Arrays.equals(pk, oldKey)) {
                    return true;
                }
            }
        }
        VersionedTable entries = committedIndex(index);
        if (entries == null) {
            // created by this transaction: not built yet, so look at the rows themselves
            for (EncodedRows it = mergedScan(t.id(), null, null); it.next(); ) {
                Object[] row = t.rowCodec().decode(it.row());
                if (!Arrays.equals(it.key(), newKey) && !Arrays.equals(it.key(), oldKey)
                        && keys.allNonNull(row) && Arrays.equals(keys.values(row), values)) {
                    return true;
                }
            }
            return false;
        }
        for (VersionedTable.Slot slot : entries.range(values, to)) {
            if (own != null && own.containsKey(slot.key)) {
                continue;
            }
            RowVersion head = slot.head;
            byte[] pk = head.row != null ? head.row : RowVersion.visibleRow(head, snapshotTs);
            if (pk != null && !Arrays.equals(pk, newKey) && !Arrays.equals(pk, oldKey)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The committed entries of {@code index}, or null if this transaction's snapshot does not have
     * the index (it created it): a concurrent transaction may have committed another index under the
     * same id.
     */
    private VersionedTable committedIndex(IndexDef index) {
        return snapshotCatalog.indexById(index.id()) == null ? null : store.table(index.id());
    }

    /**
     * Fails early with 40001 when another transaction has committed a change to this row since our
     * snapshot: commit would fail anyway, and PostgreSQL reports it at the statement too.
     */
    private void checkNoNewerCommit(TableDef t, byte[] key) {
        VersionedTable vt = committedTable(t.id());
        RowVersion head = vt == null ? null : vt.head(key);
        if (head != null && head.ts > snapshotTs) {
            throw serializationFailure(t);
        }
    }

    /**
     * True if inserting {@code key} would duplicate a row: our own write of the key decides if we
     * made one; otherwise the key is taken if a row with it is visible to us or if the newest
     * committed version (even one after our snapshot, as in PostgreSQL) is a live row. A
     * concurrent change we cannot see yet is caught at commit. One index lookup.
     */
    private boolean keyTaken(long tableId, byte[] key) {
        TreeMap<byte[], byte[]> w = writes.get(tableId);
        if (w != null) {
            byte[] own = w.get(key);
            if (own != null) {
                return own != DELETED;
            }
        }
        VersionedTable vt = committedTable(tableId);
        RowVersion head = vt == null ? null : vt.head(key);
        return head != null && (head.row != null || RowVersion.visibleRow(head, snapshotTs) != null);
    }

    /**
     * The committed storage of a table, or null for a table this transaction created: a concurrent
     * transaction may have committed a different new table under the same id (that conflict fails
     * our commit with 40001), and its rows must not leak into ours.
     */
    private VersionedTable committedTable(long tableId) {
        return createdTables.containsKey(tableId) ? null : store.table(tableId);
    }

    private VersionedTable tableFor(long id) {
        VersionedTable vt = createdTables.get(id);
        if (vt == null) {
            vt = store.table(id);
        }
        if (vt == null) {
            throw new IllegalStateException("table " + id + " is in the catalog but has no storage");
        }
        return vt;
    }

    // ---------------------------------------------------------------- end

    /**
     * Makes this transaction's writes durable (in fsync mode) and visible. On 40001 or 23505 the
     * transaction is rolled back and nothing of it is applied.
     */
    public void commit() {
        checkActive();
        try {
            if (!writes.isEmpty() || !ddl.isEmpty()) {
                store.commit(this);
            }
            state = State.COMMITTED;
        } finally {
            if (state != State.COMMITTED) {
                state = State.ROLLED_BACK;
            }
            end();
        }
    }

    public void rollback() {
        checkActive();
        state = State.ROLLED_BACK;
        end();
    }

    /** Rolls back if still active. */
    @Override
    public void close() {
        if (state == State.ACTIVE) {
            rollback();
        }
    }

    private void end() {
        savepoints.clear();
        undo.clear();
        writes.clear();
        ddl.clear();
        createdTables.clear();
        indexWrites.clear();
        createdIndexes.clear();
        uniqueEntries.clear();
        store.release(snapshotTs);
    }

    // ---------------------------------------------------------------- helpers

    private void checkActive() {
        if (state != State.ACTIVE) {
            throw DuetException.of(SqlState.INVALID_TRANSACTION_STATE, "transaction is already %s",
                    state == State.COMMITTED ? "committed" : "rolled back");
        }
        store.checkOpen();
    }

    private void checkWritable() {
        checkActive();
        if (readOnly) {
            throw DuetException.of(SqlState.READ_ONLY_SQL_TRANSACTION, "cannot write in a read-only transaction");
        }
    }

    private static boolean isKeyColumn(TableDef t, int column) {
        for (int i = 0; i < t.primaryKeyLength(); i++) {
            if (t.primaryKeyColumn(i) == column) {
                return true;
            }
        }
        return false;
    }

    private static Object[] keyValues(TableDef t, Object[] row) {
        Object[] k = new Object[t.primaryKeyLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = row[t.primaryKeyColumn(i)];
        }
        return k;
    }

    /**
     * Coerces key values given for a lookup. They are compared with stored keys, never stored, so a
     * string longer than its VARCHAR(n) column is fine (it matches nothing).
     */
    private static Object[] coerceKeyPrefix(TableDef t, Object[] values) {
        if (values.length > t.primaryKeyLength()) {
            throw DuetException.of(SqlState.SYNTAX_ERROR, "table \"%s\" has a %d-column key but %d values were given",
                    t.name(), t.primaryKeyLength(), values.length);
        }
        Object[] out = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            ColumnDef c = t.column(t.primaryKeyColumn(i));
            DataType type = c.type().kind() == DataType.Kind.VARCHAR ? DataType.TEXT : c.type();
            out[i] = Values.coerce(type, values[i], c.name());
            if (out[i] == null) {
                throw DuetException.of(SqlState.NULL_VALUE_NOT_ALLOWED, "key column \"%s\" must not be null", c.name());
            }
        }
        return out;
    }

    private static byte[] encodeKey(TableDef t, Object[] key) {
        if (!t.hasPrimaryKey()) {
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                    "table \"%s\" has no primary key; read it with scan()", t.name());
        }
        if (key.length != t.primaryKeyLength()) {
            throw DuetException.of(SqlState.SYNTAX_ERROR, "table \"%s\" has a %d-column key but %d values were given",
                    t.name(), t.primaryKeyLength(), key.length);
        }
        return t.keyCodec().encode(coerceKeyPrefix(t, key));
    }

    private static void checkNotNull(TableDef t, Object[] row) {
        for (int i = 0; i < row.length; i++) {
            if (row[i] == null && t.column(i).notNull()) {
                throw DuetException.of(SqlState.NOT_NULL_VIOLATION,
                        "null value in column \"%s\" of relation \"%s\" violates not-null constraint",
                        t.column(i).name(), t.name());
            }
        }
    }

    static DuetException duplicateKey(TableDef t, Object[] row) {
        StringBuilder cols = new StringBuilder();
        StringBuilder vals = new StringBuilder();
        for (int i = 0; i < t.primaryKeyLength(); i++) {
            ColumnDef c = t.column(t.primaryKeyColumn(i));
            cols.append(i == 0 ? "" : ", ").append(c.name());
            vals.append(i == 0 ? "" : ", ").append(Values.toSqlLiteral(c.type(), row[t.primaryKeyColumn(i)]));
        }
        return DuetException.of(SqlState.UNIQUE_VIOLATION,
                "duplicate key value violates unique constraint \"%s_pkey\": key (%s)=(%s) already exists",
                t.name(), cols, vals);
    }

    static DuetException uniqueViolation(TableDef t, IndexDef index, Object[] row) {
        return DuetException.of(SqlState.UNIQUE_VIOLATION,
                "duplicate key value violates unique constraint \"%s\": key (%s) already exists",
                index.name(), describeIndexKey(t, index, row));
    }

    /** {@code b, c)=(1, 'x'} for an index on (b, c): the column list and values of a message. */
    static String describeIndexKey(TableDef t, IndexDef index, Object[] row) {
        StringBuilder cols = new StringBuilder();
        StringBuilder vals = new StringBuilder();
        for (int i = 0; i < index.columnCount(); i++) {
            ColumnDef c = t.column(index.column(i));
            cols.append(i == 0 ? "" : ", ").append(c.name());
            vals.append(i == 0 ? "" : ", ").append(Values.toSqlLiteral(c.type(), row[index.column(i)]));
        }
        return cols + ")=(" + vals;
    }

    static DuetException serializationFailure(TableDef t) {
        return DuetException.of(SqlState.SERIALIZATION_FAILURE,
                "could not serialize access due to concurrent update of relation \"%s\"", t.name());
    }
}
