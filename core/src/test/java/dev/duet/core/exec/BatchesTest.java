package dev.duet.core.exec;

import static dev.duet.core.exec.SampleValues.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchesTest {
    private final RootAllocator root = new RootAllocator();
    private final QueryContext ctx = new QueryContext(root, 64L << 20);

    @AfterEach
    void nothingLeaked() {
        ctx.close(); // throws on a leak
        assertEquals(0, root.getAllocatedMemory());
        root.close();
    }

    private static List<BatchColumn> allColumns() {
        List<BatchColumn> cols = new ArrayList<>();
        for (int i = 0; i < SampleValues.ALL_TYPES.length; i++) {
            cols.add(new BatchColumn("c" + i, SampleValues.ALL_TYPES[i], true));
        }
        return cols;
    }

    @Test
    void schemaUsesTheArrowTypesOfTheSqlTypes() {
        List<BatchColumn> cols = List.of(new BatchColumn("id", DataType.BIGINT, false),
                new BatchColumn("price", DataType.decimal(15, 2), true), new BatchColumn("name", DataType.varchar(5), true));
        var schema = Batches.schema(cols);
        assertEquals(3, schema.getFields().size());
        assertEquals(new ArrowType.Int(64, true), schema.getFields().get(0).getType());
        assertEquals(false, schema.getFields().get(0).isNullable());
        assertEquals(new ArrowType.Decimal(15, 2, 128), schema.getFields().get(1).getType());
        assertEquals(ArrowType.Utf8.INSTANCE, schema.getFields().get(2).getType());
        try (VectorSchemaRoot batch = Batches.create(ctx.allocator(), cols)) {
            assertTrue(batch.getVector(0) instanceof BigIntVector);
            assertTrue(batch.getVector(1) instanceof DecimalVector);
            assertTrue(batch.getVector(2) instanceof VarCharVector);
            assertEquals("price", batch.getVector(1).getName());
        }
    }

    @Test
    void everyTypeRoundTripsThroughSetAndGet() {
        List<BatchColumn> cols = allColumns();
        SampleValues values = new SampleValues(1);
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < 5000; r++) { // past the initial capacity: set must grow the vectors
            Object[] row = new Object[cols.size()];
            for (int c = 0; c < row.length; c++) {
                row[c] = values.next(cols.get(c).type(), 6);
            }
            rows.add(row);
        }
        try (VectorSchemaRoot batch = Batches.create(ctx.allocator(), cols)) {
            Batches.allocate(batch, 16);
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < cols.size(); c++) {
                    Batches.set(batch.getVector(c), r, rows.get(r)[c]);
                }
            }
            batch.setRowCount(rows.size());
            List<Object[]> back = Batches.rows(batch);
            assertEquals(rows.size(), back.size());
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < cols.size(); c++) {
                    assertSameValue(rows.get(r)[c], back.get(r)[c], "row " + r + " column " + cols.get(c));
                }
            }
        }
        try (VectorSchemaRoot batch = Batches.fromRows(ctx.allocator(), cols, rows)) {
            assertEquals(rows.size(), batch.getRowCount());
            for (int r = 0; r < rows.size(); r += 7) {
                Object[] row = Batches.row(batch, r);
                for (int c = 0; c < cols.size(); c++) {
                    assertSameValue(rows.get(r)[c], row[c], "row " + r + " column " + cols.get(c));
                }
            }
        }
    }

    @Test
    void storedFormsAreTheDocumentedOnes() {
        List<BatchColumn> cols = List.of(new BatchColumn("d", DataType.DATE, true),
                new BatchColumn("ts", DataType.TIMESTAMP, true), new BatchColumn("n", DataType.decimal(10, 3), true));
        List<Object[]> rows = List.<Object[]>of(new Object[] {java.time.LocalDate.of(1970, 1, 2),
            java.time.LocalDateTime.of(1970, 1, 1, 0, 0, 1, 5000), new BigDecimal("-1.5")}); // scale 1: rescaled
        try (VectorSchemaRoot batch = Batches.fromRows(ctx.allocator(), cols, rows)) {
            assertEquals(1, ((DateDayVector) batch.getVector(0)).get(0));
            assertEquals(1_000_005, ((TimeStampMicroVector) batch.getVector(1)).get(0));
            assertEquals(new BigDecimal("-1.500"), Batches.get(batch.getVector(2), 0));
        }
    }

    @Test
    void wrongValuesFailWithoutLeaking() {
        List<BatchColumn> cols = List.of(new BatchColumn("x", DataType.BIGINT, true), new BatchColumn("n", DataType.decimal(3, 1), true));
        assertThrows(IllegalArgumentException.class,
                () -> Batches.fromRows(ctx.allocator(), cols, List.<Object[]>of(new Object[] {1, null})));
        assertThrows(IllegalArgumentException.class,
                () -> Batches.fromRows(ctx.allocator(), cols, List.<Object[]>of(new Object[] {1L, new BigDecimal("1.25")})));
        assertThrows(IllegalArgumentException.class,
                () -> Batches.fromRows(ctx.allocator(), cols, List.<Object[]>of(new Object[] {1L, new BigDecimal("123.4")})));
        assertThrows(IllegalArgumentException.class,
                () -> Batches.fromRows(ctx.allocator(), cols, List.<Object[]>of(new Object[] {1L})));
        try (VectorSchemaRoot batch = Batches.fromRows(ctx.allocator(), cols, List.<Object[]>of(new Object[] {null, null}))) {
            assertNull(Batches.get(batch.getVector(0), 0));
            assertNull(Batches.get(batch.getVector(1), 0));
        }
    }
}
