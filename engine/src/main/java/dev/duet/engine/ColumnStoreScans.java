package dev.duet.engine;

import dev.duet.columnstore.ColumnStore;
import dev.duet.columnstore.ScanMorsels;
import dev.duet.columnstore.ZonePredicate;
import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.planner.exec.route.ColumnScans;
import dev.duet.rowstore.KeyRange;
import dev.duet.rowstore.RowStoreScan;
import dev.duet.rowstore.Transaction;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The database's column store as the planner's table scans see it. A scan reads at the
 * transaction's snapshot, waiting (bounded) for the sync to have applied it (see {@link
 * ColumnStore#scan}), and falls back to the row store when the column store cannot serve it.
 */
final class ColumnStoreScans implements ColumnScans {
    private final ColumnStore store;
    /** Scans served by the column store, and scans that fell back to the row store. */
    private final LongAdder served = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();

    ColumnStoreScans(ColumnStore store) {
        this.store = Objects.requireNonNull(store, "store is null");
    }

    /**
     * The store's row count of the table; if the store does not know the table yet but has not
     * caught up with the snapshot either (the table is new), waits for the snapshot first, as the
     * scan would (-1 if it does not get there within the scan wait: the row store then serves).
     */
    @Override
    public long estimatedRows(TableDef table, Transaction transaction) {
        long rows = store.estimatedRows(table.id());
        if (rows < 0 && reaches(transaction, store.options().scanWait())) {
            rows = store.estimatedRows(table.id());
        }
        return rows;
    }

    @Override
    public boolean reaches(Transaction transaction, Duration wait) {
        if (store.watermarkTs() >= transaction.snapshot()) {
            return true;
        }
        try {
            store.awaitWatermark(transaction.snapshot(), wait);
            return true;
        } catch (DuetException e) {
            if (e.state() != SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE) {
                throw e;
            }
            return false;
        }
    }

    /**
     * A column-store scan at the transaction's snapshot; a row-store scan instead when the column
     * store cannot serve that snapshot: the sync did not reach it within the wait, the snapshot is
     * older than the column store's history (a snapshot load, a compaction), or the table's drop
     * was applied since routing looked (55000, 42P01). The row store answers every open
     * transaction's snapshot, so the rows are the same either way.
     */
    @Override
    public Operator scan(QueryContext context, Transaction transaction, TableDef table, int[] columns,
            List<ZonePredicate> zonePredicates) {
        Operator scan;
        try {
            scan = store.scan(context, table.id(), transaction.snapshot(), columns, zonePredicates);
        } catch (DuetException e) {
            if (e.state() != SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE && e.state() != SqlState.UNDEFINED_TABLE) {
                throw e;
            }
            fallbacks.increment();
            return new RowStoreScan(context, transaction, table.qualifiedName(), KeyRange.all(), columns);
        }
        served.increment();
        return scan;
    }

    /**
     * The morsels of a parallel column-store scan at the transaction's snapshot; null when the
     * column store cannot serve that snapshot (as {@link #scan}, which the caller then runs and
     * which falls back to the row store).
     */
    @Override
    public ScanMorsels morsels(Transaction transaction, TableDef table, int[] columns, List<ZonePredicate> zonePredicates,
            int morselRows) {
        try {
            ScanMorsels morsels = store.morsels(table.id(), transaction.snapshot(), columns, zonePredicates, morselRows);
            served.increment();
            return morsels;
        } catch (DuetException e) {
            if (e.state() != SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE && e.state() != SqlState.UNDEFINED_TABLE) {
                throw e;
            }
            return null;
        }
    }

    /** Scans routed to the column store that it served. */
    long served() {
        return served.sum();
    }

    /** Scans routed to the column store that read the row store instead. */
    long fallbacks() {
        return fallbacks.sum();
    }
}
