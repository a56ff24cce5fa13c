package dev.duet.rowstore;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.io.ByteSink;
import dev.duet.core.types.DataType;
import dev.duet.core.types.KeyCodec;
import dev.duet.core.types.RowCodec;
import dev.duet.core.types.TextValues;
import dev.duet.core.types.Values;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Objects;

/**
 * The bulk load path of one table: rows are appended value by value ({@link #appendLong}, ...,
 * {@link #endRow}) or whole ({@link #appendRow}), and {@link #flush()} commits every row appended
 * since the last flush as one transaction through the WAL. Obtain one from
 * {@link RowStore#appender}.
 *
 * <p>Why it is faster than {@link Transaction#insert} row by row: each row is encoded once,
 * straight into the WAL record of its chunk (no write set, no per-row sorted map); the flush checks
 * the chunk's keys against the table under the commit lock in one pass and installs them in a
 * second, and the column-store sync receives the chunk as one {@code INSERT_RUN} record it appends
 * to its segment without decoding the record row by row into objects (see {@link CommitRecord}).
 *
 * <p>Guarantees. A flush is one commit: with fsync durability its rows survive a crash once
 * {@code flush()} returns; rows not flushed never appear; a reader's snapshot has all rows of a
 * flush or none. Rows are only ever inserted: a key that a live row has (or that two rows of the
 * chunk share) fails the flush with 23505. {@code close()} flushes. Every
 * {@link #flushRows() flushRows} rows {@link #endRow} flushes by itself, so memory stays bounded.
 *
 * <p>Errors. A value its column cannot take fails its append at once (22003 out of range, 22001
 * too long, 22P02 unparsable text, 42804 a Java type the column cannot hold, 23502 NULL in a NOT
 * NULL column; 42601 for {@link #endRow} with too few values or an append past the last column)
 * and discards the row being built, nothing else: the rows appended before it stay pending. A
 * flush that fails (23505; 40001 when the table was dropped or changed meanwhile; an I/O error)
 * commits nothing of its chunk and discards the chunk. Either way the appender stays usable; only
 * {@link #close()} ends it (a failed flush inside {@code close()} still closes it).
 *
 * <p>A table with secondary indexes is loaded through an ordinary transaction at each flush
 * (same guarantees, without the speed): index entries are maintained by {@link Transaction}.
 * Used by one thread at a time.
 */
public final class Appender implements AutoCloseable {
    /** Rows per automatic flush unless the caller chooses. */
    public static final int DEFAULT_FLUSH_ROWS = 50_000;

    private final RowStore store;
    private final TableDef table;
    private final VersionedTable storage;
    private final int flushRows;
    private final RowCodec rowCodec;
    private final KeyCodec keyCodec;
    private final DataType[] types;
    private final int columns;

    /** The row being built: canonical values in column order; {@link #column} is the next to fill. */
    private final Object[] values;
    private final Object[] keyValues;
    private int column;

    /** The chunk: a commit-record payload (timestamp filled in at commit) holding one INSERT_RUN. */
    private final ByteSink payload = new ByteSink(1 << 16);
    private int runAt;
    /** The chunk's keys and rows, as the row store keeps them. */
    private byte[][] keys = new byte[64][];
    private byte[][] rows = new byte[64][];
    private int count;
    /** True while every key of the chunk is greater than the one before (the common case: loads in key order). */
    private boolean ascending = true;
    private long flushed;
    private boolean closed;

    Appender(RowStore store, TableDef table, VersionedTable storage, int flushRows) {
        if (flushRows < 1) {
            throw DuetException.of(SqlState.INVALID_PARAMETER_VALUE, "flush size must be at least 1, not %d", flushRows);
        }
        this.store = store;
        this.table = table;
        this.storage = storage;
        this.flushRows = flushRows;
        this.rowCodec = table.rowCodec();
        this.keyCodec = table.hasPrimaryKey() ? table.keyCodec() : null;
        this.columns = table.columnCount();
        this.types = new DataType[columns];
        for (int i = 0; i < columns; i++) {
            types[i] = table.column(i).type();
        }
        this.values = new Object[columns];
        this.keyValues = new Object[table.hasPrimaryKey() ? table.primaryKeyLength() : 0];
        startChunk();
    }

    /** The table rows are appended to. */
    public TableDef table() {
        return table;
    }

    /** Rows per automatic flush. */
    public int flushRows() {
        return flushRows;
    }

    /** Rows appended (complete rows) and not flushed yet. */
    public int pendingRows() {
        return count;
    }

    /** Rows committed by this appender's flushes so far. */
    public long flushedRows() {
        return flushed;
    }

    // ---------------------------------------------------------------- values

    public Appender appendLong(long v) {
        DataType t = next();
        return set(t.kind() == DataType.Kind.BIGINT ? Long.valueOf(v) : coerce(t, v));
    }

    public Appender appendInt(int v) {
        DataType t = next();
        return set(t.kind() == DataType.Kind.INTEGER ? Integer.valueOf(v) : coerce(t, v));
    }

    public Appender appendDouble(double v) {
        DataType t = next();
        return set(t.kind() == DataType.Kind.DOUBLE ? Double.valueOf(v) : coerce(t, v));
    }

    public Appender appendBoolean(boolean v) {
        return set(coerce(next(), v));
    }

    /** A DECIMAL (or any numeric column: the value must fit it, 22003 otherwise); null appends NULL. */
    public Appender appendDecimal(BigDecimal v) {
        return set(coerce(next(), v));
    }

    /**
     * A string; for a column of another type the text is parsed as a literal of that type (22P02 if
     * it is not one). Null appends NULL.
     */
    public Appender appendString(String v) {
        DataType t = next();
        if (v == null || t.kind() == DataType.Kind.VARCHAR) {
            return set(coerce(t, v));
        }
        try {
            return set(Values.coerce(t, TextValues.parse(t, v, table.column(column).name()), table.column(column).name()));
        } catch (RuntimeException e) {
            throw rowFailed(e);
        }
    }

    /** Null appends NULL. */
    public Appender appendDate(LocalDate v) {
        return set(coerce(next(), v));
    }

    /** Null appends NULL. */
    public Appender appendTimestamp(LocalDateTime v) {
        return set(coerce(next(), v));
    }

    /** Null appends NULL. */
    public Appender appendBytes(byte[] v) {
        return set(coerce(next(), v));
    }

    /** NULL; 23502 at once if the column is NOT NULL. */
    public Appender appendNull() {
        next();
        return set(null);
    }

    /** Any value {@link Transaction#insert} takes for the column (coerced the same way). */
    public Appender appendValue(Object v) {
        return set(coerce(next(), v));
    }

    /** Appends a whole row (all columns in order, values as {@link Transaction#insert} takes them) and ends it. */
    public void appendRow(Object... row) {
        Objects.requireNonNull(row, "row is null");
        checkOpen();
        if (column != 0) {
            throw DuetException.of(SqlState.SYNTAX_ERROR, "appendRow inside a row of which %d values were appended", column);
        }
        if (row.length != columns) {
            throw DuetException.of(SqlState.SYNTAX_ERROR, "table \"%s\" has %d columns but %d values were given",
                    table.name(), columns, row.length);
        }
        for (Object v : row) {
            appendValue(v);
        }
        endRow();
    }

    /**
     * Completes the row: 42601 unless every column got a value. Flushes when {@link #flushRows()}
     * rows are pending (and then fails as {@link #flush()} does).
     */
    public void endRow() {
        checkOpen();
        if (column != columns) {
            int got = column;
            discardRow();
            throw DuetException.of(SqlState.SYNTAX_ERROR, "table \"%s\" has %d columns but the row has %d values",
                    table.name(), columns, got);
        }
        byte[] key;
        try {
            if (keyCodec != null) {
                for (int i = 0; i < keyValues.length; i++) {
                    keyValues[i] = values[table.primaryKeyColumn(i)];
                }
                key = keyCodec.encode(keyValues);
            } else {
                key = KeyCodec.encodeRowId(storage.nextRowId.getAndIncrement());
            }
        } catch (RuntimeException e) {
            throw rowFailed(e);
        }
        byte[] row = rowCodec.encode(values);
        column = 0;
        Arrays.fill(values, null);
        if (count == keys.length) {
            keys = Arrays.copyOf(keys, count * 2);
            rows = Arrays.copyOf(rows, count * 2);
        }
        if (count > 0 && ascending && VersionedTable.KEY_ORDER.compare(keys[count - 1], key) >= 0) {
            ascending = false;
        }
        keys[count] = key;
        rows[count] = row;
        count++;
        payload.writeBlob(key);
        payload.writeBlob(row);
        if (count >= flushRows) {
            flush();
        }
    }

    // ---------------------------------------------------------------- flush

    /**
     * Commits every row appended since the last flush as one transaction (nothing to do if there
     * is none): durable when this returns under fsync durability, visible to snapshots taken
     * after it. On failure nothing of the chunk is committed and the chunk is discarded.
     */
    public void flush() {
        checkOpen();
        if (count == 0) {
            return;
        }
        try {
            if (!store.catalog().indexes(table.id()).isEmpty()) {
                flushThroughTransaction();
            } else {
                checkDistinctKeys();
                CommitRecord.endInsertRun(payload, runAt, count);
                store.commitRun(table, payload, keys, rows, count);
            }
            flushed += count;
        } finally {
            startChunk();
        }
    }

    /** Flushes, then ends the appender (also when that flush fails). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
        }
    }

    /** Ends the appender without flushing: the rows appended since the last flush are dropped. */
    public void discard() {
        startChunk();
        discardRow();
        closed = true;
    }

    /** 23505 if two rows of the chunk have one key (tables without a primary key get distinct row ids). */
    private void checkDistinctKeys() {
        if (keyCodec == null || ascending) {
            return;
        }
        int[] order = KeySort.order(keys, count);
        for (int i = 1; i < count; i++) {
            if (Arrays.equals(keys[order[i - 1]], keys[order[i]])) {
                throw Transaction.duplicateKey(table, rowCodec.decode(rows[order[i]]));
            }
        }
    }

    /** The chunk through one ordinary transaction: for tables with secondary indexes to maintain. */
    private void flushThroughTransaction() {
        try (Transaction tx = store.begin(false)) {
            for (int i = 0; i < count; i++) {
                tx.insert(table.id(), rowCodec.decode(rows[i]));
            }
            tx.commit();
        }
    }

    private void startChunk() {
        Arrays.fill(keys, 0, count, null);
        Arrays.fill(rows, 0, count, null);
        count = 0;
        ascending = true;
        payload.reset();
        payload.writeLong(0); // the commit timestamp, set by the commit
        payload.writeInt(1); // one operation: the run
        runAt = CommitRecord.beginInsertRun(payload, table.id());
    }

    // ---------------------------------------------------------------- helpers

    /** The type of the column the next append fills; 42601 past the last column. */
    private DataType next() {
        checkOpen();
        if (column == columns) {
            discardRow();
            throw DuetException.of(SqlState.SYNTAX_ERROR, "table \"%s\" has %d columns; endRow() before appending more",
                    table.name(), columns);
        }
        return types[column];
    }

    private Object coerce(DataType type, Object v) {
        try {
            return Values.coerce(type, v, table.column(column).name());
        } catch (RuntimeException e) {
            throw rowFailed(e);
        }
    }

    private Appender set(Object canonical) {
        if (canonical == null) {
            ColumnDef c = table.column(column);
            if (c.notNull()) {
                discardRow();
                throw DuetException.of(SqlState.NOT_NULL_VIOLATION,
                        "null value in column \"%s\" of relation \"%s\" violates not-null constraint", c.name(), table.name());
            }
        }
        values[column++] = canonical;
        return this;
    }

    private RuntimeException rowFailed(RuntimeException e) {
        discardRow();
        return e;
    }

    private void discardRow() {
        column = 0;
        Arrays.fill(values, null);
    }

    private void checkOpen() {
        if (closed) {
            throw DuetException.of(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "the appender of \"%s\" is closed", table.name());
        }
    }
}
