package dev.duet.planner.exec.plan;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import dev.duet.rowstore.KeyRange;
import dev.duet.rowstore.RowStoreScan;
import dev.duet.rowstore.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A scan of a row-store table that reads only the rows whose key matches: the primary key, or the
 * leading columns of a secondary index ({@link #index()} not null). The key is given column by
 * column in key order: each leading column by a set of values (equality or IN; several columns
 * give their cross product), then optionally a range on the next column. Values are
 * {@link Bound}s (constants or statement parameters) evaluated when the operator is created, so
 * one plan serves every execution of a prepared statement. A full primary key becomes a hash
 * lookup per value, anything else ordered range scans; each row is read once, in key order.
 *
 * <p>The scan returns exactly the rows its key predicates select, as its transaction sees them
 * (its own writes included). If the index is gone when the plan runs (dropped since planning), the
 * node fails with 0A000 like a plan whose table changed.
 */
public final class KeyScanNode implements PlanNode {
    /** A key value: a constant of the key column's type, or a statement parameter converted to it. */
    public record Bound(Object constant, int parameter, DataType type) {
        /** A constant (canonical value of the key column's {@code type}). */
        public static Bound constant(Object value, DataType type) {
            return new Bound(Objects.requireNonNull(value, "value is null"), -1, type);
        }

        /** Parameter {@code index} (0-based), whose type the planner checked converts exactly to {@code type}. */
        public static Bound parameter(int index, DataType type) {
            return new Bound(null, index, type);
        }

        /** The value for this execution, or null if it is NULL (which no key equals). */
        Object value(QueryContext context) {
            return parameter < 0 ? constant : converted(context.parameter(parameter));
        }

        /** As {@link #value(QueryContext)}, given the statement's parameter values (07001 if too few). */
        Object value(Object[] parameters) {
            if (parameter < 0) {
                return constant;
            }
            if (parameter >= parameters.length) {
                throw DuetException.of(SqlState.WRONG_PARAMETER_COUNT,
                        "no value was bound for parameter $%d (%d bound)", parameter + 1, parameters.length);
            }
            return converted(parameters[parameter]);
        }

        private Object converted(Object v) {
            // a string bound is compared, never stored: no VARCHAR(n) length check
            return v == null ? null : Values.coerce(type.kind() == DataType.Kind.VARCHAR ? DataType.TEXT : type, v, null);
        }

        @Override
        public String toString() {
            return parameter >= 0 ? "?" + parameter : Values.toSqlLiteral(type, constant);
        }
    }

    private final TableDef table;
    private final IndexDef index;
    private final int[] columnIndexes;
    private final List<BatchColumn> columns;
    private final List<List<Bound>> points;
    private final Bound low;
    private final boolean lowInclusive;
    private final Bound high;
    private final boolean highInclusive;
    /** True if the scan fixes the whole primary key to one value per column: it reads at most one row. */
    private final boolean primaryKeyPoint;

    /**
     * @param index null for the primary key
     * @param points the values of each leading key column, in key order
     * @param low lower bound of the next key column (null: none)
     * @param high upper bound of the next key column (null: none)
     */
    public KeyScanNode(TableDef table, IndexDef index, int[] columnIndexes, List<List<Bound>> points,
            Bound low, boolean lowInclusive, Bound high, boolean highInclusive) {
        this.table = Objects.requireNonNull(table, "table is null");
        this.index = index;
        this.columnIndexes = columnIndexes.clone();
        List<List<Bound>> p = new ArrayList<>();
        for (List<Bound> values : points) {
            p.add(List.copyOf(values));
        }
        this.points = List.copyOf(p);
        this.low = low;
        this.lowInclusive = lowInclusive;
        this.high = high;
        this.highInclusive = highInclusive;
        if (this.points.isEmpty() && low == null && high == null) {
            throw new IllegalArgumentException("a key scan needs at least one key predicate");
        }
        List<BatchColumn> cols = new ArrayList<>();
        for (int c : this.columnIndexes) {
            ColumnDef def = table.column(c);
            cols.add(new BatchColumn(def.name(), def.type(), !def.notNull()));
        }
        this.columns = List.copyOf(cols);
        this.primaryKeyPoint = index == null && low == null && high == null
                && this.points.size() == table.primaryKeyLength()
                && this.points.stream().allMatch(values -> values.size() == 1);
    }

    public TableDef table() {
        return table;
    }

    /** The secondary index read, or null for the primary key. */
    public IndexDef index() {
        return index;
    }

    /** The table's columns read, in output order. */
    public int[] columnIndexes() {
        return columnIndexes.clone();
    }

    /**
     * True if this scan reads at most one row: the whole primary key, one value per key column (no
     * IN list, no range). Such a lookup can be run without an operator ({@link #pointKey}).
     */
    public boolean isPrimaryKeyPoint() {
        return primaryKeyPoint;
    }

    /**
     * The primary key a {@linkplain #isPrimaryKeyPoint() point} scan looks up in an execution
     * with statement parameters {@code parameters}: one value per key column in key order,
     * converted to the column's type; null if one of them is NULL (no row matches).
     */
    public Object[] pointKey(Object[] parameters) {
        if (!primaryKeyPoint) {
            throw new IllegalStateException("not a primary-key point lookup: " + describe());
        }
        Object[] key = new Object[points.size()];
        for (int i = 0; i < key.length; i++) {
            Object v = points.get(i).get(0).value(parameters);
            if (v == null) {
                return null;
            }
            key[i] = v;
        }
        return key;
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of();
    }

    /** Name of key column {@code position} (of the index, or of the primary key). */
    private String keyColumnName(int position) {
        int c = index == null ? table.primaryKeyColumn(position) : index.column(position);
        return table.column(c).name();
    }

    @Override
    public String describe() {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            List<Bound> values = points.get(i);
            key.append(i == 0 ? "" : " AND ").append(keyColumnName(i))
                    .append(values.size() == 1 ? " = " + values.get(0) : " IN " + values.toString()
                            .replace('[', '(').replace(']', ')'));
        }
        String sep = points.isEmpty() ? "" : " AND ";
        if (low != null) {
            key.append(sep).append(keyColumnName(points.size())).append(lowInclusive ? " >= " : " > ").append(low);
            sep = " AND ";
        }
        if (high != null) {
            key.append(sep).append(keyColumnName(points.size())).append(highInclusive ? " <= " : " < ").append(high);
        }
        return (index == null ? "KeyScan(table=" + table.qualifiedName()
                : "IndexScan(table=" + table.qualifiedName() + ", index=" + index.name())
                + ", key=[" + key + "], columns=" + columns.stream().map(BatchColumn::name).toList() + ")";
    }

    @Override
    public Operator createOperator(QueryContext context, Transaction transaction) {
        TableScanNode.checkUnchanged(table, transaction);
        List<KeyRange> ranges = ranges(context);
        // complete keys of a unique key find at most one row each: the batch need not be larger
        boolean unique = low == null && high == null
                && (index == null ? points.size() == table.primaryKeyLength() : index.unique() && points.size() == index.columnCount());
        int batchSize = unique ? Math.max(1, Math.min(ranges.size(), context.batchSize())) : context.batchSize();
        if (index == null) {
            return RowStoreScan.ofKeyRanges(context, transaction, table.qualifiedName(), ranges, columnIndexes, batchSize);
        }
        IndexDef current = transaction.findIndex(index.qualifiedName());
        if (current == null || current.id() != index.id()) {
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                    "cached plan must be planned again: index \"%s\" was dropped since the query was planned", index.name());
        }
        return RowStoreScan.ofIndex(context, transaction, table.qualifiedName(), index.qualifiedName(), ranges,
                columnIndexes, batchSize);
    }

    /** The key ranges of this execution: one per combination of leading values; none if a value is NULL. */
    private List<KeyRange> ranges(QueryContext context) {
        List<Object[]> prefixes = new ArrayList<>();
        prefixes.add(new Object[0]);
        for (List<Bound> values : points) {
            List<Object[]> next = new ArrayList<>(prefixes.size() * values.size());
            for (Bound b : values) {
                Object v = b.value(context);
                if (v == null) {
                    continue; // NULL equals nothing
                }
                for (Object[] p : prefixes) {
                    Object[] q = Arrays.copyOf(p, p.length + 1);
                    q[p.length] = v;
                    next.add(q);
                }
            }
            prefixes = next;
        }
        Object lowValue = low == null ? null : low.value(context);
        Object highValue = high == null ? null : high.value(context);
        if (low != null && lowValue == null || high != null && highValue == null) {
            return List.of(); // a comparison with NULL is never true
        }
        List<KeyRange> ranges = new ArrayList<>(prefixes.size());
        for (Object[] p : prefixes) {
            if (low == null && high == null) {
                ranges.add(KeyRange.prefix(p));
                continue;
            }
            Object[] from = p.length == 0 && low == null ? null : low == null ? p : append(p, lowValue);
            Object[] to = p.length == 0 && high == null ? null : high == null ? p : append(p, highValue);
            ranges.add(KeyRange.between(from, low == null || lowInclusive, to, high == null || highInclusive));
        }
        return ranges;
    }

    private static Object[] append(Object[] prefix, Object value) {
        Object[] out = Arrays.copyOf(prefix, prefix.length + 1);
        out[prefix.length] = value;
        return out;
    }

    @Override
    public String toString() {
        return describe();
    }
}
