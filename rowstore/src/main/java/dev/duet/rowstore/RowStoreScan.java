package dev.duet.rowstore;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.RowCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Reads a row-store table into Arrow batches: exactly the rows {@link Transaction#scan(String,
 * KeyRange)} returns (the transaction's snapshot merged with its own uncommitted writes, in key
 * order), restricted to a key range, with a chosen subset of columns in a chosen order. Each row
 * is decoded straight from its stored bytes into the vectors ({@link RowCodec.VectorDecoder}); no
 * Java object is built per value.
 *
 * <p>The operator owns one batch, allocated from the query's allocator at the first
 * {@link #next()} and refilled (after a reset) on every later call, so its memory stays at one
 * batch. A batch holds up to the query's batch size of rows, fewer when the rows' stored bytes
 * pass {@link #TARGET_BATCH_BYTES} (so that wide rows do not make huge batches). The batch is
 * freed when the scan reaches its end or is closed. The table is read lazily from the first
 * {@code next()}; the transaction must stay open, and must not write to this table, until the
 * scan is closed.
 */
public final class RowStoreScan implements Operator {
    /** A batch ends early once its rows' encoded bytes pass this. */
    public static final long TARGET_BATCH_BYTES = 8L << 20;

    private final QueryContext context;
    private final Transaction tx;
    private final TableDef table;
    /** Opens the rows to read, at the first {@link #next()}. */
    private final java.util.function.Supplier<EncodedRows> source;
    private final int[] columns;
    private final List<BatchColumn> output;
    /** Rows per batch: the batch size, or fewer when the scan cannot return that many (point lookups). */
    private final int batchSize;

    private EncodedRows rows;
    private VectorSchemaRoot batch;
    private RowCodec.VectorDecoder decoder;
    private boolean done;
    private boolean closed;

    /** Scans every column of the whole table. */
    public RowStoreScan(QueryContext context, Transaction tx, String table) {
        this(context, tx, table, KeyRange.all(), null);
    }

    /**
     * Scans the rows of {@code table} in {@code range}, producing columns {@code columns} (indexes
     * into the table's columns, in output order, each at most once; null for all columns, an empty
     * array for none: batches then only count rows). The batch size is the context's.
     */
    public RowStoreScan(QueryContext context, Transaction tx, String table, KeyRange range, int[] columns) {
        this(context, tx, table, range, columns, context.batchSize());
    }

    /** As above, with an explicit batch size (1 to {@link Operator#MAX_BATCH_SIZE} rows). */
    public RowStoreScan(QueryContext context, Transaction tx, String table, KeyRange range, int[] columns, int batchSize) {
        this(context, tx, tx.table(Objects.requireNonNull(table, "table is null")), columns, batchSize, range, null, null);
    }

    /**
     * Reads the rows of {@code table} whose primary key falls in any of {@code ranges} (each row
     * once, in key order; a range from and to the same complete key is a hash-index lookup).
     */
    public static RowStoreScan ofKeyRanges(QueryContext context, Transaction tx, String table, List<KeyRange> ranges,
            int[] columns) {
        return ofKeyRanges(context, tx, table, ranges, columns, context.batchSize());
    }

    /** As above, with an explicit batch size (a few point lookups need no batch of thousands of rows). */
    public static RowStoreScan ofKeyRanges(QueryContext context, Transaction tx, String table, List<KeyRange> ranges,
            int[] columns, int batchSize) {
        Objects.requireNonNull(ranges, "ranges is null");
        return new RowStoreScan(context, tx, tx.table(Objects.requireNonNull(table, "table is null")), columns,
                batchSize, null, List.copyOf(ranges), null);
    }

    /**
     * Reads the rows of {@code table} whose values in the leading columns of secondary index
     * {@code index} fall in any of {@code ranges} (bounds are non-null values of those columns),
     * through the index, in primary-key order, each row once, as this transaction sees them.
     */
    public static RowStoreScan ofIndex(QueryContext context, Transaction tx, String table, String index,
            List<KeyRange> ranges, int[] columns) {
        return ofIndex(context, tx, table, index, ranges, columns, context.batchSize());
    }

    /** As above, with an explicit batch size. */
    public static RowStoreScan ofIndex(QueryContext context, Transaction tx, String table, String index,
            List<KeyRange> ranges, int[] columns, int batchSize) {
        Objects.requireNonNull(ranges, "ranges is null");
        IndexDef def = tx.findIndex(Objects.requireNonNull(index, "index is null"));
        TableDef t = tx.table(Objects.requireNonNull(table, "table is null"));
        if (def == null || def.tableId() != t.id()) {
            throw DuetException.of(SqlState.UNDEFINED_OBJECT, "index \"%s\" of \"%s\" does not exist", index, t.name());
        }
        return new RowStoreScan(context, tx, t, columns, batchSize, null, List.copyOf(ranges), def);
    }

    private RowStoreScan(QueryContext context, Transaction tx, TableDef table, int[] columns, int batchSize,
            KeyRange range, List<KeyRange> ranges, IndexDef index) {
        this.context = Objects.requireNonNull(context, "context is null");
        this.tx = Objects.requireNonNull(tx, "tx is null");
        if (range == null && ranges == null) {
            throw new NullPointerException("range is null");
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batch size must be between 1 and " + MAX_BATCH_SIZE + ", got " + batchSize);
        }
        this.table = table;
        this.source = index != null ? () -> tx.indexScan(table, index, ranges)
                : ranges != null ? () -> tx.encodedScan(table, ranges)
                : () -> tx.encodedScan(table, range);
        this.batchSize = index == null && ranges != null && table.hasPrimaryKey()
                ? Math.min(batchSize, maxRows(ranges, table.primaryKeyLength())) : batchSize;
        if (columns == null) {
            columns = new int[this.table.columnCount()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = i;
            }
        }
        this.columns = columns.clone();
        List<BatchColumn> out = new ArrayList<>(this.columns.length);
        boolean[] seen = new boolean[this.table.columnCount()];
        for (int c : this.columns) {
            Objects.checkIndex(c, seen.length);
            if (seen[c]) {
                throw new IllegalArgumentException("column " + c + " of " + this.table.name() + " is projected twice");
            }
            seen[c] = true;
            ColumnDef def = this.table.column(c);
            out.add(new BatchColumn(def.name(), def.type(), !def.notNull()));
        }
        this.output = List.copyOf(out);
    }

    /**
     * The most rows {@code ranges} of a primary key of {@code keyLength} columns can hold when
     * each fixes the whole key (a point lookup, whose batch then needs one row, not thousands:
     * allocating and zeroing a full batch costs more than the lookup); else {@link Integer#MAX_VALUE}.
     */
    private static int maxRows(List<KeyRange> ranges, int keyLength) {
        for (KeyRange r : ranges) {
            if (!r.isSingleKey(keyLength)) {
                return Integer.MAX_VALUE;
            }
        }
        return Math.max(1, ranges.size());
    }

    /** The table being scanned, as the transaction sees it. */
    public TableDef table() {
        return table;
    }

    @Override
    public List<BatchColumn> columns() {
        return output;
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("scan of " + table.qualifiedName() + " is closed");
        }
        if (done) {
            return null;
        }
        context.checkCancelled();
        if (!tx.isActive()) {
            throw DuetException.of(SqlState.INVALID_TRANSACTION_STATE,
                    "the transaction of a scan of \"%s\" ended before the scan", table.name());
        }
        if (rows == null) {
            rows = source.get();
        }
        if (batch == null) {
            VectorSchemaRoot b = Batches.create(context.allocator(), output);
            try {
                Batches.allocate(b, batchSize);
                decoder = table.rowCodec().vectorDecoder(columns, b.getFieldVectors());
            } catch (RuntimeException e) {
                b.close();
                throw e;
            }
            batch = b;
        } else {
            for (FieldVector v : batch.getFieldVectors()) {
                v.reset();
            }
        }
        EncodedRows it = rows;
        RowCodec.VectorDecoder d = decoder;
        int limit = batchSize;
        int n = 0;
        long bytes = 0;
        // the limits are tested first: next() consumes a row, which must then go into this batch
        while (n < limit && bytes < TARGET_BATCH_BYTES && it.next()) {
            byte[] row = it.row();
            d.decode(row, n++);
            bytes += row.length;
        }
        if (n == 0) {
            done = true;
            release();
            return null;
        }
        batch.setRowCount(n);
        return batch;
    }

    @Override
    public void close() {
        closed = true;
        release();
    }

    private void release() {
        rows = null;
        decoder = null;
        if (batch != null) {
            VectorSchemaRoot b = batch;
            batch = null;
            b.close();
        }
    }

    @Override
    public String toString() {
        return "RowStoreScan[" + table.qualifiedName() + " " + output + "]";
    }
}
