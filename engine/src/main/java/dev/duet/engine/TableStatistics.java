package dev.duet.engine;

import dev.duet.core.catalog.TableDef;
import dev.duet.planner.catalog.CatalogSchema;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.RowStore;
import dev.duet.rowstore.Transaction;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * What the planner's estimates read from the row store: a table's row count (its live slots), and
 * for small tables a column's distinct values, counted by reading the column when a plan first
 * compares it with a constant. Large tables report no distinct counts: reading millions of rows
 * while planning would cost more than a misjudged join order; the planner keeps its guesses there.
 */
final class TableStatistics implements CatalogSchema.RowCounts {
    /** The most rows a table may have for its distinct values to be counted while planning. */
    static final long MAX_ROWS_COUNTED = 100_000;

    private final RowStore store;

    TableStatistics(RowStore store) {
        this.store = store;
    }

    @Override
    public OptionalDouble rowCount(TableDef table) {
        return OptionalDouble.of(store.estimatedRows(table.id()));
    }

    @Override
    public OptionalDouble distinctValues(TableDef table, int column) {
        if (store.estimatedRows(table.id()) > MAX_ROWS_COUNTED) {
            return OptionalDouble.empty();
        }
        Set<Object> seen = new HashSet<>();
        try (Transaction tx = store.begin(true)) {
            for (Row row : tx.scan(table.qualifiedName())) {
                Object v = row.get(column);
                if (v != null) {
                    seen.add(v instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : v);
                }
            }
        }
        return OptionalDouble.of(seen.size());
    }
}
