package dev.duet.engine.sql;

import dev.duet.planner.OutputColumn;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The result of a query that looked up one primary key ({@code KeyScanNode} point lookup): its
 * row (or none) read when the statement ran and held as Java values ({@link #valueRows()}), so that
 * a consumer reading values (the JDBC driver) costs no Arrow allocation at all. The lookup read the
 * statement's snapshot at once, so the result holds no operator, no transaction and no query memory,
 * and nothing the session runs next can change it. A consumer that asks for {@link #nextBatch()}
 * instead gets the row as a batch, made then in a query context of its own (accounted like SHOW's
 * rows and freed with this result or the session).
 */
final class LookupResult implements Result {
    private final Session session;
    private final List<OutputColumn> columns;
    private final List<Object[]> rows;
    /** The rows as a batch, made at the first {@link #nextBatch()}; null before. */
    private Result batches;
    private boolean closed;

    /** @param row the row found (its values in {@code columns} order), or null if none */
    LookupResult(Session session, List<OutputColumn> columns, Object[] row) {
        this.session = session;
        this.columns = columns;
        this.rows = row == null ? List.of() : List.<Object[]>of(row);
    }

    @Override
    public boolean returnsRows() {
        return true;
    }

    @Override
    public List<OutputColumn> columns() {
        return columns;
    }

    @Override
    public List<Object[]> valueRows() {
        return rows;
    }

    @Override
    public VectorSchemaRoot nextBatch() {
        if (closed) {
            throw new IllegalStateException("result is closed");
        }
        if (batches == null) {
            batches = session.rows(columns, rows, session.memoryLimit());
        }
        return batches.nextBatch();
    }

    @Override
    public long updateCount() {
        return -1;
    }

    @Override
    public String commandTag() {
        return "SELECT " + rows.size();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (batches != null) {
                batches.close();
            }
        }
    }
}
