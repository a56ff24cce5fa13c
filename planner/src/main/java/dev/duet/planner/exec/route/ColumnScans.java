package dev.duet.planner.exec.route;

import dev.duet.columnstore.ScanMorsels;
import dev.duet.columnstore.ZonePredicate;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.rowstore.Transaction;
import java.time.Duration;
import java.util.List;

/** The column store as table scans see it; the engine implements it over its column store. */
public interface ColumnScans {
    /**
     * The number of rows the column store holds for {@code table} at about {@code transaction}'s
     * snapshot (an estimate: the rows of its segments), or -1 if it cannot serve the table at all.
     */
    long estimatedRows(TableDef table, Transaction transaction);

    /**
     * Whether the column store has applied every commit up to {@code transaction}'s snapshot,
     * waiting up to {@code wait} for it to get there.
     */
    boolean reaches(Transaction transaction, Duration wait);

    /**
     * An operator returning exactly the rows of {@code table} visible at {@code transaction}'s
     * snapshot, reading only {@code columns} (indexes into the table's columns, in output order),
     * in the query's allocator. The transaction has no uncommitted writes to the table.
     * {@code zonePredicates} (over table column indexes) may skip row groups that cannot match;
     * rows read are returned whether they match or not.
     */
    Operator scan(QueryContext context, Transaction transaction, TableDef table, int[] columns,
            List<ZonePredicate> zonePredicates);

    /**
     * The rows {@link #scan} would return, as morsels for the scans of a parallel query to share
     * (in-memory segments cut every {@code morselRows} rows), or null when the column store cannot
     * serve this snapshot (the caller then scans serially, which falls back as {@link #scan} does).
     * The caller closes the result after the scans over it. By default, never splits.
     */
    default ScanMorsels morsels(Transaction transaction, TableDef table, int[] columns, List<ZonePredicate> zonePredicates,
            int morselRows) {
        return null;
    }
}
