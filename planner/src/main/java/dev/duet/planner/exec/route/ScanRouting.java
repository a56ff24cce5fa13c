package dev.duet.planner.exec.route;

import dev.duet.columnstore.ScanMorsels;
import dev.duet.columnstore.ZonePredicate;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.rowstore.Transaction;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Routes full table scans. The engine attaches one to each statement's {@link QueryContext}
 * ({@link QueryContext#attach}); a scan without one reads the row store. Key lookups (primary-key
 * points, IN lists and ranges, secondary-index lookups) are planned as such and always read the
 * row store, unless the mode is {@link RouteMode#COLUMN}, in which case they are not planned.
 *
 * <p>Rules, in order: {@link RouteMode#ROW} reads the row store; a table the transaction has
 * written (or created) is read from the row store, the only one that sees those writes; a table
 * the column store cannot serve is read from the row store; {@link RouteMode#COLUMN} reads the
 * column store; otherwise a table of at least {@link #MIN_COLUMN_ROWS} rows is read from the
 * column store and a smaller one from the row store (a scan of a few thousand rows costs less
 * there than opening column segments), and so is a larger one when the column store has not
 * applied the snapshot within {@link #AUTO_WAIT}: under a write load the sync may lag, and the
 * row store answers at once where a column scan would wait for it.
 */
public final class ScanRouting {
    /** The smallest table AUTO reads from the column store. */
    public static final long MIN_COLUMN_ROWS = 10_000;
    /** How long AUTO waits for the column store to reach the snapshot before it reads the row store. */
    public static final Duration AUTO_WAIT = Duration.ofMillis(50);

    private final RouteMode mode;
    private final ColumnScans columns;

    /** @param columns the column store, or null if the database has none (every scan reads the row store) */
    public ScanRouting(RouteMode mode, ColumnScans columns) {
        this.mode = Objects.requireNonNull(mode, "mode is null");
        this.columns = columns;
    }

    public RouteMode mode() {
        return mode;
    }

    /** Where a full scan of {@code table} in {@code transaction} goes now, and why. */
    public Route route(TableDef table, Transaction transaction) {
        if (mode == RouteMode.ROW) {
            return new Route(false, "duet.route = row", -1);
        }
        if (transaction.hasWrites(table.id())) {
            return new Route(false, "the transaction has written the table", -1);
        }
        long rows = columns == null ? -1 : columns.estimatedRows(table, transaction);
        if (rows < 0) {
            return new Route(false, columns == null ? "no column store" : "not in the column store", -1);
        }
        if (mode == RouteMode.COLUMN) {
            return new Route(true, "duet.route = column", rows);
        }
        if (rows < MIN_COLUMN_ROWS) {
            return new Route(false, "fewer than " + MIN_COLUMN_ROWS + " rows", rows);
        }
        return columns.reaches(transaction, AUTO_WAIT)
                ? new Route(true, "at least " + MIN_COLUMN_ROWS + " rows", rows)
                : new Route(false, "the column store is behind the snapshot", rows);
    }

    /** A column-store scan (see {@link ColumnScans#scan}); only after {@link #route} chose the column store. */
    public Operator columnScan(QueryContext context, Transaction transaction, TableDef table, int[] columnIndexes,
            List<ZonePredicate> zonePredicates) {
        return columns.scan(context, transaction, table, columnIndexes, zonePredicates);
    }

    /** The morsels of a parallel column-store scan (see {@link ColumnScans#morsels}); null if it cannot split. */
    public ScanMorsels morsels(Transaction transaction, TableDef table, int[] columnIndexes, List<ZonePredicate> zonePredicates,
            int morselRows) {
        return columns == null ? null : columns.morsels(transaction, table, columnIndexes, zonePredicates, morselRows);
    }
}
