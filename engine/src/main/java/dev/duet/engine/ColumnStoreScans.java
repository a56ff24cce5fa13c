package dev.duet.engine;

import dev.duet.columnstore.ColumnStore;
import dev.duet.columnstore.ZonePredicate;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.planner.exec.route.ColumnScans;
import dev.duet.rowstore.Transaction;
import java.util.List;
import java.util.Objects;

/**
 * The database's column store as the planner's table scans see it. A scan reads at the
 * transaction's snapshot, waiting (bounded) for the sync to have applied it: see {@link
 * ColumnStore#scan}.
 */
final class ColumnStoreScans implements ColumnScans {
    private final ColumnStore store;

    ColumnStoreScans(ColumnStore store) {
        this.store = Objects.requireNonNull(store, "store is null");
    }

    /**
     * The store's row count of the table; if the store does not know the table yet but has not
     * caught up with the snapshot either (the table is new), waits for the snapshot first, as the
     * scan would.
     */
    @Override
    public long estimatedRows(TableDef table, Transaction transaction) {
        long rows = store.estimatedRows(table.id());
        if (rows < 0 && store.watermarkTs() < transaction.snapshot()) {
            store.awaitWatermark(transaction.snapshot(), store.options().scanWait());
            rows = store.estimatedRows(table.id());
        }
        return rows;
    }

    @Override
    public Operator scan(QueryContext context, Transaction transaction, TableDef table, int[] columns,
            List<ZonePredicate> zonePredicates) {
        return store.scan(context, table.id(), transaction.snapshot(), columns, zonePredicates);
    }
}
