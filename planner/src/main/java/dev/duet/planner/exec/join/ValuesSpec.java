package dev.duet.planner.exec.join;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link ValuesOperator} produces: constant rows ({@code VALUES (1, 'a'), (2, NULL)}),
 * each a list of canonical Java values (see {@link dev.duet.core.types.DataType}) or nulls, one
 * per column. Values are checked and converted to the columns' types when the spec is made
 * ({@link Values#coerce}); a NULL in a NOT NULL column is refused. Zero columns are allowed (a
 * {@code SELECT} without {@code FROM} reads one row of none).
 */
public record ValuesSpec(List<BatchColumn> columns, List<List<Object>> rows) {
    public ValuesSpec {
        columns = List.copyOf(Objects.requireNonNull(columns, "columns is null"));
        Objects.requireNonNull(rows, "rows is null");
        List<List<Object>> checked = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            List<Object> row = Objects.requireNonNull(rows.get(r), "row is null");
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row " + r + " has " + row.size() + " values for " + columns.size() + " columns");
            }
            List<Object> values = new ArrayList<>(row.size());
            for (int c = 0; c < row.size(); c++) {
                BatchColumn column = columns.get(c);
                Object v = Values.coerce(column.type(), row.get(c), column.name());
                if (v == null && !column.nullable()) {
                    throw new IllegalArgumentException("row " + r + " has NULL in NOT NULL column " + column.name());
                }
                values.add(v instanceof byte[] b ? b.clone() : v);
            }
            checked.add(Collections.unmodifiableList(values));
        }
        rows = Collections.unmodifiableList(checked);
    }

    @Override
    public String toString() {
        return "Values[" + rows.size() + " rows of " + columns + "]";
    }
}
