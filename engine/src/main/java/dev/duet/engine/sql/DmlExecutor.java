package dev.duet.engine.sql;

import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import dev.duet.planner.PlannedDml;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.Transaction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Applies an INSERT, UPDATE or DELETE plan to a transaction and counts the rows it changed.
 *
 * <p>Every value written passes through {@link Values#coerce} to the column's type (22001 for a
 * too-long string, 22003 out of range; never a silent truncation), and the row store checks
 * NOT NULL (23502) and the primary key (23505). UPDATE and DELETE read all their input before
 * writing anything, so a statement never sees its own changes (the Halloween problem); so does
 * an INSERT whose source reads the target table. A table with a primary key addresses rows by
 * key; one without (row-id keys) finds the rows to change by value: equal rows are
 * interchangeable in SQL, so a multiset of the rows to change, matched against a scan of the
 * table, changes exactly as many copies as the statement selected.
 *
 * <p>The caller makes the statement atomic (a savepoint or its own transaction): a failure here
 * may leave some of the statement's writes in the transaction.
 */
final class DmlExecutor {
    private final QueryContext context;
    private final Transaction tx;

    DmlExecutor(QueryContext context, Transaction tx) {
        this.context = context;
        this.tx = tx;
    }

    /**
     * Runs {@code dml}, whose input's physical plan is {@code input}, or which reads its input
     * row by {@code lookup} if that is not null; the number of rows changed.
     */
    long execute(PlannedDml dml, PlanNode input, PointLookup lookup) {
        TableDef table = current(dml.table());
        return switch (dml.operation()) {
            case INSERT -> readsTable(dml, table) ? insertRows(table, readAll(input)) : insert(table, input);
            case DELETE -> delete(table, lookup != null ? lookedUp(lookup) : readAll(input));
            case UPDATE -> update(table, dml.modify().getUpdateColumnList(), lookup != null ? lookedUp(lookup) : readAll(input));
        };
    }

    /** The row {@code lookup} finds (none or one), read as {@link #readAll} reads a plan's. */
    private List<Object[]> lookedUp(PointLookup lookup) {
        context.checkCancelled();
        Object[] parameters = new Object[context.parameterCount()];
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = context.parameter(i);
        }
        Object[] row = lookup.row(tx, parameters);
        return row == null ? List.of() : List.<Object[]>of(row);
    }

    /** Inserts every row {@code source} produces (complete rows in column order) into {@code table}. */
    long insert(TableDef table, PlanNode source) {
        long n = 0;
        try (Operator op = PlanNode.instantiate(source, context, tx)) {
            for (VectorSchemaRoot batch; (batch = next(op)) != null; ) {
                int rows = batch.getRowCount();
                for (int r = 0; r < rows; r++) {
                    tx.insert(table.id(), Batches.row(batch, r));
                }
                n += rows;
            }
        }
        return n;
    }

    /** Inserts the one row {@code row} makes of the bound parameters into {@code planned}; 1. */
    long insert(TableDef planned, ParameterRow row) {
        TableDef table = current(planned);
        context.checkCancelled();
        tx.insert(table.id(), row.values(context));
        return 1;
    }

    private long insertRows(TableDef table, List<Object[]> rows) {
        for (Object[] row : rows) {
            tx.insert(table.id(), row);
        }
        return rows.size();
    }

    private long delete(TableDef table, List<Object[]> rows) {
        if (table.hasPrimaryKey()) {
            for (Object[] row : rows) {
                tx.delete(table.id(), keyOf(table, row));
            }
            return rows.size();
        }
        for (Matched m : matchByValue(table, rows)) {
            tx.delete(m.row);
        }
        return rows.size();
    }

    private long update(TableDef table, List<String> updateColumns, List<Object[]> rows) {
        int width = table.columnCount();
        int[] targets = new int[updateColumns.size()];
        boolean keyChanges = false;
        for (int i = 0; i < targets.length; i++) {
            targets[i] = table.requireColumn(updateColumns.get(i));
            keyChanges |= isKeyColumn(table, targets[i]);
        }
        if (keyChanges) {
            // Keys are unique at the end of the statement, not after each row: SET id = id + 1
            // moves every row. Delete all old rows, then insert all new ones.
            List<Object[]> newRows = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                Object[] next = Arrays.copyOf(row, width);
                for (int i = 0; i < targets.length; i++) {
                    ColumnDef c = table.column(targets[i]);
                    next[targets[i]] = Values.coerce(c.type(), row[width + i], c.name());
                }
                tx.delete(table.id(), keyOf(table, row));
                newRows.add(next);
            }
            return insertRows(table, newRows);
        }
        if (table.hasPrimaryKey()) {
            for (Object[] row : rows) {
                tx.update(table.id(), keyOf(table, row), changes(table, targets, row, width));
            }
            return rows.size();
        }
        for (Matched m : matchByValue(table, rows)) {
            tx.update(m.row, changes(table, targets, m.input, width));
        }
        return rows.size();
    }

    private static Map<String, Object> changes(TableDef table, int[] targets, Object[] row, int width) {
        Map<String, Object> changes = new LinkedHashMap<>();
        for (int i = 0; i < targets.length; i++) {
            changes.put(table.column(targets[i]).name(), row[width + i]);
        }
        return changes;
    }

    /** A stored row and the input row that selected it. */
    private record Matched(Row row, Object[] input) {
    }

    /**
     * The stored rows of a table without a primary key that {@code inputs} select: for each input
     * row (whose first columns are a stored row's values), one distinct stored row equal to it.
     */
    private List<Matched> matchByValue(TableDef table, List<Object[]> inputs) {
        DataType[] types = new DataType[table.columnCount()];
        for (int c = 0; c < types.length; c++) {
            types[c] = table.column(c).type();
        }
        Map<RowValue, ArrayDeque<Object[]>> wanted = new HashMap<>();
        for (Object[] in : inputs) {
            wanted.computeIfAbsent(new RowValue(types, in), k -> new ArrayDeque<>()).add(in);
        }
        List<Matched> out = new ArrayList<>(inputs.size());
        long seen = 0;
        for (Row row : tx.scan(table.qualifiedName())) {
            if ((++seen & 1023) == 0) {
                context.checkCancelled();
            }
            ArrayDeque<Object[]> q = wanted.get(new RowValue(types, row.values()));
            if (q != null) {
                out.add(new Matched(row, q.poll()));
                if (q.isEmpty()) {
                    wanted.remove(new RowValue(types, row.values()));
                }
            }
        }
        if (!wanted.isEmpty()) {
            throw new IllegalStateException("rows selected for change were not found in table " + table.name()
                    + ": " + wanted.size() + " distinct values unmatched");
        }
        return out;
    }

    /**
     * The first {@code types.length} values of a row, with SQL equality per column type and
     * NULL equal to NULL (rows are compared as wholes, IS NOT DISTINCT FROM).
     */
    private static final class RowValue {
        private final DataType[] types;
        private final Object[] values;
        private final int hash;

        RowValue(DataType[] types, Object[] values) {
            this.types = types;
            this.values = values;
            int h = 1;
            for (int c = 0; c < types.length; c++) {
                h = 31 * h + Values.hash(types[c], values[c]);
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof RowValue other)) {
                return false;
            }
            for (int c = 0; c < types.length; c++) {
                if (!Values.equal(types[c], values[c], other.values[c])) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** Every row the plan produces, read before anything is written. */
    private List<Object[]> readAll(PlanNode input) {
        List<Object[]> rows = new ArrayList<>();
        try (Operator op = PlanNode.instantiate(input, context, tx)) {
            for (VectorSchemaRoot batch; (batch = next(op)) != null; ) {
                rows.addAll(Batches.rows(batch));
            }
        }
        return rows;
    }

    private VectorSchemaRoot next(Operator op) {
        context.checkCancelled();
        return context.allocating(op::next);
    }

    /** The table as the transaction sees it now; the plan must have been made for this very table. */
    private TableDef current(TableDef planned) {
        TableDef t = tx.catalog().tableById(planned.id());
        if (t == planned) {
            return t; // the catalog the statement was planned against
        }
        if (t == null || !t.qualifiedName().equals(planned.qualifiedName()) || !t.columns().equals(planned.columns())) {
            throw new IllegalStateException("table " + planned.name() + " changed since the statement was planned");
        }
        return t;
    }

    /** True if the INSERT's source reads the table it inserts into. */
    private static boolean readsTable(PlannedDml dml, TableDef table) {
        List<String> target = List.of(table.schema(), table.name());
        for (RelOptTable t : RelOptUtil.findAllTables(dml.modify().getInput())) {
            if (t.getQualifiedName().equals(target)) {
                return true;
            }
        }
        return false;
    }

    private static Object[] keyOf(TableDef table, Object[] row) {
        Object[] key = new Object[table.primaryKeyLength()];
        for (int i = 0; i < key.length; i++) {
            key[i] = row[table.primaryKeyColumn(i)];
        }
        return key;
    }

    private static boolean isKeyColumn(TableDef table, int column) {
        for (int i = 0; i < table.primaryKeyLength(); i++) {
            if (table.primaryKeyColumn(i) == column) {
                return true;
            }
        }
        return false;
    }
}
