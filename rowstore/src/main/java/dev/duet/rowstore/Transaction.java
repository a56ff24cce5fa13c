package dev.duet.rowstore;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.KeyCodec;
import dev.duet.core.types.RowCodec;
import dev.duet.core.types.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Objects;
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
    /** Open savepoints, oldest first; while any is open, {@link #undo} records every write. */
    private final List<Savepoint> savepoints = new ArrayList<>();
    /** How to take back the writes made since the oldest open savepoint, in write order. */
    private final List<Undo> undo = new ArrayList<>();

    /**
     * One write set change to take back: the key's previous entry ({@code previous} null if the
     * key had none), or, with a null {@code key}, a whole table's write map removed by DROP TABLE.
     */
    private record Undo(long tableId, byte[] key, byte[] previous, TreeMap<byte[], byte[]> tableWrites) {
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

        private Savepoint(Transaction owner) {
            this.owner = owner;
            this.undoMark = owner.undo.size();
            this.ddlMark = owner.ddl.size();
            this.catalog = owner.catalog;
            this.createdTables = owner.createdTables.isEmpty() ? Map.of() : new HashMap<>(owner.createdTables);
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
        Objects.requireNonNull(name, "table name is null");
        int dot = name.indexOf('.');
        if (dot > 0 && catalog.hasSchema(name.substring(0, dot))) {
            return catalog.table(name.substring(0, dot), name.substring(dot + 1));
        }
        return catalog.table(Catalog.DEFAULT_SCHEMA, name);
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

    public void dropTable(String name) {
        checkWritable();
        TableDef t = table(name);
        catalog = catalog.withoutTable(t.id());
        TreeMap<byte[], byte[]> dropped = writes.remove(t.id());
        if (dropped != null && !savepoints.isEmpty()) {
            undo.add(new Undo(t.id(), null, null, dropped));
        }
        createdTables.remove(t.id());
        ddl.add(new CommitRecord.DdlOp(CommitRecord.DROP_TABLE, null, t));
    }

    // ---------------------------------------------------------------- reads

    /** The row with this primary key, or null. Tables without a primary key have no key lookups. */
    public Row get(String table, Object... key) {
        checkActive();
        TableDef t = table(table);
        byte[] k = encodeKey(t, key);
        byte[] row = read(t.id(), k);
        return row == null ? null : new Row(t, k, t.rowCodec().decode(row));
    }

    /** Every row of the table in key order (row-id order for tables without a primary key). */
    public RowCursor scan(String table) {
        return scan(table, KeyRange.all());
    }

    /** The rows whose primary key falls in {@code range}, in key order. */
    public RowCursor scan(String table, KeyRange range) {
        checkActive();
        TableDef t = table(table);
        Iterator<Map.Entry<byte[], byte[]>> merged = encodedScan(t, range);
        RowCodec codec = t.rowCodec();
        return new RowCursor(new Iterator<>() {
            @Override
            public boolean hasNext() {
                return merged.hasNext();
            }

            @Override
            public Row next() {
                Map.Entry<byte[], byte[]> e = merged.next();
                return new Row(t, e.getKey(), codec.decode(e.getValue()));
            }
        });
    }

    /**
     * The encoded (key, row) pairs {@link #scan(String, KeyRange)} returns, in the same order,
     * undecoded: for operators that decode rows straight into column vectors. Like a cursor it
     * reads lazily and stays valid while the transaction is open and does not write to the table.
     */
    Iterator<Map.Entry<byte[], byte[]>> encodedScan(TableDef t, KeyRange range) {
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
                    return Collections.emptyIterator();
                }
            }
            if (range.high != null) {
                byte[] p = codec.encodePrefix(coerceKeyPrefix(t, range.high), range.high.length);
                to = range.highInclusive ? KeyCodec.prefixEnd(p) : p;
            }
        }
        return mergedScan(t.id(), from, to);
    }

    /** Number of rows visible to this transaction. */
    public long count(String table) {
        checkActive();
        TableDef t = table(table);
        long n = 0;
        for (Iterator<Map.Entry<byte[], byte[]>> it = mergedScan(t.id(), null, null); it.hasNext(); it.next()) {
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
    private Iterator<Map.Entry<byte[], byte[]>> mergedScan(long tableId, byte[] from, byte[] to) {
        VersionedTable vt = committedTable(tableId);
        Iterator<VersionedTable.Slot> base =
                vt == null ? Collections.emptyIterator() : vt.range(from, to).values().iterator();
        TreeMap<byte[], byte[]> w = writes.get(tableId);
        Iterator<Map.Entry<byte[], byte[]>> own = w == null ? Collections.emptyIterator() : range(w, from, to).entrySet().iterator();
        long snap = snapshotTs;
        return new Iterator<>() {
            byte[] bRow;
            VersionedTable.Slot b = advanceBase();
            Map.Entry<byte[], byte[]> o = own.hasNext() ? own.next() : null;
            Map.Entry<byte[], byte[]> next = compute();

            /** Next slot with a row visible at the snapshot; {@code bRow} is that row. */
            private VersionedTable.Slot advanceBase() {
                while (base.hasNext()) {
                    VersionedTable.Slot s = base.next();
                    byte[] row = RowVersion.visibleRow(s.head, snap);
                    if (row != null) {
                        bRow = row;
                        return s;
                    }
                }
                return null;
            }

            private Map.Entry<byte[], byte[]> compute() {
                while (b != null || o != null) {
                    int c = b == null ? 1 : o == null ? -1 : VersionedTable.KEY_ORDER.compare(b.key, o.getKey());
                    if (c < 0) {
                        Map.Entry<byte[], byte[]> r = Map.entry(b.key, bRow);
                        b = advanceBase();
                        return r;
                    }
                    Map.Entry<byte[], byte[]> mine = o;
                    o = own.hasNext() ? own.next() : null;
                    if (c == 0) {
                        b = advanceBase();
                    }
                    if (mine.getValue() != DELETED) {
                        return mine;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Map.Entry<byte[], byte[]> next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Map.Entry<byte[], byte[]> r = next;
                next = compute();
                return r;
            }
        };
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
        TableDef t = table(table);
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
        write(t.id(), key, t.rowCodec().encode(row));
    }

    /** Sets the named columns of the row with primary key {@code key}; false if there is none. */
    public boolean update(String table, Object[] key, Map<String, ?> changes) {
        checkWritable();
        TableDef t = table(table);
        byte[] k = encodeKey(t, key);
        return updateAt(t, k, changes);
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
        if (!keyChanged) {
            write(t.id(), key, encoded);
            return true;
        }
        byte[] newKey = t.keyCodec().encode(keyValues(t, row));
        if (keyTaken(t.id(), newKey)) {
            throw duplicateKey(t, row);
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

    /** Deletes a row previously read in this transaction; false if it is already gone. */
    public boolean delete(Row row) {
        checkWritable();
        TableDef t = table(row.table().qualifiedName());
        return deleteAt(t, row.key());
    }

    private boolean deleteAt(TableDef t, byte[] key) {
        if (read(t.id(), key) == null) {
            return false;
        }
        checkNoNewerCommit(t, key);
        write(t.id(), key, DELETED);
        return true;
    }

    private void write(long tableId, byte[] key, byte[] row) {
        byte[] previous = writes.computeIfAbsent(tableId, id -> new TreeMap<>(VersionedTable.KEY_ORDER)).put(key, row);
        if (!savepoints.isEmpty()) {
            undo.add(new Undo(tableId, key, previous, null));
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
     * Takes back every write and DDL change made since {@code savepoint} was taken (row ids
     * handed out meanwhile are not reused). The savepoint stays open; those taken after it are
     * released.
     */
    public void rollbackTo(Savepoint savepoint) {
        checkActive();
        int at = indexOf(savepoint);
        for (int i = undo.size() - 1; i >= savepoint.undoMark; i--) {
            Undo u = undo.get(i);
            if (u.key == null) {
                writes.put(u.tableId, u.tableWrites);
                continue;
            }
            TreeMap<byte[], byte[]> w = writes.get(u.tableId);
            if (u.previous != null) {
                w.put(u.key, u.previous);
            } else {
                w.remove(u.key);
                if (w.isEmpty()) {
                    writes.remove(u.tableId);
                }
            }
        }
        undo.subList(savepoint.undoMark, undo.size()).clear();
        ddl.subList(savepoint.ddlMark, ddl.size()).clear();
        catalog = savepoint.catalog;
        createdTables.clear();
        createdTables.putAll(savepoint.createdTables);
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

    private static Object[] coerceKeyPrefix(TableDef t, Object[] values) {
        if (values.length > t.primaryKeyLength()) {
            throw DuetException.of(SqlState.SYNTAX_ERROR, "table \"%s\" has a %d-column key but %d values were given",
                    t.name(), t.primaryKeyLength(), values.length);
        }
        Object[] out = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            ColumnDef c = t.column(t.primaryKeyColumn(i));
            out[i] = Values.coerce(c.type(), values[i], c.name());
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

    static DuetException serializationFailure(TableDef t) {
        return DuetException.of(SqlState.SERIALIZATION_FAILURE,
                "could not serialize access due to concurrent update of relation \"%s\"", t.name());
    }
}
