package dev.duet.engine;

import dev.duet.core.DuetException;
import dev.duet.core.catalog.TableDef;
import dev.duet.planner.catalog.CatalogSchema;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.RowStore;
import dev.duet.rowstore.Transaction;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the planner's estimates read from the row store: a table's row count (its live slots), and
 * for small tables a column's distinct values, counted by reading the column when a plan first
 * compares it with a constant. Large tables report no distinct counts: reading millions of rows
 * while planning would cost more than a misjudged join order; the planner keeps its guesses there.
 * A count is kept and reused while the table's row count stays the same (an estimate may be a
 * little stale after updates; it only steers the plan, never the answer).
 */
final class TableStatistics implements CatalogSchema.RowCounts {
    /** The most rows a table may have for its distinct values to be counted while planning. */
    static final long MAX_ROWS_COUNTED = 100_000;

    private final RowStore store;
    /** Per table and column, {rows when counted, distinct values}; a concurrent map, read and written by planning threads. */
    private final Map<Column, long[]> counted = new ConcurrentHashMap<>();

    private record Column(long table, int column) {
    }

    TableStatistics(RowStore store) {
        this.store = store;
    }

    @Override
    public OptionalDouble rowCount(TableDef table) {
        return OptionalDouble.of(store.estimatedRows(table.id()));
    }

    @Override
    public OptionalDouble distinctValues(TableDef table, int column) {
        long rows = store.estimatedRows(table.id());
        if (rows > MAX_ROWS_COUNTED) {
            return OptionalDouble.empty();
        }
        Column key = new Column(table.id(), column);
        long[] known = counted.get(key);
        if (known != null && known[0] == rows) {
            return OptionalDouble.of(known[1]);
        }
        Set<Object> seen = new HashSet<>();
        try (Transaction tx = store.begin(true)) {
            for (Row row : tx.scan(table.qualifiedName())) {
                Object v = row.get(column);
                if (v != null) {
                    seen.add(v instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : v);
                }
            }
        } catch (DuetException e) {
            // a table this snapshot cannot see (created by the planning statement's own open
            // transaction): no count, the planner guesses
            return OptionalDouble.empty();
        }
        counted.put(key, new long[] {rows, seen.size()});
        return OptionalDouble.of(seen.size());
    }
}
