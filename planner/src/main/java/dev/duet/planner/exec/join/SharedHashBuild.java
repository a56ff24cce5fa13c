package dev.duet.planner.exec.join;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.HeapReservation;
import java.util.List;

/**
 * The build side of a hash join made once and probed by several copies of the join at the same
 * time, one per thread of a parallel query ({@link HashJoinOperator#buildShared}): the buffered
 * right rows and their hash table. Read-only once made (probing only reads the rows' vectors and
 * the table), so the copies share it without locks; made on the query's thread before any copy
 * runs, which orders its writes before their reads. Only for joins that keep no per-build-row
 * state while probing (not RIGHT or FULL, which mark the build rows matched). Its memory (the rows
 * under the query's allocator, the table reserved against the query's limit) is freed by
 * {@link #close()}, after every copy is closed.
 */
public final class SharedHashBuild implements AutoCloseable {
    final BufferedRows rows;
    /** Null when the build side is empty. */
    final JoinHashTable table;
    final List<BatchColumn> columns;
    private final HeapReservation memory;

    SharedHashBuild(BufferedRows rows, JoinHashTable table, List<BatchColumn> columns, HeapReservation memory) {
        this.rows = rows;
        this.table = table;
        this.columns = List.copyOf(columns);
        this.memory = memory;
    }

    /** The build side's rows. */
    public int size() {
        return rows.size();
    }

    @Override
    public void close() {
        try {
            rows.close();
        } finally {
            memory.close();
        }
    }
}
