package dev.duet.planner.exec.plan;

import dev.duet.columnstore.ScanMorsels;
import dev.duet.columnstore.ZonePredicate;
import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.planner.exec.route.Route;
import dev.duet.planner.exec.route.ScanRouting;
import dev.duet.rowstore.KeyRange;
import dev.duet.rowstore.RowStoreScan;
import dev.duet.rowstore.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A full scan of a table reading only {@code columns} (indexes into the table's columns, in output
 * order), from the row store or the column store as routed at each execution. Its zone
 * predicates (conditions of the filter above it) let a column-store scan skip row groups; they
 * filter nothing themselves.
 *
 * <p>In a parallel plan the scan drives a pipeline that a gather runs on several threads: the
 * gather attaches {@link Morsels} to each worker's context, and this node's operator in that
 * context reads the shared morsels instead of the whole table.
 */
public final class TableScanNode implements PlanNode {
    /**
     * The morsels that {@code scan}'s operator reads in a worker's context (attached by the gather
     * that runs the worker; see {@link dev.duet.planner.exec.parallel.GatherNode}).
     */
    public record Morsels(TableScanNode scan, ScanMorsels morsels) {
    }

    private final TableDef table;
    private final int[] columnIndexes;
    private final List<BatchColumn> columns;
    private final List<ZonePredicate> zonePredicates;

    public TableScanNode(TableDef table, int[] columnIndexes) {
        this(table, columnIndexes, List.of());
    }

    /** @param zonePredicates conditions over the table's columns (by table column index) for row-group skipping */
    public TableScanNode(TableDef table, int[] columnIndexes, List<ZonePredicate> zonePredicates) {
        this.table = Objects.requireNonNull(table, "table is null");
        this.zonePredicates = List.copyOf(zonePredicates);
        this.columnIndexes = columnIndexes.clone();
        List<BatchColumn> cols = new ArrayList<>();
        for (int c : this.columnIndexes) {
            ColumnDef def = table.column(c);
            cols.add(new BatchColumn(def.name(), def.type(), !def.notNull()));
        }
        this.columns = List.copyOf(cols);
    }

    public TableDef table() {
        return table;
    }

    /** The conditions whose min/max statistics let a column-store scan skip row groups. */
    public List<ZonePredicate> zonePredicates() {
        return zonePredicates;
    }

    /** The table's columns read, in output order. */
    public int[] columnIndexes() {
        return columnIndexes.clone();
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of();
    }

    @Override
    public String describe() {
        return "TableScan(table=" + table.qualifiedName() + ", columns=" + columns.stream().map(BatchColumn::name).toList()
                + (zonePredicates.isEmpty() ? "" : ", zone=" + zonePredicates.stream()
                        .map(p -> table.column(p.column()).name() + " " + p.op() + " " + p.value()).toList())
                + ")";
    }

    /**
     * Reads the row store or the column store, as the statement's {@link ScanRouting} (attached to
     * the context by the engine) decides at this moment: the route depends on the transaction's
     * writes and the table's size, so a cached plan is routed anew at each execution.
     */
    @Override
    public Operator createOperator(QueryContext context, Transaction transaction) {
        checkUnchanged(table, transaction);
        Morsels shared = context.attachment(Morsels.class);
        if (shared != null && shared.scan() == this) {
            return shared.morsels().newScan(context);
        }
        ScanRouting routing = context.attachment(ScanRouting.class);
        if (routing != null && routing.route(table, transaction).column()) {
            return routing.columnScan(context, transaction, table, columnIndexes, zonePredicates);
        }
        return new RowStoreScan(context, transaction, table.qualifiedName(), KeyRange.all(), columnIndexes);
    }

    /** The route this scan would take in {@code transaction} under {@code routing} (for EXPLAIN). */
    public Route route(ScanRouting routing, Transaction transaction) {
        return routing == null ? new Route(false, "no column store", -1) : routing.route(table, transaction);
    }

    /** Fails if {@code transaction} sees another table (or other columns) under the planned table's name. */
    static void checkUnchanged(TableDef table, Transaction transaction) {
        TableDef current = transaction.table(table.qualifiedName());
        if (current.id() != table.id() || !current.columns().equals(table.columns())) {
            // PostgreSQL's error for a prepared plan whose table changed under it
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                    "cached plan must not change result type: table \"%s\" changed since the query was planned",
                    table.name());
        }
    }

    @Override
    public String toString() {
        return describe() + Arrays.toString(columnIndexes);
    }
}
