package dev.duet.columnstore;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.types.DataType;
import dev.duet.core.types.RowCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The in-memory rows of an open segment (or of one being sealed): Arrow vectors of the table's
 * columns followed by two hidden ones, the insert commit timestamp and the encoded primary key
 * (from which a table's first UPDATE or DELETE builds its key map without re-encoding values).
 * Rows are decoded from their {@link RowCodec} bytes straight into the vectors.
 *
 * <p>Guarded by the owning table's lock: {@link #append} and {@link #publish} (the sync thread)
 * under its write lock, scans copy rows {@code [0, published)} under its read lock (vectors may be
 * reallocated while growing, so reads without the lock are unsafe until the rows are frozen for
 * sealing). The vectors are freed when the last reference is released: the table holds one until
 * the segment's file replaces it, each scan that snapshotted it holds one until it closes, and the
 * seal thread holds one while it writes the frozen rows to their file.
 */
final class OpenRows {
    static final String INSERT_TS = "__duet_insert_ts";
    static final String KEY = "__duet_key";

    private final VectorSchemaRoot root;
    private final RowCodec.VectorDecoder decoder;
    private final BigIntVector insertTs;
    private final VarBinaryVector keys;
    private final int columns;
    private final AtomicInteger refs = new AtomicInteger(1);
    /** Table write lock: rows written; rows whose value counts are set (scans read these). */
    private int count;
    private volatile int published;
    private long minTs = Long.MAX_VALUE;
    private long maxTs = Long.MIN_VALUE;

    OpenRows(TableDef def, BufferAllocator allocator, int initialRows) {
        List<BatchColumn> cols = storedColumns(def);
        this.columns = def.columnCount();
        this.root = Batches.create(allocator, cols);
        try {
            Batches.allocate(root, initialRows);
            List<FieldVector> vectors = root.getFieldVectors();
            int[] selected = new int[columns];
            for (int i = 0; i < columns; i++) {
                selected[i] = i;
            }
            this.decoder = def.rowCodec().vectorDecoder(selected, vectors.subList(0, columns));
            this.insertTs = (BigIntVector) vectors.get(columns);
            this.keys = (VarBinaryVector) vectors.get(columns + 1);
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** The columns a segment stores: the table's, then the insert timestamp and the key. */
    static List<BatchColumn> storedColumns(TableDef def) {
        List<BatchColumn> cols = new ArrayList<>(def.columnCount() + 2);
        for (var c : def.columns()) {
            cols.add(new BatchColumn(c.name(), c.type(), !c.notNull()));
        }
        cols.add(new BatchColumn(INSERT_TS, DataType.BIGINT, false));
        cols.add(new BatchColumn(KEY, DataType.BYTEA, false));
        return cols;
    }

    /** Appends one row inserted at {@code ts}; returns its position. Table write lock held. */
    int append(long ts, byte[] key, byte[] row) {
        return append(ts, key, 0, key.length, row, 0, row.length);
    }

    /**
     * As {@link #append(long, byte[], byte[])} for a key and a row held in larger buffers (a WAL
     * record's packed rows): nothing is copied out of them first. Table write lock held.
     */
    int append(long ts, byte[] keyBuf, int keyOff, int keyLen, byte[] rowBuf, int rowOff, int rowLen) {
        int at = count;
        decoder.decode(rowBuf, rowOff, rowLen, at);
        insertTs.setSafe(at, ts);
        keys.setSafe(at, keyBuf, keyOff, keyLen);
        count = at + 1;
        minTs = Math.min(minTs, ts);
        maxTs = Math.max(maxTs, ts);
        return at;
    }

    /** Sets the value counts so that scans may read every appended row. Table write lock held. */
    void publish() {
        if (published != count) {
            root.setRowCount(count);
            published = count;
        }
    }

    int count() {
        return count;
    }

    /** Rows scans may read. */
    int published() {
        return published;
    }

    long minTs() {
        return minTs;
    }

    long maxTs() {
        return maxTs;
    }

    /** The vectors, table columns then insert timestamp then key; value counts are {@link #published()}. */
    VectorSchemaRoot root() {
        return root;
    }

    BigIntVector insertTs() {
        return insertTs;
    }

    /**
     * The encoded keys of rows {@code [0, count())}. Only the sync thread (which appends) may read
     * rows beyond {@link #published()} or read them without the table lock: it reads them to build
     * the key map.
     */
    VarBinaryVector keys() {
        return keys;
    }

    int tableColumns() {
        return columns;
    }

    long bytes() {
        return root.getFieldVectors().stream().mapToLong(v -> v.getBufferSize()).sum();
    }

    void retain() {
        refs.incrementAndGet();
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            root.close();
        }
    }
}
