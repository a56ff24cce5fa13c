package dev.duet.planner.exec.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duet.core.DuetException;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

class ValuesOperatorTest extends OperatorTestBase {
    @Test
    void everyTypeAcrossBatchesWithNulls() {
        QueryContext ctx = context(3);
        List<BatchColumn> columns = new ArrayList<>();
        for (DataType t : TestValues.allTypes()) {
            columns.add(TestValues.column("c" + columns.size(), t));
        }
        List<List<Object>> rows = new ArrayList<>();
        List<Object[]> expected = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            Object[] row = new Object[columns.size()];
            for (int c = 0; c < row.length; c++) {
                row[c] = (r + c) % 4 == 0 ? null : TestValues.value(columns.get(c).type(), r + c);
            }
            rows.add(Arrays.asList(row));
            expected.add(row);
        }
        ValuesOperator values = new ValuesOperator(ctx, new ValuesSpec(columns, rows));
        List<List<Object>> out = drain(values);
        assertEquals(normalizeAll(expected), out, "rows in order");
    }

    @Test
    void valuesAreCoercedAndCheckedWhenTheSpecIsMade() {
        List<BatchColumn> columns = List.of(TestValues.column("b", DataType.BIGINT), new BatchColumn("n", DataType.INTEGER, false));
        ValuesSpec spec = new ValuesSpec(columns, List.of(Arrays.asList(1, 2)));
        assertEquals(List.of(1L, 2), spec.rows().get(0), "INTEGER 1 becomes BIGINT 1L");
        assertThrows(IllegalArgumentException.class, () -> new ValuesSpec(columns, List.of(Arrays.asList(1L, null))));
        assertThrows(IllegalArgumentException.class, () -> new ValuesSpec(columns, List.of(List.of(1L))));
        assertThrows(DuetException.class, () -> new ValuesSpec(columns, List.of(List.of("x", 1))));
    }

    @Test
    void noRowsAndNoColumns() {
        QueryContext ctx = context(16);
        ValuesOperator empty = new ValuesOperator(ctx, new ValuesSpec(List.of(TestValues.column("a", DataType.INTEGER)), List.of()));
        assertNull(empty.next());
        empty.close();
        ValuesOperator oneEmptyRow = new ValuesOperator(ctx, new ValuesSpec(List.of(), List.of(List.of())));
        VectorSchemaRoot b = oneEmptyRow.next();
        assertEquals(1, b.getRowCount());
        assertEquals(0, b.getFieldVectors().size());
        assertNull(oneEmptyRow.next());
        oneEmptyRow.close();
    }
}
