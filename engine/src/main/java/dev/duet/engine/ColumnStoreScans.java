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

    @Override
    public long estimatedRows(TableDef table) {
        return store.estimatedRows(table.id());
    }

    @Override
    public Operator scan(QueryContext context, Transaction transaction, TableDef table, int[] columns,
            List<ZonePredicate> zonePredicates) {
        return store.scan(context, table.id(), transaction.snapshot(), columns, zonePredicates);
    }
}
