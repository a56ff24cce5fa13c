package dev.duet.planner.exec.join;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.HeapReservation;
import java.util.List;

/**
 * The build side of a hash join made once and probed by several copies of the join at the same
 * time, one per thread of a parallel query ({@link HashJoinOperator#buildShared}): the buffered
 * right rows and their hash table. Read-only once made (probing only reads the rows' vectors and
 * the table), so the copies share it without locks; made on the query's thread before any copy
 * runs, which orders its writes before their reads. Its memory (the rows under the query's
 * allocator, the table reserved against the query's limit) is freed by {@link #close()}, after
 * every copy is closed.
 *
 * <p>Joins that output build rows by whether anything matched them (RIGHT, FULL, RIGHT_SEMI,
 * RIGHT_ANTI) share it too: each copy marks the rows its probe rows matched in a bitmap of its
 * own and adds it to this build's ({@link #addMatched}, under this object's lock) when its probe
 * side ends; once every copy has, one more instance of the join
 * ({@link HashJoinOperator#buildTail}) outputs the build rows by the merged bitmap.
 */
public final class SharedHashBuild implements AutoCloseable {
    final BufferedRows rows;
    /** Null when the build side is empty. */
    final JoinHashTable table;
    final List<BatchColumn> columns;
    private final HeapReservation memory;
    /** Build rows some copy matched, a bit each; null unless the join tracks them. Guarded by {@code this}. */
    private final long[] matched;
    /** Guarded by {@code this}. */
    private boolean closed;

    SharedHashBuild(BufferedRows rows, JoinHashTable table, List<BatchColumn> columns, HeapReservation memory,
            boolean tracksMatches) {
        this.rows = rows;
        this.table = table;
        this.columns = List.copyOf(columns);
        this.memory = memory;
        this.matched = tracksMatches ? new long[(rows.size() + 63) >>> 6] : null;
    }

    /** Bytes of the matched-rows bitmap a build of {@code rows} rows keeps when its join tracks matches. */
    static long matchedBytes(int rows) {
        return (long) ((rows + 63) >>> 6) * Long.BYTES;
    }

    /** Adds the build rows one copy of the join matched (its whole probe side) to the merged bitmap. */
    synchronized void addMatched(long[] copyMatched) {
        for (int i = 0; i < matched.length; i++) {
            matched[i] |= copyMatched[i];
        }
    }

    /** The merged bitmap into {@code out}: every copy has added its own by now (the gather above them has ended). */
    synchronized void copyMatched(long[] out) {
        System.arraycopy(matched, 0, out, 0, matched.length);
    }

    /** The build side's rows. */
    public int size() {
        return rows.size();
    }

    /** Closes once: the tail of a join (its last reader) and the gather's clean-up may both ask. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            rows.close();
        } finally {
            memory.close();
        }
    }
}
