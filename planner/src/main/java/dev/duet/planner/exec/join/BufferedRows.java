package dev.duet.planner.exec.join;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Rows copied out of input batches into one set of growing Arrow vectors and addressed by a dense
 * row number from 0: the build side of a join, the distinct rows of a set operation. Copying
 * (rather than keeping the input's batches) leaves the memory compact whatever the inputs'
 * batches looked like, and lets every later step address a row with one int.
 *
 * <p>Only the columns marked as stored are copied; the others keep empty vectors, for joins that
 * never read them (a semi-join needs only its keys and what its residual condition reads).
 * The memory comes from the query's allocator and is freed by {@link #close()}.
 */
final class BufferedRows implements AutoCloseable {
    private final VectorSchemaRoot root;
    private final FieldVector[] vectors;
    private final boolean[] stored;
    private int size;

    /**
     * @param stored which columns to copy; null for all
     * @param expectedRows rows to allocate room for now (an estimate; the vectors grow past it)
     */
    BufferedRows(BufferAllocator allocator, List<BatchColumn> columns, boolean[] stored, int expectedRows) {
        this.root = Batches.create(allocator, columns);
        this.vectors = root.getFieldVectors().toArray(new FieldVector[0]);
        this.stored = new boolean[vectors.length];
        for (int c = 0; c < vectors.length; c++) {
            this.stored[c] = stored == null || stored[c];
        }
        try {
            if (expectedRows > 0) {
                for (int c = 0; c < vectors.length; c++) {
                    if (this.stored[c]) {
                        vectors[c].setInitialCapacity(expectedRows);
                        vectors[c].allocateNew();
                    }
                }
            }
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** Rows held. */
    int size() {
        return size;
    }

    /** The vector of {@code column}; empty if the column is not stored. Valid until the next append. */
    FieldVector vector(int column) {
        return vectors[column];
    }

    boolean isStored(int column) {
        return stored[column];
    }

    /** Appends rows {@code [0, count)} of {@code from} (one vector per column, same storage types). */
    void append(FieldVector[] from, int count) {
        for (int c = 0; c < vectors.length; c++) {
            if (stored[c]) {
                VectorGather.copyRange(from[c], 0, count, vectors[c], size);
            }
        }
        size += count;
    }

    /** Appends rows {@code rows[0, count)} of {@code from}. */
    void append(FieldVector[] from, int[] rows, int count) {
        for (int c = 0; c < vectors.length; c++) {
            if (stored[c]) {
                VectorGather.gather(from[c], rows, count, vectors[c], size);
            }
        }
        size += count;
    }

    @Override
    public void close() {
        root.close();
        size = 0;
    }
}
